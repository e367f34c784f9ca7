import { beforeEach, describe, expect, it } from 'vitest';
import { axeBothThemes } from './harness/axe';
import { CANARIES, MANIFEST, SEED } from './harness/fixtures';
import { everythingInPage, expectNoCanary, until, visible } from './harness/flows';
import { makeProjectDir, resetAndSeed } from './harness/project';
import { useE2eSuite } from './harness/suite';

// Issue 14 item 8 in the app: the Rotation worklist scans every recent project in the background (metadata only),
// one row per secret whatever number of profiles read it, with Rotate and the SSM console on each row; the chart's
// marks take focus and show their key, age and due date. No value reaches the page or an envelope.

const e2e = useE2eSuite();

/** A second project reading two of acme-api's parameters: the shared ones must still be one row each. */
const WEB_MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  dev:
    target: .env
    sources:
      - chamber: api/dev
        only: [jwt-secret]
      - chamber: shared/dev
      - set: { NODE_ENV: development }
`;
// acme-api reads api/dev (6), shared/dev db_host + db_user, /legacy/stripe_key; web adds shared/dev db_password.
const PARAMETERS = 10;
const JWT = '/api/dev/jwt-secret';
const JWT_CONSOLE =
  'https://us-east-1.console.aws.amazon.com/systems-manager/parameters/api/dev/jwt-secret/description?region=us-east-1&tab=Table';

beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), SEED.chamber, SEED.parameters);
});

async function openRotation() {
  const app = await e2e.launch();
  await app.openFolder(makeProjectDir(MANIFEST, 'acme-api'));
  await app.openFolder(makeProjectDir(WEB_MANIFEST, 'web-frontend'));
  await app.open();
  await app.page.getByTestId('sidebar-rotation').click();
  const rows = app.page.getByTestId('rotation-row');
  await until(app.page, async () => (await rows.count()) === PARAMETERS, `${PARAMETERS} worklist rows`, 30_000);
  await until(app.page, async () => await app.page.getByTestId('rotation-rescan').isEnabled(), 'the scan to end');
  return { app, page: app.page };
}

describe('the Rotation worklist', () => {
  it('lists every secret of both recent projects once, with its readers, and no set: value', async () => {
    const { app, page } = await openRotation();
    const jwt = page.locator(`[data-testid="rotation-row"][data-parameter="${JWT}"]`);
    await expect(jwt.count()).resolves.toBe(1);
    const readers = (await jwt.locator('li').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    expect(readers).toEqual([
      'acme-api › api-only JWT_SECRET',
      'acme-api › dev JWT_SECRET',
      'web-frontend › dev JWT_SECRET',
    ]);
    const parameters = await page.getByTestId('rotation-row').evaluateAll((els) => els.map((e) => e.dataset.parameter));
    // Exactly the ten parameters, each once: the set: values and the keychain's GITHUB_TOKEN add no row.
    expect(new Set(parameters).size).toBe(PARAMETERS);

    // Metadata only: the scan's answer and the page hold no seeded value.
    expectNoCanary(await everythingInPage(page), CANARIES, 'the Rotation screen');
    expectNoCanary(JSON.stringify(app.exchanges.map((x) => x.envelope)), CANARIES, 'the IPC results');
    expectNoCanary(JSON.stringify(app.events), CANARIES, 'the events');
    expect(app.events.some((e) => e.event === 'rotation.progress')).toBe(true);
  });

  it('opens the parameter in the SSM console through the one external opener, and offers Rotate', async () => {
    const { app, page } = await openRotation();
    const jwt = page.locator(`[data-testid="rotation-row"][data-parameter="${JWT}"]`);
    await jwt.getByTestId('rotation-console').click();
    await until(page, () => app.openedExternal.includes(JWT_CONSOLE), 'the console URL to be opened');
    expect(app.openedExternal).toEqual([JWT_CONSOLE]);

    await jwt.getByTestId('rotation-rotate').click();
    const dialog = await visible(page.getByTestId('rotate-shared-dialog'));
    await visible(dialog.getByTestId('rotate-impact'));
    await expect(dialog.innerText()).resolves.toContain('JWT_SECRET');

    // Confirmed: SSM gets a new version, and the worklist scans again to show it.
    const scans = () => app.exchanges.filter((x) => x.method === 'rotation.scan').length;
    const before = scans();
    await until(page, async () => await dialog.getByTestId('rotate-confirm').isEnabled(), 'the preview');
    await dialog.getByTestId('rotate-confirm').click();
    await visible(dialog.getByTestId('rotate-result'));
    await until(page, () => scans() > before, 'a new scan after the rotation');
    const row = (await app.call('rotation.scan', {})).rows.find((r) => r.parameter === JWT)!;
    expect(row.version).toBe(2);
    expectNoCanary(JSON.stringify(app.exchanges.map((x) => x.envelope)), CANARIES, 'the IPC results');
  });

  it('gives the chart one tab stop; arrows move between marks, each named, with a tooltip', async () => {
    const { page } = await openRotation();
    const marks = page.getByTestId('rotation-mark');
    await expect(marks.count()).resolves.toBeGreaterThanOrEqual(PARAMETERS);
    const tabStops = await marks.evaluateAll((els) => els.filter((e) => e.getAttribute('tabindex') === '0').length);
    expect(tabStops).toBe(1);

    await marks.first().focus();
    const tip = await visible(page.getByTestId('rotation-tooltip'));
    const first = await marks.first().getAttribute('aria-label');
    expect(first).toMatch(/^[A-Z_]+ \(.+ › .+\): .+ old, ok, overdue from /);
    await expect(tip.innerText()).resolves.toBe(first);

    await page.keyboard.press('ArrowRight');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    expect(focused).toBe(await marks.nth(1).getAttribute('aria-label'));
    await expect(page.getByTestId('rotation-tooltip').innerText()).resolves.toBe(focused);
    await expect(marks.nth(1).getAttribute('tabindex')).resolves.toBe('0');
    await expect(marks.first().getAttribute('tabindex')).resolves.toBe('-1');

    // The page's scroll region is itself focusable (axe: scrollable-region-focusable), and axe finds nothing.
    await expect(page.getByTestId('rotation-body').getAttribute('tabindex')).resolves.toBe('0');
    expect(await axeBothThemes(page, 'rotation worklist with a focused mark')).toEqual([]);
  });
});
