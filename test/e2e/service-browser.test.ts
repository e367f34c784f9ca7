import { beforeEach, describe, expect, it } from 'vitest';
import { seedChamberService } from '../support/ssm-seed';
import { axeViolations, describeFindings } from './harness/axe';
import { CANARIES, MANIFEST, SEED } from './harness/fixtures';
import { everythingInPage, expectNoCanary, openKnownProject, until, visible } from './harness/flows';
import { makeProjectDir, resetAndSeed } from './harness/project';
import { useE2eSuite } from './harness/suite';

const e2e = useE2eSuite();
const EXTRA_SERVICES = 52;
const SERVICE_CANARY = 'canary-e2e-service-browser-5d1f';
/** The seeded services: 52 of ours, SEED's api/dev and shared/dev, and `legacy` (its /legacy/stripe_key). */
const SERVICE_COUNT = EXTRA_SERVICES + 3;

beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), SEED.chamber, SEED.parameters);
  for (let i = 0; i < EXTRA_SERVICES; i++) {
    await seedChamberService(e2e.ssm(), `svc-${String(i).padStart(2, '0')}/dev`, {
      db_password: `${SERVICE_CANARY}-${i}`,
      api_token: `${SERVICE_CANARY}-token-${i}`,
    });
  }
});

describe('the service browser', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`opens from the sidebar, lists services and keys, searches across services, never shows a value (${theme})`, async () => {
      const dir = makeProjectDir(MANIFEST);
      const app = await e2e.launch({ colorScheme: theme });
      const { page } = app;
      await openKnownProject(app, dir, 'acme-api');
      // The manifest is loaded (its profiles show), so the browser can name the project's AWS settings.
      await visible(page.getByTestId('sidebar-profile-dev'));

      await page.getByTestId('sidebar-services').click();
      await until(
        page,
        () =>
          page.evaluate(
            () => document.activeElement?.matches('h1') === true && document.activeElement.textContent === 'Services',
          ),
        'the focus on the Services heading',
      );
      expect(await page.getByTestId('services-scope').innerText()).toMatch(/acme-api \(profile acme-dev, us-east-1\)/);
      const list = await visible(page.getByTestId('services-list'), 30_000);
      expect(await list.getAttribute('data-count')).toBe(String(SERVICE_COUNT));
      await visible(page.getByTestId('services-keys-none'));
      // Virtualised: the first render draws only what the window can show; once laid out, the list also keeps rows
      // below its edge ready for scrolling (lib/virtual-after-layout.ts), and still far fewer than all of them.
      await until(
        page,
        () =>
          list.evaluate((el) => {
            const drawn = el.querySelectorAll('[role="option"]').length;
            const inView = Math.ceil(el.clientHeight / 36);
            return drawn > inView && drawn < 40;
          }),
        'rows below the list ready for scrolling',
      );

      // A service's keys: names, SSM versions, ages and who wrote them.
      await page.getByTestId('service-api/dev').click();
      const keys = await visible(page.getByTestId('services-keys'), 30_000);
      await until(page, async () => (await keys.getAttribute('data-count')) === '6', 'the six keys of api/dev');
      const row = page.getByTestId('service-key-api/dev/jwt-secret');
      const cells = await row.getByRole('gridcell').allInnerTexts();
      // moto records no writer ("N/A"), which the column shows as unknown.
      expect(cells).toEqual(['jwt-secret', 'v1', 'today', '—']);
      expect(await page.getByTestId('service-api/dev').getAttribute('aria-selected')).toBe('true');

      // The keyboard moves through the services, and the selection (and its keys) follow.
      await page.getByTestId('service-api/dev').focus();
      await page.keyboard.press('ArrowDown');
      await until(
        page,
        async () => (await page.getByTestId('service-legacy').getAttribute('aria-selected')) === 'true',
        'legacy selected by the arrow key',
      );
      await visible(page.getByTestId('service-key-legacy/stripe_key'));
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('service-legacy');
      await page.keyboard.press('End');
      await until(
        page,
        async () => (await page.getByTestId('service-svc-51/dev').getAttribute('aria-selected')) === 'true',
        'the last service selected with End',
      );

      // The search runs across every service; its results are reachable with ↓.
      const search = page.getByTestId('services-search');
      await search.fill('db_pass');
      await until(
        page,
        async () => (await page.getByTestId('services-keys').getAttribute('data-count')) === String(EXTRA_SERVICES + 1),
        'db_password in every service that has one',
        30_000,
      );
      expect(await page.getByTestId('services-keys-title').textContent()).toContain('*db_pass*');
      await visible(page.getByTestId('service-key-shared/dev/db_password'));
      await search.press('ArrowDown');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
        'service-key-shared/dev/db_password',
      );
      await search.fill('svc-5?/**');
      await until(
        page,
        async () => (await page.getByTestId('services-keys').getAttribute('data-count')) === '4',
        'the keys of svc-50 and svc-51',
        30_000,
      );
      expect(describeFindings(`services (${theme})`, await axeViolations(page))).toEqual([]);

      await search.fill('zzz-no-such-key');
      await visible(page.getByTestId('services-keys-empty'), 30_000);
      expect(describeFindings(`services, no match (${theme})`, await axeViolations(page))).toEqual([]);

      const canaries = [...CANARIES, SERVICE_CANARY];
      expectNoCanary(await everythingInPage(page), canaries, 'the DOM of the service browser');
      const methods = new Set(app.exchanges.map((x) => x.method));
      for (const m of ['chamber.listServices', 'chamber.listKeys', 'chamber.find']) expect(methods).toContain(m);
      for (const x of app.exchanges) expectNoCanary(JSON.stringify(x.envelope), canaries, `the ${x.method} reply`);
    });
  }

  it('is in the command palette, and says what to ask for when AWS denies the listing', async () => {
    const app = await e2e.launch();
    const { page } = app;
    await app.open();
    await page.keyboard.press('Control+k');
    await visible(page.getByTestId('command-palette'));
    await page.keyboard.type('Services');
    await page.keyboard.press('Enter');
    await visible(page.getByRole('heading', { level: 1, name: 'Services' }));
    // No project is open, and this environment holds no default credentials: the browser says so, and how to fix it.
    expect(await page.getByTestId('services-scope').innerText()).toContain("environment's AWS credentials");
    const error = await visible(page.getByTestId('services-screen').getByTestId('error-panel'), 30_000);
    expect(await error.innerText()).toMatch(/profile/i);
    expect(describeFindings('services, error', await axeViolations(page))).toEqual([]);
  });
});
