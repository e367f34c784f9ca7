import { spawn } from 'node:child_process';
import { LatchkeyError } from '../core/errors';

/** Runs `command` on this terminal with `env`; resolves with its exit code (128 + signal when a signal ended it). */
export function runChild(command: string[], env: NodeJS.ProcessEnv): Promise<number> {
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
