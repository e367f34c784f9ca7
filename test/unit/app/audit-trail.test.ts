import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditedAttempt } from '../../../main/app/audit-trail';
import { LatchkeyError } from '../../../main/core/errors';
import { createAppSandbox, type AppSandbox } from '../../support/app-sandbox';

let sb: AppSandbox;
beforeEach(() => {
  sb = createAppSandbox();
});
afterEach(() => sb.cleanup());

const event = (outcome: 'ok' | 'error', code?: string) => ({
  action: 'reveal' as const,
  keys: ['K'],
  outcome,
  ...(code !== undefined && { detail: code }),
});

describe('auditedAttempt', () => {
  it('records ok after the work, or error with the code (INTERNAL when not ours), and rethrows', async () => {
    expect(await auditedAttempt(sb.deps, event, async () => 42)).toBe(42);
    await expect(
      auditedAttempt(sb.deps, event, async () => {
        throw new LatchkeyError('ACCESS_DENIED', 'no');
      }),
    ).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    await expect(
      auditedAttempt(sb.deps, event, async () => {
        throw new Error('canary message with a value');
      }),
    ).rejects.toThrow('canary message');
    expect((await sb.audit()).map((e) => [e.outcome, e.detail])).toEqual([
      ['ok', undefined],
      ['error', 'ACCESS_DENIED'],
      ['error', 'INTERNAL'],
    ]);
  });

  it('a trail that cannot be written does not hide the error of the work', async () => {
    // An app-data "folder" that is a file: no audit event can be written there.
    mkdirSync(path.dirname(sb.appDir), { recursive: true });
    writeFileSync(sb.appDir, '');
    const deps = { ...sb.deps, runtime: { ...sb.deps.runtime, appDir: sb.appDir } };
    // A success that cannot be recorded is not reported as one.
    await expect(auditedAttempt(deps, event, async () => 1)).rejects.toThrow();
    await expect(
      auditedAttempt(deps, event, async () => {
        throw new LatchkeyError('SOURCE_FAILED', 'the source failed');
      }),
    ).rejects.toMatchObject({ code: 'SOURCE_FAILED' });
  });
});
