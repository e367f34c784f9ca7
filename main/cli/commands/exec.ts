import type { Command } from 'commander';
import { LatchkeyError } from '../../core/errors';
import { runChild } from '../child-process';
import type { CliContext } from '../context';
import { addNameOptions, nameTransform, type NameOptions } from '../name-options';
import { ensurePersonalSecrets } from '../personal-secrets';
import { withProgress } from '../progress';
import { addTimeoutOption, deadlineFrom, type TimeoutOptions } from '../timeout-option';

const USAGE = 'Usage: latchkey exec [profile] [options] -- <command> [args...]';

interface ExecOptions extends NameOptions, TimeoutOptions {
  pristine?: boolean;
}

export function registerExec(program: Command, ctx: CliContext): void {
  const command = program
    .command('exec')
    .description("run a command with the profile's values in its environment; no file is written")
    .argument('[profile]', 'profile name, before --')
    .argument('[command...]', 'the command and its arguments, after --')
    .usage('[profile] [options] -- <command> [args...]')
    .option('--pristine', "give the command only the profile's values, plus PATH, HOME, TERM and USER");
  addTimeoutOption(addNameOptions(command)).action(
    async (profileArg: string | undefined, rest: string[], opts: ExecOptions) => {
      const { profileName, command: argv } = splitExecArgs(ctx.argv, profileArg, rest);
      if (argv.length === 0) throw new LatchkeyError('INVALID_INPUT', 'no command given', USAGE);
      await ensurePersonalSecrets(ctx, profileName);
      const outcome = await withProgress(ctx.io.stderr, ctx.warn, (report) =>
        ctx.app.values.exec(
          {
            project: ctx.project(),
            profile: profileName,
            command: argv,
            baseEnv: process.env,
            pristine: Boolean(opts.pristine),
            names: nameTransform(opts),
            ...deadlineFrom(opts),
            // The runner reads workflow commands from stdout, before the command's own output.
            ...(process.env.GITHUB_ACTIONS === 'true' && {
              onGithubMasks: (text: string) => ctx.io.stdout.write(text),
            }),
            ...report,
          },
          runChild,
        ),
      );
      if (outcome.notRun) ctx.io.stderr.write(`latchkey: ${argv[0]}: ${outcome.notRun}\n`);
      ctx.io.exitCode = outcome.exitCode;
    },
  );
}

/**
 * `exec dev -- cmd a b`: commander hands over every operand, those after `--` included, so the profile is there
 * only when one operand stands before the first `--` of the raw arguments.
 */
function splitExecArgs(
  argv: string[],
  profileArg: string | undefined,
  rest: string[],
): { profileName: string | undefined; command: string[] } {
  const dash = argv.indexOf('--');
  if (dash === -1) throw new LatchkeyError('INVALID_INPUT', 'put the command after --', USAGE);
  const command = argv.slice(dash + 1);
  const operands = profileArg === undefined ? rest : [profileArg, ...rest];
  const before = operands.length - command.length;
  if (before > 1) {
    throw new LatchkeyError('INVALID_INPUT', `expected one profile before --; found ${before} words`, USAGE);
  }
  return { profileName: before === 1 ? operands[0] : undefined, command };
}
