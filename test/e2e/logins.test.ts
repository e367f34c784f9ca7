import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grafanaLogin, startConnectServer, type ConnectServer } from '../support/connect-server';
import { everythingInPage, expectNoCanary, until, visible } from './harness/flows';
import { useE2eSuite } from './harness/suite';

// The Logins view end to end: the real renderer, createApi, router and 1Password handlers, the real
// @1password/connect client against the Connect test server, the real keyring, and the harness's in-memory clipboard.
const TOKEN = 'e2e-connect-token-canary-71aa';
const PASSWORD = 'e2e-canary-grafana-password-93f2';
const OTP = 'otpauth://totp/Grafana:ops?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Grafana';

const e2e = useE2eSuite();
let server: ConnectServer;

beforeAll(async () => {
  server = await startConnectServer({
    token: TOKEN,
    vaults: [
      {
        name: 'Shared',
        items: [
          grafanaLogin(PASSWORD, { otp: OTP }),
          { title: 'Sentry', category: 'LOGIN', fields: [{ label: 'username', value: 'bot', purpose: 'USERNAME' }] },
        ],
      },
    ],
  });
});
afterAll(async () => {
  await server.stop();
});

/** The app connected to the test server, with the shortest clipboard timer, on the Logins screen with Grafana found. */
async function loginsWithGrafana(query: string) {
  const app = await e2e.launch();
  await app.call('op.configure', { host: server.url, token: TOKEN });
  await app.call('settings.set', { settings: { clipboardClearSeconds: 5 } });
  await app.open();
  await app.page.getByTestId('sidebar-logins').click();
  const search = await visible(app.page.getByTestId('logins-search'));
  await search.fill(query);
  const row = app.page.getByTestId(`login-row-${server.vaults[0]!.items[0]!.id}`);
  await visible(row);
  return { app, page: app.page, search, row };
}

describe('the Logins view', () => {
  it('copies a password from the main process, never shows it, and clears the clipboard afterwards', async () => {
    const { app, page, search, row } = await loginsWithGrafana('graf');
    await expect.poll(() => row.innerText()).toContain('Grafana');

    // Enter copies the selected login's password: it lands on the clipboard, not in the page or any result.
    await search.press('Enter');
    await until(page, () => app.clipboard.text === PASSWORD, 'the password on the clipboard');
    await visible(page.getByTestId('copy-toast'));
    expectNoCanary(await everythingInPage(page), [PASSWORD, TOKEN], 'the page after copying');
    const carriers = app.exchanges.filter((x) => JSON.stringify(x.envelope).includes(PASSWORD));
    expect(carriers).toEqual([]);

    // After clipboardClearSeconds the clipboard no longer holds it.
    await until(page, () => app.clipboard.text !== PASSWORD, 'the clipboard to be cleared', 15_000);
    expect(app.clipboard.text).toBe('');

    // The copy is audited by name, without the value.
    const { events } = await app.call('audit.tail', { limit: 50 });
    expect(events.some((e) => e.action === 'copy')).toBe(true);
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
  });

  it('centres the copy note over the page, with the sidebar open or collapsed', async () => {
    const { page, search } = await loginsWithGrafana('grafana');
    await search.press('Enter');
    const note = await visible(page.getByTestId('copy-toast'));
    const offCentre = async () => {
      const [box, pane] = [await note.boundingBox(), await page.locator('main').boundingBox()];
      return box && pane ? Math.abs(box.x + box.width / 2 - (pane.x + pane.width / 2)) : Infinity;
    };
    expect(await offCentre()).toBeLessThanOrEqual(2);
    // Collapsed, the sidebar gives the page 180 px: the note stayed where the open sidebar had put it, 90 px off.
    await page.getByTestId('sidebar-toggle').click();
    await visible(page.locator('[data-testid="sidebar"][data-collapsed]'));
    await expect.poll(offCentre).toBeLessThanOrEqual(2);
  });

  it('leaves the clipboard alone when the user copied something else meanwhile', async () => {
    const { app, page, search } = await loginsWithGrafana('grafana');
    await search.press('Enter');
    await until(page, () => app.clipboard.text === PASSWORD, 'the password on the clipboard');
    app.clipboard.writeText('something the user copied');
    await page.waitForTimeout(6_500);
    expect(app.clipboard.text).toBe('something the user copied');
  });
});
