import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../../main/core/dotenv';
import type { NamedSecret } from '../../../main/core/names';
import { computePlan, type PlanInput, type PreviousEntry } from '../../../main/core/plan';
import { originOf, type ChamberSpec, type Profile, type SourceSpec, type SpecOf } from '../../../main/core/types';

const KEY = Buffer.from('k'.repeat(32));
const mac = (name: string, value: string) => createHmac('sha256', KEY).update(`${name}\0${value}`).digest('hex');
const NOW = new Date('2026-11-28T12:00:00Z');

const spec: ChamberSpec = { kind: 'chamber', service: 'api/dev', index: 0, aws: {} };
const profile: Profile = {
  name: 'dev',
  target: '/p/.env',
  targetRel: '.env',
  dialect: 'portable',
  rotation: { maxAgeDays: 90 },
  sources: [spec],
};

/** A named secret; `value` undefined stands for one the source did not read (reused). */
function named(name: string, value: string | undefined, extra: Partial<NamedSecret['secret']> = {}): NamedSecret {
  const sourceKey = name.toLowerCase();
  return {
    name,
    secret: {
      spec,
      sourceKey,
      ...(value !== undefined && { value }),
      meta: { version: '1', modifiedAt: '2026-11-01T00:00:00Z' },
      ...extra,
    },
    origin: originOf(spec, sourceKey),
    overrides: [],
  };
}

function prev(name: string, value: string): PreviousEntry {
  return { origin: originOf(spec, name.toLowerCase()).id, version: '1', hmac: mac(name, value) };
}

function plan(overrides: Partial<PlanInput>) {
  return computePlan({
    profile,
    manifestPath: '/p/latchkey.yml',
    named: [],
    nameErrors: [],
    current: undefined,
    previous: new Map(),
    mac,
    takeRemote: new Set(),
    warnings: [],
    gitignoreNeeded: false,
    now: NOW,
    ...overrides,
  });
}

const statusOf = (result: ReturnType<typeof plan>, name: string) =>
  result.plan.entries.find((e) => e.name === name)?.status;

describe('computePlan', () => {
  it('adds every key to a file that does not exist yet', () => {
    const result = plan({ named: [named('A', '1'), named('B', '2')] });
    expect(result.plan.entries.map((e) => [e.name, e.status])).toEqual([
      ['A', 'add'],
      ['B', 'add'],
    ]);
    expect([...result.set]).toEqual([
      ['A', '1'],
      ['B', '2'],
    ]);
    expect(result.plan.writes).toBe(true);
  });

  it('is unchanged when the file holds what the source says', () => {
    const result = plan({
      named: [named('A', '1')],
      current: parseDotenv('A=1\n'),
      previous: new Map([['A', prev('A', '1')]]),
    });
    expect(statusOf(result, 'A')).toBe('unchanged');
    expect(result.plan.writes).toBe(false);
  });

  it('changes a key when the source moved and the file still holds what we wrote', () => {
    const result = plan({
      named: [named('A', 'new')],
      current: parseDotenv('A=old\n'),
      previous: new Map([['A', prev('A', 'old')]]),
    });
    expect(statusOf(result, 'A')).toBe('change');
    expect(result.set.get('A')).toBe('new');
  });

  it('keeps a local edit as a conflict by default, and takes the remote value only when asked', () => {
    const input = {
      named: [named('A', 'remote')],
      current: parseDotenv('A=edited\n'),
      previous: new Map([['A', prev('A', 'synced')]]),
    };
    const kept = plan(input);
    expect(statusOf(kept, 'A')).toBe('conflict');
    expect(kept.plan.entries[0]).toMatchObject({ resolution: 'keep-local', remoteChanged: true });
    expect(kept.set.has('A')).toBe(false);
    expect(kept.keepPrevious.has('A')).toBe(true);

    const taken = plan({ ...input, takeRemote: new Set(['A']) });
    expect(taken.plan.entries[0]).toMatchObject({ status: 'conflict', resolution: 'take-remote' });
    expect(taken.set.get('A')).toBe('remote');
  });

  it('reports a local edit of an unchanged remote as a conflict that is not a remote change', () => {
    const result = plan({
      named: [named('A', 'synced')],
      current: parseDotenv('A=edited\n'),
      previous: new Map([['A', prev('A', 'synced')]]),
    });
    expect(result.plan.entries[0]).toMatchObject({ status: 'conflict', remoteChanged: false });
  });

  it('treats a key already in the file that Latchkey never wrote as a conflict, so nothing typed by hand is lost', () => {
    const result = plan({ named: [named('A', 'remote')], current: parseDotenv('A=handwritten\n') });
    expect(statusOf(result, 'A')).toBe('conflict');
    expect(result.set.size).toBe(0);
  });

  it('removes only keys it wrote before that the profile no longer produces, and only when untouched', () => {
    const result = plan({
      named: [],
      current: parseDotenv('GONE=x\nEDITED=mine\nMINE=local\n'),
      previous: new Map([
        ['GONE', prev('GONE', 'x')],
        ['EDITED', prev('EDITED', 'theirs')],
      ]),
    });
    expect(statusOf(result, 'GONE')).toBe('remove');
    expect(statusOf(result, 'EDITED')).toBe('local-only');
    expect(statusOf(result, 'MINE')).toBe('local-only');
    expect([...result.remove]).toEqual(['GONE']);
  });

  it('marks a value with no spelling in the dialect as an error naming the key, not the value', () => {
    const result = plan({ named: [named('BAD', 'canary-XYZZY-4815\rtail')] });
    const entry = result.plan.entries[0]!;
    expect(entry.status).toBe('error');
    expect(entry.reason).toBeTruthy();
    expect(JSON.stringify(result.plan)).not.toContain('XYZZY-4815');
  });

  it('carries rotation status and never a value', () => {
    const result = plan({ named: [named('A', 'canary-value-123')] });
    expect(result.plan.entries[0]!.rotation).toMatchObject({ status: 'ok', maxAgeDays: 90 });
    expect(JSON.stringify(result.plan)).not.toContain('canary-value-123');
  });

  it('gives set: and keychain values no rotation status at all, not "unknown"', () => {
    const setSpec: SpecOf<'set'> = { kind: 'set', values: { LOG_LEVEL: 'debug' }, index: 1 };
    const keychainSpec: SpecOf<'keychain'> = { kind: 'keychain', name: 'MY_TOKEN', index: 2 };
    const undated = (name: string, of: SourceSpec): NamedSecret => ({
      name,
      secret: { spec: of, sourceKey: name, value: 'v', meta: {} },
      origin: originOf(of, name),
      overrides: [],
    });
    const result = plan({
      named: [
        undated('LOG_LEVEL', setSpec),
        undated('MY_TOKEN', keychainSpec),
        named('A', '1', { meta: { version: '1' } }),
      ],
    });
    const rotationOf = (name: string) => result.plan.entries.find((e) => e.name === name)!.rotation;
    expect(rotationOf('LOG_LEVEL')).toBeUndefined();
    expect(rotationOf('MY_TOKEN')).toBeUndefined();
    // A rotated source without a date is still honestly unknown.
    expect(rotationOf('A')).toMatchObject({ status: 'unknown' });
  });

  it('takes a reused value from the file', () => {
    const result = plan({
      named: [named('A', undefined, { reused: true })],
      current: parseDotenv('A=kept\n'),
      previous: new Map([['A', prev('A', 'kept')]]),
    });
    expect(result.plan.entries[0]).toMatchObject({ status: 'unchanged', reused: true });
    expect(result.managed.get('A')?.value).toBe('kept');
  });
});

describe('computePlan: overrides and collisions', () => {
  it('shows an override with both origins, and a differently spelled collision in words', () => {
    const later: ChamberSpec = { kind: 'chamber', service: 'shared/dev', index: 1, aws: {} };
    const loser = originOf(spec, 'api.key');
    const winner: NamedSecret = {
      name: 'API_KEY',
      secret: { spec: later, sourceKey: 'api-key', value: 'v', meta: {} },
      origin: originOf(later, 'api-key'),
      overrides: [loser],
      collision:
        '"api.key" (chamber:api/dev#api.key) and "api-key" (chamber:shared/dev#api-key) all map to API_KEY; the later source wins',
    };
    const entry = plan({ named: [winner] }).plan.entries[0]!;
    expect(entry.origin?.id).toBe('chamber:shared/dev#api-key');
    expect(entry.overrides.map((o) => o.id)).toEqual(['chamber:api/dev#api.key']);
    expect(entry.collision).toContain('chamber:api/dev#api.key');
  });
});

describe('computePlan: personal secrets not set, and keys the user keeps as theirs', () => {
  it('shows a personal secret not set yet as needs-input, and plans the rest as usual', () => {
    const result = plan({ named: [named('A', '1'), named('TOKEN', undefined, { needsInput: true })] });
    expect(result.plan.entries.map((e) => [e.name, e.status])).toEqual([
      ['A', 'add'],
      ['TOKEN', 'needs-input'],
    ]);
    expect(result.set.has('TOKEN')).toBe(false);
    expect(result.managed.has('TOKEN')).toBe(false);
    expect(result.plan.counts['needs-input']).toBe(1);
  });

  it('never writes, removes or conflicts on a kept key, whatever the file and the source say', () => {
    const result = plan({
      named: [named('DB_HOST', 'db.remote'), named('B', '2')],
      current: parseDotenv('DB_HOST=localhost\nB=2\nGONE=mine\nLOCAL=x\n'),
      previous: new Map([
        ['DB_HOST', prev('DB_HOST', 'db.old')],
        ['GONE', prev('GONE', 'mine')],
      ]),
      kept: new Set(['DB_HOST', 'GONE', 'LOCAL']),
    });
    expect(Object.fromEntries(result.plan.entries.map((e) => [e.name, e.status]))).toEqual({
      DB_HOST: 'local-override',
      B: 'unchanged',
      GONE: 'local-override',
      LOCAL: 'local-override',
    });
    expect(result.set.size + result.remove.size).toBe(0);
    expect(result.plan.counts.conflict).toBe(0);
    expect(result.plan.writes).toBe(false);
    expect(result.plan.entries.find((e) => e.name === 'DB_HOST')?.reason).toMatch(/latchkey\.local\.yml/);
  });

  it('a kept key missing from the file is not added either', () => {
    const result = plan({ named: [named('A', '1')], kept: new Set(['A']) });
    expect(statusOf(result, 'A')).toBe('local-override');
    expect(result.plan.writes).toBe(false);
  });
});
