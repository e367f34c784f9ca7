import { describeErrorForLog, safeLogLine } from '../core/log';

/** What the user sees when the main process hits an error nobody caught. */
export interface UncaughtErrorReport {
  title: string;
  content: string;
}

/**
 * Electron's default handler shows an uncaught exception's whole stack in a native dialog, and a library's message
 * can quote the value it was handed. Ours shows the error's kind and message only, through the one sanitiser, and
 * says where the details went.
 */
export function uncaughtErrorReport(error: unknown): UncaughtErrorReport {
  return {
    title: 'Latchkey hit an unexpected error',
    content:
      `${safeLogLine(describeErrorForLog(error))}\n\n` +
      'Latchkey keeps running, but the last action may not have finished. If this repeats, restart the app; ' +
      'the log (stderr) has the same line.',
  };
}
