import { Command } from 'commander';
import { addAwsProfileOption } from './aws-profile-option';
import { registerAudit } from './commands/audit';
import { registerAws } from './commands/aws';
import { registerChamber } from './commands/chamber';
import { registerExec } from './commands/exec';
import { registerExport } from './commands/export';
import { registerInit } from './commands/init';
import { registerInject } from './commands/inject';
import { registerKeep } from './commands/keep';
import { registerOp } from './commands/op';
import { registerPlan } from './commands/plan';
import { registerRotate } from './commands/rotate';
import { registerSecret } from './commands/secret';
import { registerStatus } from './commands/status';
import { registerSync } from './commands/sync';
import { registerCompletion } from './completion';
import { withoutRejectedValues } from './commander-errors';
import { createCliContext, type AppLoader, type CliIo } from './context';

// Written into the bundle from package.json by scripts/build-cli.mjs (esbuild `define`).
const LATCHKEY_VERSION = process.env.LATCHKEY_VERSION ?? '0.0.0-dev';

/** The `latchkey` command tree; each command is a thin adapter over one of the app's use cases. */
export function buildProgram(loadApp: AppLoader, io: CliIo, argv: string[]): Command {
  const program = new Command('latchkey')
    .description("Put your team's shared secrets onto this machine, safely.")
    .option('-d, --dir <path>', 'the folder holding latchkey.yml (default: search upward from here)')
    .option('--json', 'print machine-readable JSON on stdout')
    .option('--color', 'colour the output even when it is not a terminal (or FORCE_COLOR=1)')
    .option('--no-color', 'never colour the output (or NO_COLOR=1)')
    .option('-v, --verbose', 'show every notice, also those shown before for this manifest')
    .showHelpAfterError()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(withoutRejectedValues(s)),
    })
    .exitOverride();
  addAwsProfileOption(program);
  const ctx = createCliContext(program, loadApp, io, argv);
  // In the order `latchkey --help` lists them.
  for (const register of [
    registerInit,
    registerPlan,
    registerSync,
    registerStatus,
    registerKeep,
    registerExec,
    registerExport,
    registerInject,
    registerSecret,
    registerChamber,
    registerRotate,
    registerAudit,
    registerAws,
    registerOp,
    registerCompletion,
  ])
    register(program, ctx);
  // Root options are read after the command too (global options anywhere), so the root's --version would take
  // `chamber read … --version 2` for itself. Where the command being run has a --version of its own, it keeps it.
  if (!invokedCommandHasOption(program, argv, '--version'))
    program.version(LATCHKEY_VERSION, '-V, --version', 'print the version');
  return program;
}

/** Whether the (sub)command `argv` names defines the long option `flag` itself. */
function invokedCommandHasOption(program: Command, argv: readonly string[], flag: string): boolean {
  let command = program;
  for (const word of argv) {
    if (word === '--') break;
    if (word.startsWith('-')) continue;
    // A word that names no subcommand here is an operand or an option's value: keep looking past it.
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub) command = sub;
  }
  return command !== program && command.options.some((option) => option.long === flag);
}
