import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { auditFilterPredicate, type FilterableAuditEvent } from '../../../contract/audit-filter-predicate';
import type { AuditEvent } from '../../../main/core/audit';
import { auditCsv, auditJson } from '../../../main/core/audit-export';

const HASH = 'a'.repeat(64);

function event(seq: number, fields: Partial<AuditEvent> = {}): AuditEvent {
  return {
    seq,
    time: `2026-11-${String(10 + seq).padStart(2, '0')}T12:00:00.000Z`,
    user: 'dana',
    action: 'sync',
    outcome: 'ok',
    prevHash: HASH,
    hash: HASH,
    ...fields,
  };
}

/** Python's csv module: a reader we did not write, as a spreadsheet import would be. */
function readCsvWithPython(text: string): string[][] {
  const run = spawnSync('python3', ['-c', 'import csv,json,sys; print(json.dumps(list(csv.reader(sys.stdin))))'], {
    input: text,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`python3 csv: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[][];
}

describe('the audit trail as CSV', () => {
  it('reads back cell for cell through a real CSV reader, quotes, commas and new lines included', () => {
    const events = [
      event(1, { profile: 'dev', keys: ['DB_URL', 'API_KEY'], target: '/work/a "quoted", path/.env' }),
      event(2, { action: 'reveal', outcome: 'error', detail: 'ACCESS_DENIED\nline two' }),
    ];
    const rows = readCsvWithPython(auditCsv(events));
    expect(rows[0]).toEqual([
      'seq',
      'time',
      'user',
      'action',
      'outcome',
      'profile',
      'target',
      'keys',
      'detail',
      'hash',
    ]);
    expect(rows[1]).toEqual([
      '1',
      events[0]!.time,
      'dana',
      'sync',
      'ok',
      'dev',
      '/work/a "quoted", path/.env',
      'DB_URL API_KEY',
      '',
      HASH,
    ]);
    expect(rows[2]![8]).toBe('ACCESS_DENIED\nline two');
    expect(rows).toHaveLength(3);
  });

  it('never lets a spreadsheet run a cell as a formula', () => {
    const hostile = ['=HYPERLINK("https://evil.test","x")', '+1+1', '-2', '@SUM(A1)'];
    const rows = readCsvWithPython(auditCsv(hostile.map((profile, i) => event(i + 1, { profile }))));
    for (const [i, text] of hostile.entries()) expect(rows[i + 1]![5]).toBe(`'${text}`);
  });
});

describe('the audit trail as JSON', () => {
  it('keeps every event whole, hashes included, so a reader can re-check the chain', () => {
    const events = [event(1), event(2, { keys: ['A'] })];
    const parsed = JSON.parse(auditJson(events, new Date('2026-12-02T00:00:00Z'))) as Record<string, unknown>;
    expect(parsed).toEqual({ kind: 'latchkey-audit', exportedAt: '2026-12-02T00:00:00.000Z', events });
  });
});

describe('the audit filter the screen and the export share', () => {
  const events: FilterableAuditEvent[] = [
    event(1, { profile: 'dev', keys: ['DB_URL'] }),
    event(2, { action: 'reveal', outcome: 'error', keys: ['JWT_SECRET'], user: 'sam' }),
    event(3, { action: 'copy', outcome: 'cancelled', detail: 'user closed the dialog' }),
    event(4, { action: 'sync', outcome: 'intent', profile: 'staging' }),
  ];
  const seqs = (filter: Parameters<typeof auditFilterPredicate>[0]) =>
    events.filter(auditFilterPredicate(filter)).map((e) => (e as AuditEvent).seq);

  it('matches every word of the query, in any field, whatever the case', () => {
    expect(seqs({ query: 'jwt' })).toEqual([2]);
    expect(seqs({ query: 'SAM reveal' })).toEqual([2]);
    expect(seqs({ query: 'closed dialog' })).toEqual([3]);
    expect(seqs({ query: 'dev staging' })).toEqual([]);
    expect(seqs({})).toEqual([1, 2, 3, 4]);
  });

  it('keeps chosen actions, failures only, and a time range with both ends included', () => {
    expect(seqs({ actions: ['sync'] })).toEqual([1, 4]);
    expect(seqs({ problemsOnly: true })).toEqual([2, 3]);
    expect(seqs({ from: events[1]!.time, to: events[2]!.time })).toEqual([2, 3]);
  });
});
