import { beforeEach, describe, expect, it } from 'vitest';
import { seedChamberService } from '../support/ssm-seed';
import { CANARIES, MANIFEST, SEED } from './harness/fixtures';
import { expectNoCanary, until, visible } from './harness/flows';
import { makeProjectDir, resetAndSeed } from './harness/project';
import { useE2eSuite } from './harness/suite';

// Issue 14 item 10: desktop notifications are opt-in. With the setting off, a remote change found by the Rotation
// scan tells nobody; turned on in Settings ▸ Notifications, the next scan notifies it once (not on every scan),
// with names only, and clicking the notification opens the Rotation screen.

const e2e = useE2eSuite();
const ROTATED = 'canary-e2e-jwt-notified-31c7';

beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), SEED.chamber, SEED.parameters);
});

describe('desktop notifications', () => {
  it('are off by default, and once on tell of drift once, opening Rotation on a click', async () => {
    const app = await e2e.launch();
    const { page } = app;
    const projectId = await app.openFolder(makeProjectDir(MANIFEST, 'acme-api'));
    await app.call('sync', { projectId, profile: 'api-only' });
    // A teammate rotates the JWT secret: api-only's synced version is now behind.
    await seedChamberService(e2e.ssm(), 'api/dev', { 'jwt-secret': ROTATED });
    await app.open();

    const scan = async () => {
      const rescan = page.getByTestId('rotation-rescan');
      await until(page, async () => await rescan.isEnabled(), 'no scan under way');
      const before = app.events.filter((e) => e.event === 'rotation.progress').length;
      await rescan.click();
      await until(page, () => app.events.filter((e) => e.event === 'rotation.progress').length > before, 'a scan');
      await until(page, async () => await rescan.isEnabled(), 'the scan to end');
    };

    await page.getByTestId('sidebar-rotation').click();
    await visible(page.getByTestId('rotation-worklist'));
    await scan();
    expect(app.notifications).toEqual([]);

    await page.getByTestId('sidebar-settings').click();
    const toggle = await visible(page.getByTestId('desktop-notifications'));
    await expect(toggle.isChecked()).resolves.toBe(false);
    await toggle.check();
    await until(page, async () => (await app.call('settings.get', {})).settings.notifications, 'the setting saved');

    await page.getByTestId('sidebar-rotation').click();
    await scan();
    await until(page, () => app.notifications.length > 0, 'a notification');
    expect(app.notifications.map((n) => n.title)).toEqual(['JWT_SECRET changed in acme-api']);
    expectNoCanary(JSON.stringify(app.notifications), [...CANARIES, ROTATED], 'the notifications');

    // Found again by the next scan: not told again.
    await scan();
    expect(app.notifications).toHaveLength(1);

    await page.getByTestId('sidebar-settings').click();
    await visible(page.getByTestId('desktop-notifications'));
    app.notifications[0]!.click();
    await visible(page.getByRole('heading', { level: 1, name: 'Rotation' }));
  });
});
