import { describe, expect, it } from 'vitest';
import { READINESS_STATES } from '../../../../contract/ipc';
import { KEY_STATUSES, ROTATION_STATUSES, type PlanEntry } from '../../../../contract/plan';
import { filterRows, toRows } from '../../../../renderer/lib/rows';
import {
  DISPLAY_ORDER,
  displayOf,
  KEY_LOOKS,
  READINESS_LOOKS,
  isRotatedEntry,
  ROTATION_LOOKS,
  rotationTally,
  type KeyDisplayStatus,
} from '../../../../renderer/lib/status';

const entry = (name: string, status: PlanEntry['status'], patch: Partial<PlanEntry> = {}): PlanEntry => ({
  name,
  status,
  overrides: [],
  reused: false,
  origin: {
    id: `chamber:api/dev#${name.toLowerCase()}`,
    kind: 'chamber',
    ref: 'api/dev',
    sourceKey: name.toLowerCase(),
    sourceIndex: 0,
  },
  ...patch,
});

describe('statuses in words', () => {
  it('shows every plan status as one display status, a conflict by whether the source moved too', () => {
    const shown = KEY_STATUSES.map((s) => displayOf(s));
    expect(shown).toEqual([
      'new',
      'changed-remotely',
      'removed',
      'in-sync',
      'local-only',
      'edited-locally',
      'error',
      'needs-input',
      'keychain-locked',
      'source-offline',
      'local-override',
    ]);
    expect(KEY_LOOKS['needs-input'].label).toBe('Needs input');
    expect(KEY_LOOKS['keychain-locked'].label).toBe('Keychain locked');
    expect(displayOf('conflict', true)).toBe('conflict');
    const all = new Set<KeyDisplayStatus>([...shown, 'conflict']);
    expect([...DISPLAY_ORDER].sort()).toEqual([...all].sort());
    expect(Object.keys(KEY_LOOKS).sort()).toEqual([...all].sort());
  });

  it('has a look for every rotation and readiness state of the contract, each with a word and a tone', () => {
    for (const s of ROTATION_STATUSES) expect(ROTATION_LOOKS[s].label).toMatch(/\S/);
    for (const s of READINESS_STATES) expect(READINESS_LOOKS[s].label).toMatch(/\S/);
    expect(ROTATION_LOOKS.due.explain).toMatch(/^At 80 % or more/);
  });
});

describe('rows', () => {
  const rows = toRows([
    entry('DB_HOST', 'unchanged'),
    entry('DB_PASSWORD', 'change', { rotation: { status: 'overdue', maxAgeDays: 90, ageDays: 120 } }),
    entry('LOCAL', 'local-only', { origin: undefined }),
    entry('API_KEY', 'conflict', { remoteChanged: true }),
  ]);

  it('derives the display status, age and search text once per entry', () => {
    expect(rows.map((r) => r.display)).toEqual(['in-sync', 'changed-remotely', 'local-only', 'conflict']);
    expect(rows[1]!.age).toBe(120);
    expect(rows[1]!.haystack).toContain('changed remotely');
    expect(rows[1]!.haystack).toContain('overdue');
  });

  it('filters by every word and by facet; "attention" hides what needs nothing', () => {
    const names = (r: ReturnType<typeof filterRows>) => r.map((x) => x.entry.name);
    expect(filterRows(rows, '', 'all')).toBe(rows);
    expect(names(filterRows(rows, 'db', 'all'))).toEqual(['DB_HOST', 'DB_PASSWORD']);
    expect(names(filterRows(rows, 'db overdue', 'all'))).toEqual(['DB_PASSWORD']);
    expect(names(filterRows(rows, '', 'attention'))).toEqual(['DB_PASSWORD', 'API_KEY']);
    expect(names(filterRows(rows, 'api', 'conflict'))).toEqual(['API_KEY']);
  });

  it('a first sync is not a worklist: new keys are green "New" and need no attention (issue 14, item 12)', () => {
    const first = toRows([entry('A', 'add'), entry('B', 'add'), entry('MINE', 'local-override')]);
    expect(first.map((r) => r.display)).toEqual(['new', 'new', 'local-override']);
    expect(KEY_LOOKS.new).toMatchObject({ label: 'New', tone: 'ok' });
    expect(filterRows(first, '', 'attention')).toEqual([]);
    // Edited locally is kept, so it is amber, not the red of a real conflict.
    expect(KEY_LOOKS['edited-locally'].tone).toBe('warn');
    expect(KEY_LOOKS.conflict.tone).toBe('bad');
  });
});

describe('rotation counts', () => {
  const setOrigin = { id: 'set#LOG_LEVEL', kind: 'set' as const, ref: 'set', sourceKey: 'LOG_LEVEL', sourceIndex: 1 };
  const keychainOrigin = {
    id: 'keychain:MY_TOKEN',
    kind: 'keychain' as const,
    ref: 'MY_TOKEN',
    sourceKey: 'MY_TOKEN',
    sourceIndex: 2,
  };
  const entries = [
    entry('A', 'unchanged', { rotation: { status: 'ok', maxAgeDays: 90, ageDays: 3 } }),
    entry('B', 'change', { rotation: { status: 'overdue', maxAgeDays: 90, ageDays: 120 } }),
    entry('C', 'add', { rotation: { status: 'unknown', maxAgeDays: 90 } }),
    entry('GONE', 'remove', { rotation: { status: 'due', maxAgeDays: 90, ageDays: 80 } }),
    entry('LOG_LEVEL', 'unchanged', { origin: setOrigin }),
    entry('MY_TOKEN', 'add', { origin: keychainOrigin }),
  ];

  it('counts set: and keychain values as not rotated, never as unknown', () => {
    expect(rotationTally(entries)).toEqual({ counts: { ok: 1, due: 0, overdue: 1, unknown: 1 }, notRotated: 2 });
  });

  it('charts only keys that have a rotation status and are still written', () => {
    expect(entries.filter(isRotatedEntry).map((e) => e.name)).toEqual(['A', 'B', 'C']);
  });
});
