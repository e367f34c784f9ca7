import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { profileReadiness } from '../../../main/app/readiness';
import { setPersonalSecret } from '../../../main/app/personal-secrets';
import { planProfile, syncProfile } from '../../../main/app/sync';
import { useOfflineProject } from '../../support/app-sandbox';

// Issue 14, item 3 (Deliver 2): a locked keychain is not "not set". The keychain here answers as the keytar
// adapter does over a locked Secret Service (KEYCHAIN_LOCKED); the adapter itself is tested against a real locked
// gnome-keyring in test/integration/cli/keychain-locked.test.ts.

const TOKEN = 'canary-locked-keychain-5Rw';
const t = useOfflineProject(TOKEN);

describe('a locked keychain', () => {
  it('marks only the personal secret keychain-locked, plans the rest, and a sync refuses with KEYCHAIN_LOCKED', async () => {
    t.sb.keychain.locked = true;
    const planned = await planProfile(t.sb.deps, { project: { dir: t.dir }, profile: 'dev', needsInputRows: true });
    const plan = planned.prepared.plan;
    expect(plan.entries.map((e) => [e.name, e.status]).sort()).toEqual([
      ['API_URL', 'add'],
      ['LOG_LEVEL', 'add'],
      ['PERSONAL_TOKEN', 'keychain-locked'],
    ]);
    expect(plan.counts['keychain-locked']).toBe(1);
    expect(plan.counts['needs-input']).toBe(0);
    // Untracked (the HMAC key is behind the lock too), and said so.
    expect(plan.warnings.join('\n')).toMatch(/drift tracking is off/);

    await expect(planned.prepared.apply()).rejects.toMatchObject({
      code: 'KEYCHAIN_LOCKED',
      message: expect.stringContaining('PERSONAL_TOKEN'),
      hint: expect.stringMatching(/unlock/i),
    });
    await expect(syncProfile(t.sb.deps, { project: { dir: t.dir }, profile: 'dev' })).rejects.toMatchObject({
      code: 'KEYCHAIN_LOCKED',
    });
    expect(existsSync(path.join(t.dir, '.env'))).toBe(false);
    expect(JSON.stringify(await t.sb.audit())).not.toContain(TOKEN);

    // Unlocked, the same secret is there all along: nothing was overwritten.
    t.sb.keychain.locked = false;
    const after = await planProfile(t.sb.deps, { project: { dir: t.dir }, profile: 'dev', needsInputRows: true });
    expect(after.prepared.plan.entries.find((e) => e.name === 'PERSONAL_TOKEN')?.status).toBe('add');
    await after.prepared.apply();
    expect(readFileSync(path.join(t.dir, '.env'), 'utf8')).toContain(`PERSONAL_TOKEN=${TOKEN}`);
  });

  it('is an error in the checklist with an unlock action, never a paste box', async () => {
    t.sb.keychain.locked = true;
    const items = await profileReadiness(
      {
        ...t.sb.deps,
        probeAws: async () => ({ ok: true, detail: 'n/a' }),
        opReadiness: async () => ({ state: 'ok', detail: 'n/a' }),
      },
      { dir: t.dir },
      'dev',
    );
    const item = items.find((i) => i.id === 'keychain:PERSONAL_TOKEN');
    expect(item).toMatchObject({ state: 'error', action: 'unlock-keychain' });
    expect(item?.detail).toMatch(/locked/);
  });

  it('refuses to store a personal secret, keeping the one that is there', async () => {
    t.sb.keychain.locked = true;
    await expect(
      setPersonalSecret(t.sb.deps, { dir: t.dir }, 'PERSONAL_TOKEN', async () => 'canary-overwrite-attempt'),
    ).rejects.toMatchObject({ code: 'KEYCHAIN_LOCKED' });
    t.sb.keychain.locked = false;
    expect([...t.sb.keychain.entries.values()]).toContain(TOKEN);
    expect([...t.sb.keychain.entries.values()]).not.toContain('canary-overwrite-attempt');
  });

  it('a profile without personal secrets plans and syncs untracked, as with no keychain', async () => {
    writeFileSync(
      path.join(t.dir, 'latchkey.yml'),
      readFileSync(path.join(t.dir, 'latchkey.yml'), 'utf8').replace(/^\s+- keychain: PERSONAL_TOKEN.*\n/m, ''),
    );
    t.sb.keychain.locked = true;
    const result = await syncProfile(t.sb.deps, { project: { dir: t.dir }, profile: 'dev' });
    expect(result.wrote).toBe(true);
    expect(result.plan.warnings.join('\n')).toMatch(/drift tracking is off/);
  });
});
