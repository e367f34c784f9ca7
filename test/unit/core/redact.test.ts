import { spawn } from 'node:child_process';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { LatchkeyError } from '../../../main/core/errors';
import { normaliseConnectHost } from '../../../main/core/op-settings';
import {
  describeRejectedInput,
  forgetSecretsForTests,
  rememberSecrets,
  safeErrorMessage,
  scrubSecrets,
} from '../../../main/core/redact';

// Issue 10, items 6 and 17: what a process edge shows never holds a value, whatever error carried it there.

const CANARY = 'canary-5f2e-secret-value';
afterEach(() => forgetSecretsForTests());

function spawnError(env: Record<string, string>): unknown {
  try {
    spawn(process.execPath, ['-e', ''], { env }).kill();
  } catch (error) {
    return error;
  }
  throw new Error('spawn accepted the environment');
}

describe('the sanitiser at every edge', () => {
  it("scrubs spawn's own message, which quotes the value after Received", () => {
    const error = spawnError({ TOKEN: `x\0${CANARY}` });
    expect(String((error as Error).message)).toContain(CANARY); // what used to reach the terminal
    expect(safeErrorMessage(error)).not.toContain(CANARY);
    expect(safeErrorMessage(error)).toMatch(/must be a string without null bytes\. Received \[redacted\]/);
  });

  it('scrubs remembered values in every spelling a message may quote: raw, JSON, inspect, cut short', () => {
    const secret = `multi\nline\t"${CANARY}"\0end`;
    const long = `${CANARY}-${'x'.repeat(200)}`;
    rememberSecrets([secret, long, 'dev']);
    const messages = [
      `failed: ${secret}`,
      `failed: ${JSON.stringify(secret)}`,
      `failed: '${secret.replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\0/g, '\\x00')}'`,
      `value '${long.slice(0, 128)}...' was refused`,
      new LatchkeyError('SOURCE_FAILED', `the source said ${secret}`).message,
    ];
    for (const message of messages) {
      const scrubbed = scrubSecrets(message);
      expect(scrubbed, message).not.toContain(CANARY);
      expect(scrubbed).toContain('[redacted]');
    }
    // Short values are not remembered: a word like "dev" stays readable.
    expect(scrubSecrets('profile dev')).toBe('profile dev');
  });

  it('scrubs any value in each of its spellings, plain or not', () => {
    // Printable ASCII, quotes and backslash included: the values closest to plain ones that JSON or inspect escape.
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });
    const any = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(
      fc.property(fc.oneof(printable, any), (tail) => {
        forgetSecretsForTests();
        const value = `canary-${tail}`;
        rememberSecrets([value]);
        for (const spelling of [value, JSON.stringify(value), inspect(value)]) {
          expect(scrubSecrets(`before ${spelling} after`)).not.toContain('canary-');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves a message without values as it was', () => {
    rememberSecrets([CANARY]);
    expect(safeErrorMessage(new LatchkeyError('TARGET_UNSAFE', 'Refusing to write /p/.env: it is a symlink'))).toBe(
      'Refusing to write /p/.env: it is a symlink',
    );
  });
});

describe('a rejected input that could be a secret (item 17)', () => {
  it('is described by its length, never shown', () => {
    expect(describeRejectedInput(CANARY)).toBe(`the ${CANARY.length}-character value given`);
    for (const pasted of [CANARY, `ops_${CANARY}`, `abc:${CANARY}`, `ftp://${CANARY}`]) {
      let message = '';
      try {
        normaliseConnectHost(pasted);
      } catch (error) {
        message = `${(error as LatchkeyError).message} ${(error as LatchkeyError).hint ?? ''}`;
      }
      expect(message, pasted).toContain(describeRejectedInput(pasted));
      expect(message, pasted).not.toContain(CANARY);
    }
  });
});
