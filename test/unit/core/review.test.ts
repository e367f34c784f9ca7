import { createHash, createHmac } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlanSchema } from '../../../contract/plan';
import { parseDotenv } from '../../../main/core/dotenv';
import { parseManifest } from '../../../main/core/manifest';
import type { NamedSecret } from '../../../main/core/names';
import { computePlan, fingerprintOf, type PlanInput, type PreviousEntry } from '../../../main/core/plan';
import { valueHmac } from '../../../main/core/state';
import { preparePlan } from '../../../main/core/sync';
import { originOf, type ChamberSpec, type Profile } from '../../../main/core/types';
import { readWithDotenv } from '../../support/env-readers';
import { memoryKeychain, offlineRuntime } from '../../support/ipc-sandbox';
import { useTempDir } from '../../support/temp';

// Issue 14, item 3: every change carries its context (lengths, keyed fingerprints, the last synced version), and
// every change can be unticked, which leaves the file as it is for that key.

const KEY_ONE = new Uint8Array(Buffer.from('1'.repeat(32)));
const KEY_TWO = new Uint8Array(Buffer.from('2'.repeat(32)));
const macOne = (name: string, value: string) => valueHmac(KEY_ONE, name, value);
const NOW = new Date('2026-12-01T12:00:00Z');
const CANARY_LOCAL = 'canary-review-local-7f3a9';
const CANARY_REMOTE = 'canary-review-remote-e21c4b';

const spec: ChamberSpec = { kind: 'chamber', service: 'api/dev', index: 0, aws: {} };
const profile: Profile = {
  name: 'dev',
  target: '/p/.env',
  targetRel: '.env',
  dialect: 'portable',
  rotation: { maxAgeDays: 90 },
  sources: [spec],
};

function named(name: string, value: string): NamedSecret {
  const sourceKey = name.toLowerCase();
  return {
    name,
    secret: {
      spec,
      sourceKey,
      value,
      meta: { version: '7', modifiedAt: '2026-11-30T09:00:00Z', modifiedBy: 'arn:aws:iam::1:user/ana' },
    },
    origin: originOf(spec, sourceKey),
    overrides: [],
  };
}

function prev(name: string, value: string): PreviousEntry {
  return {
    origin: originOf(spec, name.toLowerCase()).id,
    version: '6',
    hmac: macOne(name, value),
    modifiedAt: '2026-10-01T00:00:00Z',
    syncedAt: '2026-10-02T00:00:00Z',
  };
}

function plan(overrides: Partial<PlanInput>) {
  return computePlan({
    profile,
    manifestPath: '/p/latchkey.yml',
    named: [],
    nameErrors: [],
    current: undefined,
    previous: new Map(),
    mac: macOne,
    fingerprint: fingerprintOf(macOne),
    takeRemote: new Set(),
    warnings: [],
    gitignoreNeeded: false,
    now: NOW,
    ...overrides,
  });
}

describe('fingerprints', () => {
  it('are keyed: the same name and value on two machines (two drift keys) give different fingerprints', () => {
    const one = fingerprintOf(macOne)('DB_PASSWORD', CANARY_REMOTE);
    const two = fingerprintOf((n, v) => valueHmac(KEY_TWO, n, v))('DB_PASSWORD', CANARY_REMOTE);
    expect(one).toMatch(/^[0-9a-f]{8}$/);
    expect(two).toMatch(/^[0-9a-f]{8}$/);
    expect(one).not.toBe(two);
  });

  it('never equal an unkeyed sha256 prefix of the value, nor of the name and value', () => {
    for (const value of [CANARY_REMOTE, '', 'on', '0123']) {
      const fingerprint = fingerprintOf(macOne)('TOKEN', value);
      const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);
      expect(fingerprint).not.toBe(sha(value));
      expect(fingerprint).not.toBe(sha(`TOKEN\0${value}`));
      // An HMAC with an empty key is a hash anyone can compute: not that either.
      expect(fingerprint).not.toBe(createHmac('sha256', '').update(`TOKEN\0${value}`).digest('hex').slice(0, 8));
    }
  });

  it('a conflict carries both sides and what was synced; lengths, fingerprints and versions, never a value', () => {
    const result = plan({
      named: [named('DB_PASSWORD', CANARY_REMOTE)],
      current: parseDotenv(`DB_PASSWORD=${CANARY_LOCAL}\n`),
      previous: new Map([['DB_PASSWORD', prev('DB_PASSWORD', 'what-we-wrote')]]),
    });
    const entry = result.plan.entries[0]!;
    expect(entry.status).toBe('conflict');
    expect(entry.meta).toMatchObject({ version: '7', modifiedBy: 'arn:aws:iam::1:user/ana' });
    expect(entry.context).toEqual({
      local: { length: CANARY_LOCAL.length, fingerprint: macOne('DB_PASSWORD', CANARY_LOCAL).slice(0, 8) },
      remote: { length: CANARY_REMOTE.length, fingerprint: macOne('DB_PASSWORD', CANARY_REMOTE).slice(0, 8) },
      synced: {
        fingerprint: macOne('DB_PASSWORD', 'what-we-wrote').slice(0, 8),
        version: '6',
        modifiedAt: '2026-10-01T00:00:00Z',
        syncedAt: '2026-10-02T00:00:00Z',
      },
    });
    // The contract keeps the context, and the plan that leaves main holds no value.
    const crossing = JSON.stringify(PlanSchema.parse(result.plan));
    expect(crossing).toContain('"fingerprint"');
    expect(crossing).not.toContain(CANARY_LOCAL);
    expect(crossing).not.toContain(CANARY_REMOTE);
  });

  it('an untouched local value shows the synced fingerprint; a length counts characters, not bytes', () => {
    const result = plan({
      named: [named('GREETING', 'héllo wörld')],
      current: parseDotenv('GREETING=hello\n'),
      previous: new Map([['GREETING', prev('GREETING', 'hello')]]),
    });
    const entry = result.plan.entries[0]!;
    expect(entry.status).toBe('change');
    expect(entry.context?.local?.fingerprint).toBe(entry.context?.synced?.fingerprint);
    expect(entry.context?.remote?.length).toBe(11);
  });

  it('an add has only the remote side, a remove only the local one, an unchanged key no context', () => {
    const result = plan({
      named: [named('NEW', 'n'), named('SAME', 's')],
      current: parseDotenv('SAME=s\nGONE=g\n'),
      previous: new Map([
        ['SAME', prev('SAME', 's')],
        ['GONE', prev('GONE', 'g')],
      ]),
    });
    const byName = Object.fromEntries(result.plan.entries.map((e) => [e.name, e]));
    expect(byName.NEW?.context?.local).toBeUndefined();
    expect(byName.NEW?.context?.remote?.length).toBe(1);
    expect(byName.GONE?.status).toBe('remove');
    expect(byName.GONE?.context?.remote).toBeUndefined();
    expect(byName.GONE?.context?.local?.fingerprint).toBe(byName.GONE?.context?.synced?.fingerprint);
    expect(byName.SAME?.context).toBeUndefined();
  });

  it('an untracked plan (no drift key) carries no fingerprint at all', () => {
    const result = plan({ named: [named('A', '1')], fingerprint: undefined });
    expect(result.plan.entries[0]?.context).toBeUndefined();
  });
});

describe('unticked changes in computePlan', () => {
  it('an unticked add, change and remove write nothing and keep the record of what was synced', () => {
    const result = plan({
      named: [named('NEW', 'n'), named('CHANGED', 'c2')],
      current: parseDotenv('CHANGED=c1\nGONE=g\n'),
      previous: new Map([
        ['CHANGED', prev('CHANGED', 'c1')],
        ['GONE', prev('GONE', 'g')],
      ]),
      keepLocal: new Set(['NEW', 'CHANGED', 'GONE']),
    });
    expect(result.plan.entries.map((e) => [e.name, e.status, e.resolution])).toEqual([
      ['NEW', 'add', 'keep-local'],
      ['CHANGED', 'change', 'keep-local'],
      ['GONE', 'remove', 'keep-local'],
    ]);
    expect(result.set.size + result.remove.size).toBe(0);
    expect(result.plan.writes).toBe(false);
    expect([...result.managed.keys()]).toEqual([]);
    expect([...result.keepPrevious].sort()).toEqual(['CHANGED', 'GONE']);
  });

  it('unticking a conflict is its default: keep-local changes nothing about it', () => {
    const input = {
      named: [named('A', 'remote')],
      current: parseDotenv('A=mine\n'),
      previous: new Map([['A', prev('A', 'old')]]),
    };
    const plain = plan(input);
    const unticked = plan({ ...input, keepLocal: new Set(['A']) });
    expect(unticked.plan).toEqual(plain.plan);
    expect(unticked.plan.entries[0]?.resolution).toBe('keep-local');
  });
});

const tmp = useTempDir('latchkey-review-');

describe('unticked changes through preparePlan and apply', () => {
  async function project() {
    const dir = path.join(tmp.path, 'project');
    const appDir = path.join(tmp.path, 'home');
    await fs.mkdir(dir, { recursive: true });
    const file = path.join(dir, 'latchkey.yml');
    const keychain = memoryKeychain();
    const runtime = offlineRuntime(appDir, keychain);
    const load = async (sources: string) => {
      const text = `version: 1\nprofiles:\n  dev:\n    sources:\n      - set: ${sources}\n`;
      await fs.writeFile(file, text);
      const manifest = parseManifest(text, file);
      return { manifest, env: runtime.syncEnvironment(manifest) };
    };
    return { target: path.join(dir, '.env'), load };
  }

  it('leaves unticked lines byte for byte and applies only the ticked ones; the next plan offers the rest again', async () => {
    const { target, load } = await project();
    const first = await load('{ CHANGED: "c1", GONE: "g1", KEEP: "k1", LATER_GONE: "l1" }');
    await (await preparePlan(first.manifest, 'dev', first.env)).apply();
    // The user's own layout around the managed lines: comments and spacing must survive.
    const layout = `# mine\n${await fs.readFile(target, 'utf8')}\n# end\n`;
    await fs.writeFile(target, layout);

    const second = await load('{ CHANGED: "c2", KEEP: "k1", NEW: "n1" }');
    const none = await preparePlan(second.manifest, 'dev', second.env, {
      keepLocal: ['CHANGED', 'GONE', 'NEW', 'LATER_GONE'],
    });
    expect(none.plan.writes).toBe(false);
    const nothing = await none.apply();
    expect(nothing.wrote).toBe(false);
    expect(await fs.readFile(target, 'utf8')).toBe(layout);

    // The state kept its record: the same four changes are offered again.
    const again = await preparePlan(second.manifest, 'dev', second.env, { keepLocal: ['CHANGED', 'GONE'] });
    expect(
      again.plan.entries
        .filter((e) => e.status !== 'unchanged')
        .map((e) => [e.name, e.status, e.resolution ?? 'apply']),
    ).toEqual([
      ['CHANGED', 'change', 'keep-local'],
      ['NEW', 'add', 'apply'],
      ['GONE', 'remove', 'keep-local'],
      ['LATER_GONE', 'remove', 'apply'],
    ]);
    await again.apply();
    const after = await fs.readFile(target, 'utf8');
    const lineOf = (text: string, name: string) => text.split('\n').find((l) => l.startsWith(`${name}=`));
    expect(lineOf(after, 'CHANGED')).toBe(lineOf(layout, 'CHANGED'));
    expect(lineOf(after, 'GONE')).toBe(lineOf(layout, 'GONE'));
    expect(after.startsWith('# mine\n')).toBe(true);
    expect(after).toContain('\n# end\n');
    const values = readWithDotenv(after);
    expect(values).toMatchObject({ CHANGED: 'c1', GONE: 'g1', KEEP: 'k1', NEW: 'n1' });
    expect(values.LATER_GONE).toBeUndefined();

    // Ticked at last, the held-back changes go through, and the file is in sync.
    const last = await preparePlan(second.manifest, 'dev', second.env);
    expect(last.plan.entries.filter((e) => e.status !== 'unchanged').map((e) => [e.name, e.status])).toEqual([
      ['CHANGED', 'change'],
      ['GONE', 'remove'],
    ]);
    await last.apply();
    const final = readWithDotenv(await fs.readFile(target, 'utf8'));
    expect(final).toEqual({ CHANGED: 'c2', KEEP: 'k1', NEW: 'n1' });
  });
});
