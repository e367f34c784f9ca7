import { spawn } from 'node:child_process';
import { Command, Option } from 'commander';
import type { Plan } from '../../contract/plan';
import { appendAuditEvent, verifyAudit, tailAudit } from '../core/audit';
import { LatchkeyError } from '../core/errors';
import { addToGitignore } from '../core/gitignore';
import { NeedsInputError, personalSecretAccount } from '../core/keychain';
import { loadManifest } from '../core/manifest';
import {
  findMissingPersonalSecrets,
  preparePlan,
  profileOf,
  resolveValues,
  type SyncEnvironment,
  type SyncProgress,
} from '../core/sync';
import type { Manifest } from '../core/types';
import type { Runtime } from '../app/runtime';
import { registerAwsCommands } from './aws';
import { EXIT } from './exit-codes';
import { EXPORT_FORMATS, formatExport, type ExportFormat } from '../app/export-formats';
import { registerOpCommands } from './op';
import { paint, renderPlan, useColor } from './output';
import { createProgressReporter } from './progress';
import { canPrompt, confirm, promptSecret } from './prompt';

export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Set by commands that finish with a specific exit code (exec, status --exit-code). */
  exitCode: number;
}

interface GlobalOptions {
  dir?: string;
  json?: boolean;
}

export function buildProgram(runtime: Runtime, io: CliIo, argv: string[]): Command {
  const program = new Command('latchkey')
    .description("Put your team's shared secrets onto this machine, safely.")
    .option('-d, --dir <path>', 'the folder holding latchkey.yml (default: search upward from here)')
    .option('--json', 'print machine-readable JSON on stdout')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();

  const globals = () => program.opts<GlobalOptions>();
  const out = (text: string) => io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  const warn = (text: string) => io.stderr.write(`${paint('warning:', 'amber', useColor(io.stderr))} ${text}\n`);
  const manifest = () => loadManifest({ dir: globals().dir, cwd: process.cwd() });

  /** Ask for missing personal secrets on a terminal; elsewhere fail fast and say how to provide them. */
  const ensurePersonalSecrets = async (m: Manifest, profileName: string | undefined) => {
    const profile = profileOf(m, profileName);
    const missing = await findMissingPersonalSecrets(m, profile, runtime.keychain);
    if (missing.length === 0) return;
    if (!canPrompt()) {
      const error = new NeedsInputError(missing);
      throw new LatchkeyError(
        error.code,
        error.message,
        `Set them with: ${missing.map((x) => `latchkey secret set ${x.name}`).join('; ')} (the value is read from stdin)`,
      );
    }
    for (const { name, account } of missing) {
      const value = await promptSecret(`${name} (personal secret, stored in the OS keychain): `);
      if (value === '') throw new LatchkeyError('NEEDS_INPUT', `no value given for ${name}`);
      await runtime.keychain.set(account, value);
      await appendAuditEvent(runtime.appDir, {
        action: 'secret.set',
        profile: profile.name,
        keys: [name],
        outcome: 'ok',
      });
    }
  };

  const withProgress = async <T>(work: (onProgress: (p: SyncProgress) => void) => Promise<T>) => {
    const progress = createProgressReporter(io.stderr);
    try {
      return await work((p) => progress.update(p));
    } finally {
      progress.stop();
    }
  };

  const plan = async (profileName: string | undefined, takeRemote: string[], env?: SyncEnvironment) => {
    const m = await manifest();
    await ensurePersonalSecrets(m, profileName);
    const prepared = await withProgress((onProgress) =>
      preparePlan(m, profileName, env ?? runtime.syncEnvironment(m), { takeRemote, onProgress }),
    );
    for (const name of takeRemote) {
      if (!prepared.plan.entries.some((e) => e.name === name && e.status === 'conflict'))
        warn(`--take-remote ${name}: not a conflict in this plan`);
    }
    return { manifest: m, prepared };
  };

  const printPlan = (p: Plan) =>
    globals().json ? out(JSON.stringify({ plan: p }, null, 2)) : out(renderPlan(p, useColor(io.stdout)));
  const collect = (value: string, previous: string[]) => [...previous, value];

  program
    .command('plan')
    .description('show what a sync would change, without writing anything')
    .argument('[profile]', 'profile name (optional when the manifest has one profile)')
    .option('--take-remote <key>', 'for a conflicting key, plan to take the remote value (repeatable)', collect, [])
    .action(async (profileName: string | undefined, opts: { takeRemote: string[] }) => {
      const { prepared } = await plan(profileName, opts.takeRemote);
      printPlan(prepared.plan);
      if (prepared.plan.counts.error > 0) io.exitCode = EXIT.planErrors;
    });

  program
    .command('sync')
    .description("write the profile's target file from its sources")
    .argument('[profile]', 'profile name (optional when the manifest has one profile)')
    .option('-y, --yes', 'write without asking')
    .option(
      '--take-remote <key>',
      'for a conflicting key, take the remote value instead of keeping the local edit (repeatable)',
      collect,
      [],
    )
    .option('--add-gitignore', 'add the target to .gitignore when git would track it')
    .action(
      async (
        profileName: string | undefined,
        opts: { yes?: boolean; takeRemote: string[]; addGitignore?: boolean },
      ) => {
        const { manifest: m, prepared } = await plan(profileName, opts.takeRemote);
        const p = prepared.plan;
        if (!globals().json) out(renderPlan(p, useColor(io.stdout)));
        if (p.counts.error > 0) {
          // apply() refuses too; going through it records the refusal in the audit trail.
          await prepared.apply();
        }
        if (p.writes && !opts.yes) {
          if (!canPrompt())
            throw new LatchkeyError(
              'INVALID_INPUT',
              'refusing to write without --yes when no terminal can confirm',
              'Re-run with --yes.',
            );
          if (!(await confirm(`Write ${p.target}?`))) {
            io.stderr.write('Nothing written.\n');
            return;
          }
        }
        const result = await prepared.apply();
        if (p.gitignoreNeeded) {
          const add =
            opts.addGitignore ||
            (!opts.yes &&
              canPrompt() &&
              (await confirm(`${p.target} is not ignored by git. Add it to .gitignore?`, true)));
          if (add) io.stderr.write(`Added to ${await addToGitignore(m.dir, p.target)}\n`);
          else
            warn(
              `${p.target} is not ignored by git; commit it and the secrets go with it. Run with --add-gitignore to fix.`,
            );
        }
        if (globals().json) out(JSON.stringify({ plan: p, wrote: result.wrote }, null, 2));
        else io.stderr.write(result.wrote ? `Wrote ${p.target} (0600).\n` : `${p.target} is already up to date.\n`);
      },
    );

  program
    .command('status')
    .description('show drift between the sources, the target file and the last sync, and rotation status')
    .argument('[profile]', 'profile name (optional when the manifest has one profile)')
    .option('--exit-code', `exit with ${EXIT.drift} when the file is not in sync`)
    .action(async (profileName: string | undefined, opts: { exitCode?: boolean }) => {
      const { prepared } = await plan(profileName, []);
      const p = prepared.plan;
      const drift = p.writes || p.counts.conflict > 0 || p.counts.error > 0;
      const rotation = { due: 0, overdue: 0, unknown: 0 };
      for (const e of p.entries) if (e.rotation && e.rotation.status !== 'ok') rotation[e.rotation.status] += 1;
      if (globals().json) out(JSON.stringify({ inSync: !drift, counts: p.counts, rotation, plan: p }, null, 2));
      else {
        out(renderPlan(p, useColor(io.stdout)));
        out(drift ? 'Not in sync: run `latchkey sync`.' : 'In sync.');
        out(`Rotation: ${rotation.overdue} overdue, ${rotation.due} due, ${rotation.unknown} unknown.`);
      }
      if (opts.exitCode && drift) io.exitCode = EXIT.drift;
    });

  program
    .command('exec')
    .description("run a command with the profile's values in its environment; no file is written")
    .argument('[profile]', 'profile name, before --')
    .argument('[command...]', 'the command and its arguments, after --')
    .usage('[profile] -- <command> [args...]')
    .action(async () => {
      const { profileName, command } = splitExecArgs(argv);
      if (command.length === 0)
        throw new LatchkeyError(
          'INVALID_INPUT',
          'no command given',
          'Usage: latchkey exec [profile] -- <command> [args...]',
        );
      const m = await manifest();
      await ensurePersonalSecrets(m, profileName);
      const { profile, values, warnings } = await withProgress((onProgress) =>
        resolveValues(m, profileName, runtime.syncEnvironment(m), { onProgress }),
      );
      warnings.forEach(warn);
      await appendAuditEvent(runtime.appDir, {
        action: 'exec',
        profile: profile.name,
        keys: [...values.keys()],
        outcome: 'ok',
        detail: command[0],
      });
      io.exitCode = await runChild(command, { ...process.env, ...Object.fromEntries(values) });
    });

  program
    .command('export')
    .description("print the profile's values in a format for another tool (values are revealed)")
    .argument('[profile]', 'profile name (optional when the manifest has one profile)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(EXPORT_FORMATS).default('dotenv'))
    .option('--reveal', 'allow printing values to a terminal')
    .action(async (profileName: string | undefined, opts: { format: ExportFormat; reveal?: boolean }) => {
      if (io.stdout.isTTY && !opts.reveal) {
        throw new LatchkeyError(
          'INVALID_INPUT',
          'refusing to print secret values to a terminal',
          'Pipe or redirect the output, or add --reveal.',
        );
      }
      const m = await manifest();
      await ensurePersonalSecrets(m, profileName);
      const { profile, values, warnings } = await withProgress((onProgress) =>
        resolveValues(m, profileName, runtime.syncEnvironment(m), { onProgress }),
      );
      warnings.forEach(warn);
      const text = formatExport(values, opts.format, profile.name);
      await appendAuditEvent(runtime.appDir, {
        action: 'export',
        profile: profile.name,
        keys: [...values.keys()],
        outcome: 'ok',
        detail: opts.format,
      });
      io.stdout.write(text);
    });

  const secret = program.command('secret').description('personal secrets kept in the OS keychain');
  secret
    .command('set')
    .description('store a personal secret named by a `keychain:` source (the value is read from stdin)')
    .argument('<name>', 'the variable name, as in the manifest')
    .action(async (name: string) => {
      const m = await manifest();
      const known = Object.values(m.profiles).some((p) =>
        p.sources.some((s) => s.kind === 'keychain' && s.name === name),
      );
      if (!known) throw new LatchkeyError('INVALID_INPUT', `no profile in ${m.path} has a "keychain: ${name}" source`);
      const value = process.stdin.isTTY ? await promptSecret(`${name}: `) : stripOneNewline(await readStdin());
      if (value === '') throw new LatchkeyError('INVALID_INPUT', `empty value for ${name}; nothing stored`);
      await runtime.keychain.set(personalSecretAccount(m.path, name), value);
      await appendAuditEvent(runtime.appDir, { action: 'secret.set', keys: [name], outcome: 'ok' });
      io.stderr.write(`Stored ${name} in the OS keychain.\n`);
    });

  const audit = program.command('audit').description('the audit trail of what Latchkey did');
  audit
    .command('verify')
    .description('check the hash chain: any edit, deletion or truncation is found')
    .action(async () => {
      const result = await verifyAudit(runtime.appDir);
      if (globals().json) out(JSON.stringify(result, null, 2));
      else if (result.ok) out(`Audit trail intact: ${result.events} events.`);
      else
        out(
          [
            `Audit trail BROKEN (${result.events} events read):`,
            ...result.problems.map((p) => `  ${p.line ? `line ${p.line}: ` : ''}${p.problem}`),
          ].join('\n'),
        );
      if (!result.ok) io.exitCode = EXIT.audit;
    });
  audit
    .command('tail')
    .description('show the latest events')
    .option('-n, --lines <n>', 'how many', (v) => Number.parseInt(v, 10), 20)
    .action(async (opts: { lines: number }) => {
      const events = await tailAudit(runtime.appDir, opts.lines);
      if (globals().json) {
        out(JSON.stringify(events, null, 2));
        return;
      }
      for (const e of events) {
        out(
          `${e.seq}\t${e.time}\t${e.user}\t${e.action}\t${e.outcome}\t${e.profile ?? ''}\t${(e.keys ?? []).join(',')}${e.detail ? `\t${e.detail}` : ''}`,
        );
      }
    });

  registerAwsCommands(program, runtime, io);

  registerOpCommands(program, runtime, io);
  return program;
}

/** `exec dev -- cmd a b`: the profile is whatever stands between `exec` and `--`. */
export function splitExecArgs(argv: string[]): { profileName: string | undefined; command: string[] } {
  const execAt = argv.indexOf('exec');
  const dash = argv.indexOf('--', execAt);
  if (dash === -1) {
    throw new LatchkeyError(
      'INVALID_INPUT',
      'put the command after --',
      'Usage: latchkey exec [profile] -- <command> [args...]',
    );
  }
  const before = argv.slice(execAt + 1, dash).filter((a) => !a.startsWith('-'));
  return { profileName: before[0], command: argv.slice(dash + 1) };
}

function runChild(command: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = command as [string, ...string[]];
    const child = spawn(file, args, { stdio: 'inherit', env });
    // The child gets the terminal's signals itself; forwarding covers signals sent only to us (e.g. by CI runners).
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    signals.forEach((s) => process.on(s, forward));
    child.on('error', (error) => {
      signals.forEach((s) => process.off(s, forward));
      const code = (error as NodeJS.ErrnoException).code;
      reject(
        new LatchkeyError(
          'INVALID_INPUT',
          code === 'ENOENT' ? `command not found: ${file}` : `cannot run ${file}: ${error.message}`,
        ),
      );
    });
    child.on('exit', (code, signal) => {
      signals.forEach((s) => process.off(s, forward));
      resolve(code ?? 128 + signalNumber(signal));
    });
  });
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGQUIT: 3,
    SIGKILL: 9,
    SIGTERM: 15,
  };
  return (signal && numbers[signal]) || 1;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function stripOneNewline(text: string): string {
  return text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
}
