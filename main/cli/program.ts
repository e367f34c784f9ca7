import { Command } from 'commander';
import { addAwsProfileOption } from './aws-profile-option';
import type { App } from '../app';
import { registerAudit } from './commands/audit';
import { registerAws } from './commands/aws';
import { registerChamber } from './commands/chamber';
import { registerExec } from './commands/exec';
import { registerExport } from './commands/export';
import { registerInject } from './commands/inject';
import { registerKeep } from './commands/keep';
import { registerOp } from './commands/op';
import { registerPlan } from './commands/plan';
import { registerRotate } from './commands/rotate';
import { registerSecret } from './commands/secret';
import { registerStatus } from './commands/status';
import { registerSync } from './commands/sync';
import { createCliContext, type CliIo } from './context';

/** The `latchkey` command tree; each command is a thin adapter over one of the app's use cases. */
export function buildProgram(app: App, io: CliIo, argv: string[]): Command {
  const program = new Command('latchkey')
    .description("Put your team's shared secrets onto this machine, safely.")
    .option('-d, --dir <path>', 'the folder holding latchkey.yml (default: search upward from here)')
    .option('--json', 'print machine-readable JSON on stdout')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  addAwsProfileOption(program);
  const ctx = createCliContext(program, app, io, argv);
  // In the order `latchkey --help` lists them.
  for (const register of [
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
  ])
    register(program, ctx);
  return program;
}
