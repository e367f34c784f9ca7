import type { Command } from 'commander';
import { LatchkeyError } from '../../core/errors';
import { runChild } from '../child-process';
import type { CliContext } from '../context';
import { ensurePersonalSecrets } from '../personal-secrets';
import { withProgress } from '../progress';

const USAGE = 'Usage: latchkey exec [profile] -- <command> [args...]';

export function registerExec(program: Command, ctx: CliContext): void {
  program
    .command('exec')
    .description("run a command with the profile's values in its environment; no file is written")
    .argument('[profile]', 'profile name, before --')
    .argument('[command...]', 'the command and its arguments, after --')
    .usage('[profile] -- <command> [args...]')
    .action(async () => {
      const { profileName, command } = splitExecArgs(ctx.argv);
      const [file] = command;
      if (file === undefined) throw new LatchkeyError('INVALID_INPUT', 'no command given', USAGE);
      await ensurePersonalSecrets(ctx, profileName);
      const values = await withProgress(ctx.io.stderr, ctx.warn, (report) =>
        ctx.app.values.forExec({ project: ctx.project(), profile: profileName, command: file, ...report }),
      );
      ctx.io.exitCode = await runChild(command, { ...process.env, ...Object.fromEntries(values) });
    });
}

/** `exec dev -- cmd a b`: the profile is whatever stands between `exec` and `--`. */
export function splitExecArgs(argv: string[]): { profileName: string | undefined; command: string[] } {
  const execAt = argv.indexOf('exec');
  const dash = argv.indexOf('--', execAt);
  if (dash === -1) throw new LatchkeyError('INVALID_INPUT', 'put the command after --', USAGE);
  const before = argv.slice(execAt + 1, dash).filter((a) => !a.startsWith('-'));
  return { profileName: before[0], command: argv.slice(dash + 1) };
}
