import { afterEach, describe, expect, it } from 'vitest';
import { describeErrorForLog, logSafely, safeLogLine } from '../../../main/core/log';
import { forgetSecretsForTests, rememberSecrets } from '../../../main/core/redact';
import { createRouter } from '../../../main/ipc/router';
import type { Handlers } from '../../../main/ipc/types';

const CANARY = 'log-canary-value-8b2f0c';

afterEach(() => forgetSecretsForTests());

describe('the desktop log goes through the one sanitiser (issue 10, item 6)', () => {
  it('never writes a remembered value, in any spelling an error quotes it', () => {
    rememberSecrets([CANARY]);
    const lines: string[] = [];
    logSafely(describeErrorForLog(new Error(`bad value "${CANARY}"`)), (text) => lines.push(text));
    logSafely(`inspect: ${JSON.stringify({ v: `${CANARY}\n` })}`, (text) => lines.push(text));
    expect(lines.join('')).not.toContain(CANARY);
    expect(lines[0]).toBe('Error: bad value "[redacted]"\n');
  });

  it('escapes control characters but tab and newline, so quoted text cannot drive the terminal', () => {
    expect(safeLogLine('a\tb\nline\x1b[2J\x00\r')).toBe('a\tb\nline\\x1b[2J\\x00\\x0d');
  });

  it("is what the IPC router writes through, even with a log of the caller's own", async () => {
    rememberSecrets([CANARY]);
    const lines: string[] = [];
    const failing = new Proxy({} as Handlers, {
      get: () => () => Promise.reject(new TypeError(`cannot use ${CANARY}`)),
    });
    const router = createRouter(failing, { isTrustedSender: () => true, log: (line) => lines.push(line) });
    const result = await router.handle('settings.get', { url: 'app://latchkey/', frameId: 1 } as never, {});
    expect(result.ok).toBe(false);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(CANARY);
    expect(JSON.stringify(result)).not.toContain(CANARY);
  });
});
