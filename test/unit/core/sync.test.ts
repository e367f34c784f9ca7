import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../main/core/manifest';
import { personalSecretAccount } from '../../../main/core/keychain';
import { loadSyncState } from '../../../main/core/state';
import { preparePlan, profileOf } from '../../../main/core/sync';
import { memoryKeychain, offlineRuntime } from '../../support/ipc-sandbox';
import { rejection, useTempDir } from '../../support/temp';

// The sync engine offline (set and keychain sources, an in-memory keychain), for the rules that need no network.

const tmp = useTempDir('latchkey-sync-');

/** Names that every plain object already answers to: a lookup by them must find nothing unless it was defined. */
const OBJECT_NAMES = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];

async function project(manifest: string) {
  const dir = path.join(tmp.path, 'project');
  const appDir = path.join(tmp.path, 'home');
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, 'latchkey.yml');
  await fs.writeFile(file, manifest);
  const keychain = memoryKeychain();
  const runtime = offlineRuntime(appDir, keychain);
  const m = parseManifest(manifest, file);
  return { dir, appDir, keychain, manifest: m, env: runtime.syncEnvironment(m) };
}

describe('names that objects already have (issue 10, item 16)', () => {
  it('an unknown profile named like an object property is PROFILE_NOT_FOUND, never an internal error', async () => {
    const { manifest } = await project('version: 1\nprofiles:\n  dev:\n    sources: [{ set: { A: "1" } }]\n');
    for (const name of OBJECT_NAMES) {
      const error = await rejection(Promise.resolve().then(() => profileOf(manifest, name)));
      expect(error.code).toBe('PROFILE_NOT_FOUND');
      expect(error.message).toContain(`"${name}"`);
    }
  });

  it('profiles named constructor and toString are ordinary profiles', async () => {
    const { manifest } = await project(
      'version: 1\nprofiles:\n  constructor:\n    target: a.env\n    sources: [{ set: { A: "1" } }]\n  toString:\n    target: b.env\n    sources: [{ set: { B: "2" } }]\n',
    );
    expect(profileOf(manifest, 'constructor').targetRel).toBe('a.env');
    expect(profileOf(manifest, 'toString').targetRel).toBe('b.env');
  });

  it('syncs, re-plans and keeps local edits of keys named like object properties', async () => {
    const { dir, appDir, keychain, manifest, env } = await project(
      [
        'version: 1',
        'profiles:',
        '  dev:',
        '    dialect: docker # the portable dialect refuses __proto__ (dotenv drops it); docker reads it',
        '    sources:',
        '      - set: { constructor: one, toString: two, valueOf: three, hasOwnProperty: four }',
        '      - keychain: __proto__',
        '',
      ].join('\n'),
    );
    await keychain.set(personalSecretAccount(manifest.path, '__proto__'), 'five');
    const first = await preparePlan(manifest, 'dev', env);
    expect(first.plan.entries.map((e) => [e.name, e.status])).toEqual([
      ['constructor', 'add'],
      ['toString', 'add'],
      ['valueOf', 'add'],
      ['hasOwnProperty', 'add'],
      ['__proto__', 'add'],
    ]);
    await first.apply();
    const target = path.join(dir, '.env');
    const state = await loadSyncState(appDir, target);
    expect([...state.entries.keys()].sort()).toEqual(
      ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf'].sort(),
    );

    // The user edits two of them; the next sync keeps both edits as conflicts and still saves its state.
    const text = await fs.readFile(target, 'utf8');
    await fs.writeFile(
      target,
      text.replace('constructor=one', 'constructor=mine').replace('__proto__=five', '__proto__=mine'),
    );
    const second = await preparePlan(manifest, 'dev', env);
    expect(second.plan.entries.filter((e) => e.status !== 'unchanged').map((e) => [e.name, e.status])).toEqual([
      ['constructor', 'conflict'],
      ['__proto__', 'conflict'],
    ]);
    await second.apply();
    const third = await preparePlan(manifest, 'dev', env);
    expect(third.plan.counts.conflict).toBe(2);
    expect(third.plan.counts.unchanged).toBe(3);
  });
});
