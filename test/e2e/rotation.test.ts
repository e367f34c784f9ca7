import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startConnectServer, type ConnectServer } from '../support/connect-server';
import { createVersionedBucket, putObject, testS3Client } from '../support/s3-seed';
import { axeBothThemes } from './harness/axe';
import { CANARIES, MANIFEST, SEED } from './harness/fixtures';
import { everythingInPage, expectNoCanary, until, visible } from './harness/flows';
import { makeProjectDir, resetAndSeed } from './harness/project';
import { useE2eSuite } from './harness/suite';

// Issue 14 item 8 in the app: the Rotation worklist scans every recent project in the background (metadata only),
// one row per secret whatever number of profiles read it, with Rotate and the SSM console on each row; the chart's
// marks take focus and show their key, age and due date. 1Password fields (Connect test server) and S3 objects
// (moto) are rows too, with "Open in 1Password" and the S3 console instead of Rotate. No value reaches the page or
// an envelope.

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

const OP_TOKEN = 'e2e-rotation-op-token-canary-2f8e';
const OP_VALUE = 'e2e-rotation-op-canary-stripe-91c0';
const OP_SEED = 'JBSWY3DPEHPK3PXPROTATIONE2E';
const S3_VALUE = 'e2e-rotation-s3-canary-tls-4d6b';
const BUCKET = 'acme-rotation-e2e';
const PAYMENTS_MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  dev:
    target: .env
    sources:
      - op: "op://Shared/Stripe/secret key"
        as: STRIPE_SECRET
      - op: "op://Shared/Stripe"
        fields: all
        as: { "secret key": STRIPE_KEY_AGAIN }
      - s3: s3://${BUCKET}/tls/dev.key
        as: TLS_KEY
`;

describe('the Rotation worklist with 1Password and S3 sources', () => {
  let server: ConnectServer;
  let s3: S3Client;
  beforeAll(async () => {
    server = await startConnectServer({
      token: OP_TOKEN,
      vaults: [
        {
          name: 'Shared',
          items: [
            {
              title: 'Stripe',
              category: 'API_CREDENTIAL',
              version: 4,
              updatedAt: '2026-06-01T09:00:00Z',
              fields: [
                { label: 'secret key', value: OP_VALUE, type: 'CONCEALED' },
                { label: 'one-time password', value: OP_SEED, type: 'OTP' },
              ],
            },
          ],
        },
      ],
    });
    s3 = testS3Client();
  });
  afterAll(async () => {
    s3.destroy();
    await server.stop();
  });

  it('shows one row per 1Password field and per object, each opening where it lives; axe finds nothing', async () => {
    await createVersionedBucket(s3, BUCKET);
    await putObject(s3, BUCKET, 'tls/dev.key', S3_VALUE, 'AES256');
    const app = await e2e.launch();
    await app.call('op.configure', { host: server.url, token: OP_TOKEN });
    await app.openFolder(makeProjectDir(PAYMENTS_MANIFEST, 'payments'));
    await app.open();
    const page = app.page;
    await page.getByTestId('sidebar-rotation').click();
    const rows = page.getByTestId('rotation-row');
    await until(page, async () => (await rows.count()) === 2, 'the 1Password and S3 rows', 30_000);
    await until(page, async () => await page.getByTestId('rotation-rescan').isEnabled(), 'the scan to end');

    // The field read two ways (one field, and the whole item) is one secret with both readers.
    const stripe = page.locator('[data-testid="rotation-row"][data-parameter="op://Shared/Stripe/secret key"]');
    const readers = (await stripe.locator('li').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    expect(readers).toEqual(['payments › dev STRIPE_KEY_AGAIN', 'payments › dev STRIPE_SECRET']);
    await expect(stripe.getByTestId('rotation-rotate').count()).resolves.toBe(0);
    await stripe.getByTestId('rotation-open-1password').click();
    const item = server.vaults[0]!.items[0]!;
    const itemUrl = `https://start.1password.com/open/i?v=${server.vaults[0]!.id}&i=${item.id}`;
    await until(page, () => app.openedExternal.includes(itemUrl), 'the item link to be opened');

    const tls = page.locator(`[data-testid="rotation-row"][data-parameter="s3://${BUCKET}/tls/dev.key"]`);
    await expect(tls.getByTestId('rotation-rotate').count()).resolves.toBe(0);
    await tls.getByTestId('rotation-s3-console').click();
    const consoleUrl = `https://s3.console.aws.amazon.com/s3/object/${BUCKET}?region=us-east-1&prefix=tls%2Fdev.key`;
    await until(page, () => app.openedExternal.includes(consoleUrl), 'the S3 console to be opened');
    expect(app.openedExternal).toEqual([itemUrl, consoleUrl]);

    const canaries = [OP_TOKEN, OP_VALUE, OP_SEED, S3_VALUE];
    expectNoCanary(await everythingInPage(page), canaries, 'the Rotation screen');
    expectNoCanary(JSON.stringify(app.exchanges.map((x) => x.envelope)), canaries, 'the IPC results');
    expectNoCanary(JSON.stringify(app.events), canaries, 'the events');
    expect(await axeBothThemes(page, 'rotation worklist with 1Password and S3 rows')).toEqual([]);
  });
});
