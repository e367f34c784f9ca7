import path from 'node:path';
import type { Command } from 'commander';
import type { App, CliProjectRef } from '../app';
import { scrubSecrets } from '../core/redact';
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
  verbose?: boolean;
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
  /** `--verbose`: every notice, also those already shown for this manifest. */
  verbose(): boolean;
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
  // Named once per command, however many times its use cases load the manifest; on stderr, as pipelines parse stdout.
  const named = new Set<string>();
  const onFoundBySearch = (manifestPath: string) => {
    // The one in the working directory is the one the user is looking at; one above it is what needs naming.
    if (named.has(manifestPath) || path.dirname(manifestPath) === path.resolve(process.cwd())) return;
    named.add(manifestPath);
    io.stderr.write(`using ${manifestPath}\n`);
  };
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
    project: () => ({ dir: globals().dir, cwd: process.cwd(), onFoundBySearch }),
    json: () => Boolean(globals().json),
    verbose: () => Boolean(globals().verbose),
    out: (text) => io.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    // What is said to people passes the one sanitiser (core/redact.ts): a source's warning may quote a value.
    note: (text) => io.stderr.write(`${scrubSecrets(text)}\n`),
    warn: (text) => io.stderr.write(`${paint('warning:', 'amber', useColor(io.stderr))} ${scrubSecrets(text)}\n`),
  };
}
