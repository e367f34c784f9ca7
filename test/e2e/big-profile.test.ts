import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { axeViolations, describeFindings } from './harness/axe';
import { API_DEV, CANARIES, DEV_EXPECTED, GITHUB, MANIFEST, SEED } from './harness/fixtures';
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

// Issue 14, items 1 and 5: opening a profile paints its table at once from main's cached picture of the last plan
// (never a value), marked as such until the live plan lands; a source that refuses access marks only its own rows.
// The built renderer in Chromium, the shipped preload, the real router over moto (through the fault proxy) and the
// real keyring. The 5,000-key profile lives only in the bench.

const e2e = useE2eSuite();
const TOTAL = Object.keys(DEV_EXPECTED).length;

beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), SEED.chamber, SEED.parameters);
});

/** Opens the project, sets its personal secret, syncs `dev` from the plan panel and closes the panel. */
async function syncOnce(app: Awaited<ReturnType<typeof e2e.launch>>, dir: string): Promise<void> {
  const { page } = app;
  const projectId = await app.openFolder(dir);
  await app.call('secrets.setPersonal', { projectId, name: 'GITHUB_TOKEN', value: GITHUB });
  await openKnownProject(app, dir, 'acme-api');
  await keysTable(page, TOTAL);
  await until(page, async () => !(await page.getByTestId('sync-button').isDisabled()), 'Sync to be enabled');
  await page.getByTestId('plan-button').click();
  const outcome = await syncFromPanel(page);
  expect(await outcome.getAttribute('data-testid')).toBe('result-summary');
  await page.keyboard.press('Escape');
  // The plan after the sync (every row in sync) is the one main keeps for next time.
  await until(
    page,
    async () => (await page.getByTestId('keys-table').locator('[data-status="unchanged"]').count()) === TOTAL,
    'every row in sync after the sync',
    30_000,
  );
}

describe('a profile planned before', () => {
  it('paints its table from the cached plan at once, says so, and the live plan replaces it', async () => {
    const dir = makeProjectDir(MANIFEST);
    const appDir = mkdtempSync(path.join(tmpdir(), 'latchkey-e2e-cached-'));
    const proxy = await startFaultProxy({ target: motoEndpoint() });
    const restore = useAwsProfileEnv(proxy.url);
    try {
      const first = await e2e.launch({ appDir });
      await syncOnce(first, dir);

      // Reopened (a new window and backend on the same app-data folder) with AWS slow, every request 1.5 s: the
      // table must not wait for it.
      proxy.setFaults({ latencyMs: 1500 });
      const app = await e2e.launch({ appDir });
      const { page } = app;
      await openKnownProject(app, dir, 'acme-api');
      const notice = await visible(page.getByTestId('cached-notice'), 5_000);
      const table = await keysTable(page, TOTAL);
      expect(await notice.innerText()).toMatch(/As of the last plan, .*: checking…/);
      // What shows is the cached picture: the live plan has not answered yet.
      expect(app.exchanges.filter((x) => x.method === 'plan')).toEqual([]);
      expect(app.exchanges.filter((x) => x.method === 'plan.cached')).toHaveLength(1);
      expect(await table.locator('[data-status="unchanged"]').count()).toBe(TOTAL);
      expect(await table.getByTestId('key-row-JWT_SECRET').innerText()).toMatch(/In sync/);
      expect(describeFindings('cached first paint', await axeViolations(page))).toEqual([]);
      expectNoCanary(await everythingInPage(page), CANARIES, 'the page painted from the cached plan');
      expectNoCanary(JSON.stringify(app.exchanges), CANARIES, 'the cached plan as it crossed');

      // The live plan lands and the mark goes.
      await until(
        page,
        async () => (await page.getByTestId('cached-notice').count()) === 0,
        'the live plan to replace the cached one',
        60_000,
      );
      expect(app.exchanges.filter((x) => x.method === 'plan')).toHaveLength(1);
      expect(await table.getAttribute('data-count')).toBe(String(TOTAL));
    } finally {
      restore();
      await proxy.stop();
      rmSync(appDir, { recursive: true, force: true });
    }
  });

  it('a source that refuses access marks only its rows, says why, and Sync waits', async () => {
    const dir = makeProjectDir(MANIFEST);
    const proxy = await startFaultProxy({ target: motoEndpoint() });
    const restore = useAwsProfileEnv(proxy.url);
    try {
      const app = await e2e.launch();
      const { page } = app;
      await syncOnce(app, dir);
      const written = readFileSync(path.join(dir, '.env'), 'utf8');

      // A policy that lets this user read single parameters but not list chamber's services.
      proxy.setFaults({ deny: ['AmazonSSM.DescribeParameters', 'AmazonSSM.GetParametersByPath'] });
      await page.getByTestId('plan-button').click();
      const table = page.getByTestId('keys-table');
      await until(
        page,
        async () => (await table.getByTestId('key-row-JWT_SECRET').getAttribute('data-status')) === 'source-offline',
        'the chamber rows to be marked',
        60_000,
      );
      await page.keyboard.press('Escape');
      expect(await table.getAttribute('data-count')).toBe(String(TOTAL));
      // Only api/dev's rows: shared/dev names its keys (`only:`), so it is read without a listing, and the ssm:
      // parameter, the keychain: secret and the set: keys stay usable too.
      expect(await table.locator('[data-status="source-offline"]').count()).toBe(Object.keys(API_DEV).length);
      for (const usable of ['DB_HOST', 'STRIPE_SECRET_KEY', 'GITHUB_TOKEN', 'LOG_LEVEL'])
        expect(await table.getByTestId(`key-row-${usable}`).getAttribute('data-status')).toBe('unchanged');
      expect(await table.getByTestId('row-fix-JWT_SECRET').innerText()).toMatch(/chamber refused access: /);
      const notice = await visible(page.getByTestId('offline-notice'));
      expect(await notice.innerText()).toMatch(/chamber api\/dev\s+refused access/);
      expect(await notice.innerText()).not.toMatch(/is offline/);
      expect(await page.getByTestId('sync-button').isDisabled()).toBe(true);
      expect(await page.getByTestId('action-summary').innerText()).toMatch(/could not be read/);
      expect(describeFindings('partial plan (access denied)', await axeViolations(page))).toEqual([]);
      expectNoCanary(await everythingInPage(page), CANARIES, 'the page with refused rows');
      expect(readFileSync(path.join(dir, '.env'), 'utf8')).toBe(written);
    } finally {
      restore();
      await proxy.stop();
    }
  });
});
