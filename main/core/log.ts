import { scrubSecrets } from './redact';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

/**
 * The desktop's log lines (the main process's stderr) go through the one sanitiser, like the CLI's output and the
 * IPC envelope (issue 10, item 6): no resolved value is written, whatever quoted it. Control characters other than
 * tab and newline (a stack's frames are lines) are shown escaped, so quoted text cannot drive the terminal.
 */
export function safeLogLine(text: string): string {
  return scrubSecrets(text).replace(CONTROL, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** An error as one scrubbed phrase for the log: its kind and message, never its stack's data. */
export function describeErrorForLog(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === 'string' ? error : `a thrown ${typeof error}`;
}

/** Writes one line to the log through the sanitiser. */
export function logSafely(line: string, write: (text: string) => void = (text) => process.stderr.write(text)): void {
  write(`${safeLogLine(line)}\n`);
}
