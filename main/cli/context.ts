import type { Command } from 'commander';
import type { App, CliProjectRef } from '../app';
import { APP_FREE_COMMANDS } from './completion';
import { paint, useColor } from './output';

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

/** What every command works with: the use cases, the streams, and the global options as parsed. */
export interface CliContext {
  app: App;
  io: CliIo;
  /** The raw arguments (exec reads what stands after `--`). */
  argv: string[];
  /** `--dir`, or the working directory searched upward. */
  project(): CliProjectRef;
  /** `--json`: machine-readable output on stdout. */
  json(): boolean;
  /** A line on stdout. */
  out(text: string): void;
  /** A line on stderr: what happened, for people. */
  note(text: string): void;
  warn(text: string): void;
}

/**
 * The use cases, loaded once a command is about to run: `--help`, `--version` and completion never pay for the app
 * and the SDKs below it (issue 12: start-up).
 */
export type AppLoader = () => Promise<App>;

export function createCliContext(program: Command, loadApp: AppLoader, io: CliIo, argv: string[]): CliContext {
  // Read when a command runs: commander fills the options in while it parses.
  const globals = () => program.opts<GlobalOptions>();
  let app: App | undefined;
  program.hook('preAction', async (_program, action) => {
    if (!APP_FREE_COMMANDS.has(action.name())) app ??= await loadApp();
  });
  return {
    get app(): App {
      if (!app) throw new Error('the app is used before a command runs');
      return app;
    },
    io,
    argv,
    project: () => ({ dir: globals().dir, cwd: process.cwd() }),
    json: () => Boolean(globals().json),
    out: (text) => io.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    note: (text) => io.stderr.write(`${text}\n`),
    warn: (text) => io.stderr.write(`${paint('warning:', 'amber', useColor(io.stderr))} ${text}\n`),
  };
}
