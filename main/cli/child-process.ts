import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { ExecOutcome } from '../app';

/** Signals a CI runner or a supervisor sends to us alone, not to the terminal's process group: passed on. */
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'];

/**
 * Runs `command` on this terminal with `env` and settles with how it ended, as a shell reports it: its exit code,
 * 128 + the signal's number when a signal ended it, 127 when the program does not exist and 126 when it cannot
 * be run. Signals sent to Latchkey are forwarded to the child, and Latchkey waits for it to end.
 */
export function runChild(command: string[], env: NodeJS.ProcessEnv): Promise<ExecOutcome> {
  return new Promise((resolve) => {
    const [file, ...args] = command as [string, ...string[]];
    const child = spawn(file, args, { stdio: 'inherit', env });
    const forward = (signal: NodeJS.Signals) => {
      child.kill(signal);
    };
    FORWARDED.forEach((s) => process.on(s, forward));
    const settle = (outcome: ExecOutcome) => {
      FORWARDED.forEach((s) => process.off(s, forward));
      resolve(outcome);
    };
    child.on('error', (error) => {
      // spawn's own error message can quote the environment (a NUL in a value, say): only its code is used.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') settle({ exitCode: 127, notRun: 'command not found' });
      else if (code === 'EACCES' || code === 'EISDIR' || code === 'ENOEXEC' || code === 'EPERM')
        settle({ exitCode: 126, notRun: 'permission denied or not an executable' });
      else settle({ exitCode: 126, notRun: `cannot run (${code ?? 'unexpected error'})` });
    });
    child.on('exit', (code, signal) => {
      if (signal) settle({ exitCode: 128 + (constants.signals[signal] ?? 0), signal });
      else settle({ exitCode: code ?? 1 });
    });
  });
}
