import { createInterface } from 'node:readline';
import { LatchkeyError } from '../core/errors';

/** A TTY on both ends: only then may the CLI ask anything. CI and pipes must never wait on a hidden prompt. */
export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/** Ask a yes/no question on stderr. */
export async function confirm(question: string, defaultYes = false): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((resolve) =>
      rl.question(`${question} ${defaultYes ? '[Y/n]' : '[y/N]'} `, resolve),
    );
    const trimmed = answer.trim().toLowerCase();
    return trimmed === '' ? defaultYes : trimmed === 'y' || trimmed === 'yes';
  } finally {
    rl.close();
  }
}

/** Questions asked one after another on a terminal (on stderr), through one readline so no typed-ahead line is lost. */
export interface Asker {
  /** The answer, trimmed; `fallback` when the answer is empty. Ctrl-C or Ctrl-D cancel (CANCELLED). */
  ask(question: string, fallback?: string): Promise<string>;
  yesNo(question: string, defaultYes: boolean): Promise<boolean>;
  /** A line between the questions (why an answer is asked again). */
  say(text: string): void;
  close(): void;
}

export function createAsker(): Asker {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  let closed = false;
  rl.on('close', () => (closed = true));
  // A terminal's Ctrl-C reaches readline as SIGINT: it ends the questions, as Ctrl-D does.
  rl.on('SIGINT', () => rl.close());
  const cancelled = () => new LatchkeyError('CANCELLED', 'cancelled; nothing was written');
  const ask = (question: string, fallback?: string) =>
    new Promise<string>((resolve, reject) => {
      if (closed) return reject(cancelled());
      const onClose = () => reject(cancelled());
      rl.once('close', onClose);
      rl.question(fallback ? `${question} [${fallback}] ` : `${question} `, (answer) => {
        rl.off('close', onClose);
        const trimmed = answer.trim();
        resolve(trimmed === '' ? (fallback ?? '') : trimmed);
      });
    });
  return {
    ask,
    async yesNo(question, defaultYes) {
      for (;;) {
        const answer = (await ask(`${question} ${defaultYes ? '[Y/n]' : '[y/N]'}`)).toLowerCase();
        if (answer === '') return defaultYes;
        if (answer === 'y' || answer === 'yes') return true;
        if (answer === 'n' || answer === 'no') return false;
      }
    },
    say: (text) => process.stderr.write(`${text}\n`),
    close: () => rl.close(),
  };
}

/**
 * Read a secret without echo. Raw mode lets us print nothing at all for each key press, so the value never reaches
 * the terminal's scrollback.
 */
export function promptSecret(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const finish = (error?: Error) => {
      stdin.setRawMode(wasRaw);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
