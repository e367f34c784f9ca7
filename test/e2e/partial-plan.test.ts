import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { axeViolations, describeFindings } from './harness/axe';
import { CANARIES, DEV_EXPECTED, GITHUB, MANIFEST, SEED } from './harness/fixtures';
import { everythingInPage, expectNoCanary, keysTable, openKnownProject, until, visible } from './harness/flows';
import { makeProjectDir, resetAndSeed } from './harness/project';
import { useE2eSuite } from './harness/suite';

// Issue 14, item 1: one expected missing input no longer blanks the profile. The built renderer in Chromium, the
// shipped preload, the real router over moto and the real keyring (where this test's personal secret is not set).

const e2e = useE2eSuite();

beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), SEED.chamber, SEED.parameters);
});

describe('a partial plan', () => {
  it('a missing personal secret marks only its row, with the form on it; Sync is disabled and says why', async () => {
    const dir = makeProjectDir(MANIFEST);
    const app = await e2e.launch();
    const { page } = app;
    await openKnownProject(app, dir, 'acme-api');

    // The whole table: every key of the profile, the personal secret among them as "Needs input".
    const table = await keysTable(page, Object.keys(DEV_EXPECTED).length);
    const row = table.getByTestId('key-row-GITHUB_TOKEN');
    await until(page, async () => (await row.getAttribute('data-status')) === 'needs-input', 'the needs-input row');
    expect(await row.innerText()).toMatch(/Needs input/);
    expect(await table.locator('[data-status="add"]').count()).toBe(Object.keys(DEV_EXPECTED).length - 1);
    // First sync: the others are green "New", not amber "Missing" (issue 14, item 12).
    expect(await table.getByTestId('key-row-JWT_SECRET').innerText()).toMatch(/\bNew\b/);
    expect(await page.getByTestId('error-panel').count()).toBe(0);

    const sync = page.getByTestId('sync-button');
    expect(await sync.isDisabled()).toBe(true);
    expect(await page.getByTestId('action-summary').innerText()).toMatch(/1 key needs input/);
    const describedBy = await sync.getAttribute('aria-describedby');
    expect(describedBy).toBe(await page.getByTestId('action-summary').getAttribute('id'));

    expect(describeFindings('partial plan (needs input)', await axeViolations(page))).toEqual([]);
    expectNoCanary(await everythingInPage(page), CANARIES, 'the page with a needs-input row');
    // The shortcut does not get around the disabled button: no sync reaches main.
    await page.keyboard.press('Control+s');
    await page.waitForTimeout(300);
    expect(app.exchanges.filter((x) => x.method === 'sync')).toEqual([]);

    // Set it on its row: stored in the keychain by main, the field emptied, and the plan made again.
    await (await visible(row.getByTestId('personal-secret-GITHUB_TOKEN'))).fill(GITHUB);
    await row.getByTestId('personal-secret-save-GITHUB_TOKEN').click();
    await until(
      page,
      async () => (await table.getByTestId('key-row-GITHUB_TOKEN').getAttribute('data-status')) === 'add',
      'the row to plan as new once set',
      30_000,
    );
    await until(page, async () => !(await sync.isDisabled()), 'Sync to be enabled');
    expectNoCanary(await everythingInPage(page), CANARIES, 'the page after setting the secret');
    expect(existsSync(path.join(dir, '.env'))).toBe(false);
  });
});
