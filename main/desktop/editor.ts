import { spawn } from 'node:child_process';
import { LatchkeyError } from '../core/errors';

/**
 * Starts the user's editor (Settings ▸ editor command, already split by contract/editor-command.ts) without a
 * shell, detached, its output ignored: Latchkey does not wait for the editor, only for it to have started. A
 * program that cannot be started is an error naming the program, never its arguments (a path, a line).
 */
export function launchEditor(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(command, args, { shell: false, detached: true, stdio: 'ignore', windowsHide: true });
    } catch (error) {
      reject(notStarted(command, error));
      return;
    }
    child.once('error', (error) => reject(notStarted(command, error)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

function notStarted(command: string, error: unknown): LatchkeyError {
  const code = (error as { code?: unknown }).code;
  return new LatchkeyError(
    'INVALID_INPUT',
    `The editor command could not start ${command}${typeof code === 'string' ? ` (${code})` : ''}`,
    'Check the editor command in Settings.',
  );
}
