import { CommanderError } from 'commander';
import { isLatchkeyError } from '../core/errors';
import { safeErrorMessage, scrubSecrets } from '../core/redact';
import { EXIT, exitCodeFor } from './exit-codes';
import { paint, setColorFlag, useColor } from './output';
import type { CliIo } from './context';
import { buildProgram } from './program';

/** The whole `latchkey` command tree (commander), loaded by index.ts for every command but its fast paths. */
export async function runProgram(argv: string[], io: CliIo): Promise<number> {
  setColorFlag(colorFlagOf(argv));
  const program = buildProgram(loadApp, io, argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return io.exitCode;
  } catch (error) {
    return reportError(error, io, argv.includes('--json'));
  }
}

/**
 * `--no-color` (or `--color`) among latchkey's own arguments, read before commander parses so that a usage error
 * is printed by the same rule. What stands after `--` belongs to exec's command, never to us.
 */
function colorFlagOf(argv: string[]): boolean | undefined {
  const dash = argv.indexOf('--');
  const own = dash === -1 ? argv : argv.slice(0, dash);
  const last = own.findLast((a) => a === '--color' || a === '--no-color');
  return last === undefined ? undefined : last === '--color';
}

function reportError(error: unknown, io: CliIo, json: boolean): number {
  if (error instanceof CommanderError) {
    // Help and version are "errors" to commander; its own message was already printed.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  const color = useColor(io.stderr);
  // Every message goes through the one sanitiser: no value a source resolved is ever printed (core/redact.ts).
  const message = safeErrorMessage(error);
  if (isLatchkeyError(error)) {
    const hint = error.hint === undefined ? undefined : scrubSecrets(error.hint);
    if (json) io.stdout.write(`${JSON.stringify({ error: { code: error.code, message, hint } }, null, 2)}\n`);
    io.stderr.write(`${paint('error:', 'red', color)} ${message}\n`);
    if (hint) io.stderr.write(`${paint('hint:', 'grey', color)} ${hint}\n`);
    return exitCodeFor(error.code);
  }
  // Not ours: say what happened, but no stack unless asked (it can hold paths and request details).
  io.stderr.write(`${paint('internal error:', 'red', color)} ${message}\n`);
  if (process.env.LATCHKEY_DEBUG && error instanceof Error) io.stderr.write(`${scrubSecrets(error.stack ?? '')}\n`);
  return EXIT.failure;
}

/** The app and its composition root, in their own chunk of the bundle (scripts/build-cli.mjs). */
async function loadApp() {
  const { createApp, createRuntime } = await import('../app');
  return createApp({ runtime: createRuntime() });
}
