import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNTRACKED_NOTICE } from '../../../main/core/drift-tracking';
import { LatchkeyError } from '../../../main/core/errors';
import type { Keychain } from '../../../main/core/keychain';
import { parseManifest } from '../../../main/core/manifest';
import { loadSyncState, syncStatePath } from '../../../main/core/state';
import { preparePlan, type SyncEnvironment } from '../../../main/core/sync';
import { createKeychainSource } from '../../../main/sources/keychain-source';
import { setSource } from '../../../main/sources/set-source';
import { memoryKeychain } from '../../support/ipc-sandbox';
import { useTempDir } from '../../support/temp';

const tmp = useTempDir('latchkey-untracked-');

/** A keychain like a CI container's: every call fails as the keytar adapter fails without a Secret Service. */
const noKeychain: Keychain = {
  get: async () => {
    throw new LatchkeyError('KEYCHAIN_UNAVAILABLE', 'the OS keychain is not available (read): no D-Bus');
  },
  set: async () => {
    throw new LatchkeyError('KEYCHAIN_UNAVAILABLE', 'the OS keychain is not available (write): no D-Bus');
  },
  delete: async () => {
    throw new LatchkeyError('KEYCHAIN_UNAVAILABLE', 'the OS keychain is not available (delete): no D-Bus');
  },
};

const MANIFEST = `version: 1
profiles:
  ci:
    sources:
      - set: { API_URL: "https://api.canary.test", DB_PASSWORD: "canary-untracked-5e1" }
  personal:
    target: .env.personal
    sources:
      - keychain: GITHUB_TOKEN
`;

function setUp(keychain: Keychain, manifest = MANIFEST) {
  const file = path.join(tmp.path, 'latchkey.yml');
  writeFileSync(file, manifest);
  const m = parseManifest(manifest, file);
  const env: SyncEnvironment = {
    sources: { set: setSource, keychain: createKeychainSource(keychain, file) },
    keychain,
    appDir: path.join(tmp.path, 'home'),
  };
  return { m, env, target: path.join(tmp.path, '.env') };
}

describe('a sync without a keychain', () => {
  it('runs untracked for a profile with no keychain: source, says so once, and keeps no state', async () => {
    const { m, env, target } = setUp(noKeychain);
    const prepared = await preparePlan(m, 'ci', env);
    expect(prepared.plan.warnings).toEqual([UNTRACKED_NOTICE]);
    expect(prepared.plan.counts.add).toBe(2);
    const result = await prepared.apply();
    expect(result.wrote).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('API_URL=https://api.canary.test\nDB_PASSWORD=canary-untracked-5e1\n');
    expect(existsSync(syncStatePath(env.appDir, target))).toBe(false);
    const again = await preparePlan(m, 'ci', env);
    expect(again.plan.counts.unchanged).toBe(2);
    expect(again.plan.writes).toBe(false);
  });

  it('treats a file value that differs from its source as a conflict: kept unless taken', async () => {
    const { m, env, target } = setUp(noKeychain);
    writeFileSync(target, 'DB_PASSWORD=edited\n');
    const kept = await preparePlan(m, 'ci', env);
    expect(kept.plan.entries.find((e) => e.name === 'DB_PASSWORD')).toMatchObject({
      status: 'conflict',
      resolution: 'keep-local',
    });
    await (await preparePlan(m, 'ci', env, { takeRemote: ['DB_PASSWORD'] })).apply();
    expect(readFileSync(target, 'utf8')).toContain('DB_PASSWORD=canary-untracked-5e1\n');
  });

  it('drops the rewritten keys from a state written earlier with a keychain, and nothing else', async () => {
    const keychain = memoryKeychain();
    const tracked = setUp(keychain);
    await (await preparePlan(tracked.m, 'ci', tracked.env)).apply();
    const before = await loadSyncState(tracked.env.appDir, tracked.target);
    expect([...before.entries.keys()]).toEqual(['API_URL', 'DB_PASSWORD']);

    const changed = MANIFEST.replace('canary-untracked-5e1', 'canary-rotated-77');
    const untracked = setUp(noKeychain, changed);
    await (await preparePlan(untracked.m, 'ci', untracked.env, { takeRemote: ['DB_PASSWORD'] })).apply();
    const after = await loadSyncState(untracked.env.appDir, untracked.target);
    expect([...after.entries.keys()]).toEqual(['API_URL']);
    expect(after.entries.get('API_URL')).toEqual(before.entries.get('API_URL'));

    // Back on a machine with the keychain, the rewritten key is simply unchanged: not mistaken for a local edit.
    const back = setUp(keychain, changed);
    const plan = (await preparePlan(back.m, 'ci', back.env)).plan;
    expect(plan.entries.find((e) => e.name === 'DB_PASSWORD')?.status).toBe('unchanged');
    expect(plan.counts.conflict).toBe(0);
  });

  it('still fails with KEYCHAIN_UNAVAILABLE for a profile that reads the keychain', async () => {
    const { m, env } = setUp(noKeychain);
    await expect(preparePlan(m, 'personal', env)).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
  });
});
