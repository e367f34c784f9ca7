import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readWithDotenv } from '../support/env-readers';
import { seedChamberService } from '../support/ssm-seed';
import { GITHUB, MANIFEST, SEED, SHARED_DEV } from './harness/fixtures';
import { keysTable, openKnownProject, openPlan, syncFromPanel, until, visible } from './harness/flows';
import { makeProjectDir, resetAndSeed } from './harness/project';
import { useE2eSuite } from './harness/suite';

const e2e = useE2eSuite();

beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), SEED.chamber, SEED.parameters);
});

/** A fresh acme-api project whose personal token is stored, and the app launched. */
async function launchOnProject() {
  const dir = makeProjectDir(MANIFEST);
  const app = await e2e.launch();
  const projectId = await app.openFolder(dir);
  await app.call('secrets.setPersonal', { projectId, name: 'GITHUB_TOKEN', value: GITHUB });
  return { dir, projectId, target: path.join(dir, '.env'), app, page: app.page };
}

describe('resolving a conflict', () => {
  it('a local edit of a managed key → the plan shows the conflict → take remote → sync → the file has the remote value', async () => {
    const { dir, projectId, target, app, page } = await launchOnProject();
    await app.call('sync', { projectId, profile: 'dev' });
    const synced = readFileSync(target, 'utf8');

    await openKnownProject(app, dir, 'acme-api');
    await keysTable(page, 12);
    await expect
      .poll(() => page.getByTestId('key-row-DB_USER').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('unchanged');

    // Someone edits the file by hand, and a teammate rotates the same key at the source.
    writeFileSync(target, synced.replace(`DB_USER=${SHARED_DEV.db_user}`, 'DB_USER=my_local_user'));
    const rotated = 'canary_e2e_user_rotated';
    await seedChamberService(e2e.ssm(), 'shared/dev', { db_user: rotated });

    // The watcher notices the file changed (plan.invalidated, delivered through the preload's `on`).
    await visible(page.getByTestId('stale-notice'), 15_000);
    expect(app.events.some((e) => e.event === 'plan.invalidated')).toBe(true);

    const panel = await openPlan(page);
    const entry = await visible(panel.getByTestId('plan-entry-DB_USER'));
    expect(await panel.getByTestId('plan-group-conflict').count()).toBe(1);
    const keep = entry.getByTestId('conflict-DB_USER-keep-local');
    const take = entry.getByTestId('conflict-DB_USER-take-remote');
    // Keeping the local value is the default.
    expect(await keep.getAttribute('aria-checked')).toBe('true');
    await take.click();
    expect(await take.getAttribute('aria-checked')).toBe('true');

    const outcome = await syncFromPanel(page);
    expect(await outcome.getAttribute('data-testid')).toBe('result-summary');
    expect(await outcome.innerText()).toMatch(/took the remote value/);

    const values = readWithDotenv(readFileSync(target, 'utf8'));
    expect(values.DB_USER).toBe(rotated);
    // Nothing else moved.
    expect(values.DB_HOST).toBe(SHARED_DEV.db_host);
    expect(values.GITHUB_TOKEN).toBe(GITHUB);
    // The sync carried the choice: the router saw take-remote for exactly that key.
    const syncCall = app.exchanges.filter((x) => x.method === 'sync').at(-1);
    expect(syncCall?.envelope.ok).toBe(true);
  });

  it('a hand edit made right after a sync from the panel reaches the renderer: the plan says it is out of date', async () => {
    const { dir, target, app, page } = await launchOnProject();

    await openKnownProject(app, dir, 'acme-api');
    await keysTable(page, 12);
    const panel = await openPlan(page);
    const outcome = await syncFromPanel(page);
    expect(await outcome.getAttribute('data-testid')).toBe('result-summary');
    await until(page, async () => (await panel.getAttribute('aria-busy')) !== 'true', 'the re-plan after the sync');
    // Our own write is not news: main's watcher knows what it wrote.
    expect(await page.getByTestId('stale-notice').count()).toBe(0);

    // At once, someone edits the file by hand. The renderer no longer mutes the target after a sync: this is seen.
    writeFileSync(target, `${readFileSync(target, 'utf8')}HAND_EDIT=1\n`);
    await visible(page.getByTestId('stale-notice'), 15_000);
    expect(app.events.filter((e) => e.event === 'plan.invalidated').map((e) => e.payload)).toContainEqual(
      expect.objectContaining({ profile: 'dev', reason: 'target' }),
    );
  });
});

describe('a deliberate local value', () => {
  it('"Always keep mine" on the conflict card: the key is kept in latchkey.local.yml, shown as kept, and a sync leaves it', async () => {
    const { dir, projectId, target, app, page } = await launchOnProject();
    await app.call('sync', { projectId, profile: 'dev' });
    writeFileSync(target, readFileSync(target, 'utf8').replace(`DB_HOST=${SHARED_DEV.db_host}`, 'DB_HOST=localhost'));

    await openKnownProject(app, dir, 'acme-api');
    await keysTable(page, 12);
    const panel = await openPlan(page);
    const entry = await visible(panel.getByTestId('plan-entry-DB_HOST'));
    await entry.getByTestId('conflict-DB_HOST-keep-always').click();

    await visible(panel.getByTestId('plan-group-local-override'), 15_000);
    expect(await panel.getByTestId('plan-group-conflict').count()).toBe(0);
    expect(readFileSync(path.join(dir, 'latchkey.local.yml'), 'utf8')).toMatch(/dev:\s+keep: \[ DB_HOST \]/);
    const keep = app.exchanges.filter((x) => x.method === 'keys.keep').at(-1);
    expect(keep?.envelope.ok).toBe(true);
    await expect
      .poll(() => page.getByTestId('key-row-DB_HOST').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('local-override');

    // The source moves on; a sync (the same IPC call the panel makes) brings nothing into the kept key.
    await seedChamberService(e2e.ssm(), 'shared/dev', { db_host: 'db.rotated.internal' });
    await app.call('sync', { projectId, profile: 'dev' });
    expect(readWithDotenv(readFileSync(target, 'utf8')).DB_HOST).toBe('localhost');
  });
});
