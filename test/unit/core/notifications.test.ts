import { describe, expect, it } from 'vitest';
import {
  createNoticeLedger,
  SESSION_WARNING_MS,
  sessionNotices,
  worklistNotices,
} from '../../../main/core/notifications';
import { buildWorklist, type ScanFinding } from '../../../main/core/rotation-worklist';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();
const inMs = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

function rows(opts: { age: number; version?: number; drifted?: boolean }) {
  const finding: ScanFinding = {
    awsProfile: 'acme-dev',
    region: 'us-east-1',
    parameter: '/api/dev/db_password',
    sourceKind: 'chamber',
    version: opts.version ?? 3,
    lastModified: daysAgo(opts.age),
    user: {
      dir: '/p/api',
      project: 'api',
      profile: 'dev',
      key: 'DB_PASSWORD',
      maxAgeDays: 90,
      drifted: opts.drifted ?? false,
    },
  };
  return buildWorklist([finding], NOW);
}

describe('worklist notices', () => {
  it('tells of drift and of an overdue key, by name, never by value', () => {
    const notices = worklistNotices(rows({ age: 120, drifted: true }));
    expect(notices.map((n) => [n.title, n.screen])).toEqual([
      ['DB_PASSWORD changed in api', 'rotation'],
      ['DB_PASSWORD is overdue for rotation', 'rotation'],
    ]);
    expect(notices[1]!.body).toContain('90-day policy');
  });

  it('says nothing of a key that is only due, or in sync', () => {
    expect(worklistNotices(rows({ age: 80 }))).toEqual([]);
    expect(worklistNotices(rows({ age: 1 }))).toEqual([]);
  });
});

describe('once per event', () => {
  it('notifies an event once however many scans find it, and a new version again', () => {
    const ledger = createNoticeLedger();
    expect(ledger.fresh(worklistNotices(rows({ age: 120, drifted: true })))).toHaveLength(2);
    expect(ledger.fresh(worklistNotices(rows({ age: 120, drifted: true })))).toEqual([]);
    expect(ledger.fresh(worklistNotices(rows({ age: 121, drifted: true })))).toEqual([]);
    // A teammate wrote version 4: new drift; still overdue by date, but a new version is a new event.
    expect(ledger.fresh(worklistNotices(rows({ age: 120, version: 4, drifted: true }))).map((n) => n.id)).toHaveLength(
      2,
    );
  });

  it('keeps a repeated notice in one batch to one', () => {
    const ledger = createNoticeLedger();
    const [n] = worklistNotices(rows({ age: 120 }));
    expect(ledger.fresh([n!, n!])).toHaveLength(1);
  });
});

describe('session notices', () => {
  it('tells of a session ending within 10 minutes, not before, not after it ended', () => {
    const sessions = [
      { profile: 'in-ten', expiresAt: inMs(SESSION_WARNING_MS) },
      { profile: 'in-eleven', expiresAt: inMs(SESSION_WARNING_MS + 60_000) },
      { profile: 'in-one', expiresAt: inMs(60_000) },
      { profile: 'ended', expiresAt: inMs(-1) },
      { profile: 'garbled', expiresAt: 'soon' },
    ];
    const notices = sessionNotices(sessions, NOW);
    expect(notices.map((n) => n.title)).toEqual([
      'AWS session in-ten ends in 10 min',
      'AWS session in-one ends in 1 min',
    ]);
    expect(notices.every((n) => n.screen === 'aws')).toBe(true);
  });

  it('with a clock that moves on, a session is told of once, and its renewal is a new event', () => {
    const ledger = createNoticeLedger();
    const session = { profile: 'acme-dev', expiresAt: inMs(15 * 60_000) };
    const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
    const told = (minutes: number, s = session) => ledger.fresh(sessionNotices([s], at(minutes))).length;
    expect(told(0)).toBe(0);
    expect(told(4)).toBe(0);
    expect(told(5)).toBe(1);
    expect(told(6)).toBe(0);
    expect(told(14)).toBe(0);
    const renewed = { profile: 'acme-dev', expiresAt: inMs(75 * 60_000) };
    expect(told(66, renewed)).toBe(1);
  });
});
