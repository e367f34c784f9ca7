import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { axeViolations, describeFindings } from './harness/axe';
import { CANARIES, DEV_EXPECTED, GITHUB, MANIFEST, SEED } from './harness/fixtures';
import {
  everythingInPage,
  expectNoCanary,
  keysTable,
  openKnownProject,
  syncFromPanel,
  until,
  visible,
} from './harness/flows';
import { motoEndpoint } from '../support/aws-env';
import { startFaultProxy } from '../support/fault-proxy';
import { makeProjectDir, resetAndSeed, useAwsProfileEnv } from './harness/project';
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

  it('an offline source keeps the table with the last sync’s keys, marks only its rows, and Sync waits', async () => {
    const dir = makeProjectDir(MANIFEST);
    const proxy = await startFaultProxy({ target: motoEndpoint() });
    const restore = useAwsProfileEnv(proxy.url, { LATCHKEY_AWS_MAX_ATTEMPTS: '2' });
    try {
      const app = await e2e.launch();
      const { page } = app;
      const projectId = await app.openFolder(dir);
      await app.call('secrets.setPersonal', { projectId, name: 'GITHUB_TOKEN', value: GITHUB });
      await openKnownProject(app, dir, 'acme-api');
      const total = Object.keys(DEV_EXPECTED).length;
      const table = await keysTable(page, total);
      await until(page, async () => !(await page.getByTestId('sync-button').isDisabled()), 'Sync to be enabled');
      await page.getByTestId('plan-button').click();
      const outcome = await syncFromPanel(page);
      expect(await outcome.getAttribute('data-testid')).toBe('result-summary');
      await page.keyboard.press('Escape');

      // AWS stops answering: plan again. Every key stays; the AWS ones say so, the others are in sync.
      proxy.setFaults({ dropRate: 1 });
      await page.getByTestId('plan-button').click();
      await until(
        page,
        async () => (await table.getByTestId('key-row-JWT_SECRET').getAttribute('data-status')) === 'source-offline',
        'the AWS rows to be marked offline',
        60_000,
      );
      await page.keyboard.press('Escape');
      expect(await table.getAttribute('data-count')).toBe(String(total));
      expect(await table.locator('[data-status="source-offline"]').count()).toBe(total - 3); // not the set: and keychain: keys
      expect(await table.getByTestId('key-row-LOG_LEVEL').getAttribute('data-status')).toBe('unchanged');
      expect(await table.getByTestId('key-row-GITHUB_TOKEN').getAttribute('data-status')).toBe('unchanged');
      expect(await table.getByTestId('key-row-JWT_SECRET').innerText()).toMatch(/Source offline/);
      const notice = await visible(page.getByTestId('offline-notice'));
      expect(await notice.innerText()).toMatch(/chamber api\/dev/);
      expect(await page.getByTestId('sync-button').isDisabled()).toBe(true);
      expect(await page.getByTestId('action-summary').innerText()).toMatch(/offline/);

      expect(describeFindings('partial plan (source offline)', await axeViolations(page))).toEqual([]);
      expectNoCanary(await everythingInPage(page), CANARIES, 'the page with offline rows');
    } finally {
      restore();
      await proxy.stop();
    }
  });
});
