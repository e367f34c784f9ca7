import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAuditEvent, AUDIT_FILE } from '../../../main/core/audit';
import { createSandbox, type Sandbox } from '../../support/ipc-sandbox';

// audit.verify and audit.export through the real router and handlers: the window asks which events and in which
// format; the file is named by main's save dialog, never by the window.

let sb: Sandbox;
beforeEach(async () => {
  sb = createSandbox();
  await appendAuditEvent(sb.appDir, { action: 'sync', profile: 'dev', keys: ['DB_URL'], outcome: 'ok' });
  await appendAuditEvent(sb.appDir, { action: 'reveal', profile: 'dev', keys: ['JWT_SECRET'], outcome: 'error' });
  await appendAuditEvent(sb.appDir, { action: 'sync', profile: 'staging', keys: ['DB_URL'], outcome: 'ok' });
});
afterEach(() => sb.cleanup());

async function value<T>(envelope: Promise<{ ok: boolean }>): Promise<T> {
  const result = (await envelope) as { ok: true; value: T } | { ok: false; error: unknown };
  if (!result.ok) throw new Error(`error envelope: ${JSON.stringify(result.error)}`);
  return result.value;
}

describe('audit.verify', () => {
  it('reports an intact chain with its length', async () => {
    expect(await value(sb.call('audit.verify', {}))).toMatchObject({ ok: true, events: 3, problems: [] });
  });

  it('names the line where an edit broke the chain', async () => {
    const log = path.join(sb.appDir, AUDIT_FILE);
    const lines = readFileSync(log, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('"JWT_SECRET"', '"SOMETHING_ELSE"');
    writeFileSync(log, lines.join('\n'));
    const result = await value<{ ok: boolean; problems: { line?: number }[] }>(sb.call('audit.verify', {}));
    expect(result.ok).toBe(false);
    expect(result.problems[0]?.line).toBe(2);
  });
});

describe('audit.export', () => {
  it('writes the matching events of the whole trail to the file main picked, private to the user', async () => {
    const file = path.join(sb.root, 'trail.json');
    sb.setSaveFile(file);
    const result = await value(sb.call('audit.export', { format: 'json', filter: { query: 'db_url' } }));
    expect(result).toEqual({ saved: true, events: 2, fileName: 'trail.json' });
    const written = JSON.parse(readFileSync(file, 'utf8')) as { events: { seq: number; profile: string }[] };
    expect(written.events.map((e) => [e.seq, e.profile])).toEqual([
      [1, 'dev'],
      [3, 'staging'],
    ]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('writes CSV with only the failures when asked', async () => {
    const file = path.join(sb.root, 'failures.csv');
    sb.setSaveFile(file);
    const result = await value(sb.call('audit.export', { format: 'csv', filter: { problemsOnly: true } }));
    expect(result).toMatchObject({ saved: true, events: 1 });
    const lines = readFileSync(file, 'utf8').trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',reveal,error,dev,');
  });

  it('writes nothing when the user cancels the dialog', async () => {
    sb.setSaveFile(null);
    expect(await value(sb.call('audit.export', { format: 'csv', filter: {} }))).toEqual({ saved: false, events: 0 });
    expect(existsSync(path.join(sb.root, 'latchkey-audit.csv'))).toBe(false);
  });

  it('takes no path from the window', async () => {
    const refused = await sb.call('audit.export', {
      format: 'csv',
      filter: {},
      file: path.join(sb.root, 'chosen-by-the-window.csv'),
    });
    // The router strips unknown keys on input; the dialog (cancelled here) is still the only source of a path.
    expect(refused).toMatchObject({ ok: true, value: { saved: false } });
    expect(existsSync(path.join(sb.root, 'chosen-by-the-window.csv'))).toBe(false);
  });
});
