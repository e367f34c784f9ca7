import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyEnv } from '../support/aws-env';
import { grafanaLogin, startConnectServer, type ConnectServer } from '../support/connect-server';
import { readWithDotenv } from '../support/env-readers';
import { axeBothThemes } from './harness/axe';
import { API_DEV, DEV_EXPECTED, MANIFEST, SEED } from './harness/fixtures';
import { everythingInPage, expectNoCanary, until, visible } from './harness/flows';
import { makeProjectDir, resetAndSeed } from './harness/project';
import { useE2eSuite } from './harness/suite';

// The command palette across everything (issue 14, item 7): from any screen it finds every recent project's
// profiles (their manifests read lazily, nothing planned), the shared logins (copied in main) and the AWS profiles,
// offering only the commands their state allows.

const e2e = useE2eSuite();

const TOKEN = 'e2e-palette-connect-token-canary-5c1e';
const PASSWORD = 'e2e-palette-canary-grafana-password-d41b';
let server: ConnectServer;

beforeAll(async () => {
  server = await startConnectServer({ token: TOKEN, vaults: [{ name: 'Shared', items: [grafanaLogin(PASSWORD)] }] });
});
afterAll(async () => {
  await server.stop();
});
beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), SEED.chamber, SEED.parameters);
});

async function openPalette(page: Page, query: string) {
  await page.keyboard.press('Control+k');
  const palette = await visible(page.getByTestId('command-palette'));
  await page.getByTestId('palette-input').fill(query);
  return palette;
}

/** The palette's option whose label is exactly `label` (its hint follows it in the option's text). */
const option = (page: Page, label: string) =>
  page
    .getByRole('option')
    .filter({ has: page.locator('.palette-label', { hasText: new RegExp(`^${escape(label)}$`) }) });

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('the command palette', () => {
  it('finds "sync" for a recent project’s profile from the Projects screen; running it navigates and syncs', async () => {
    const dir = makeProjectDir(MANIFEST);
    const app = await e2e.launch();
    const { page } = app;
    await app.openFolder(dir);
    await app.open();
    await visible(page.getByRole('button', { name: 'Open acme-api' }));

    // Keyboard only: the palette takes the focus, Tab keeps it in the dialog (its one stop), Esc gives it back.
    const opener = page.getByRole('button', { name: 'Open acme-api' });
    await opener.focus();
    await openPalette(page, '');
    const inPalette = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
    expect(await inPalette()).toBe('palette-input');
    await page.keyboard.press('Tab');
    expect(await inPalette()).toBe('palette-input');
    await page.keyboard.press('Shift+Tab');
    expect(await inPalette()).toBe('palette-input');
    await page.keyboard.press('Escape');
    await page.getByTestId('command-palette').waitFor({ state: 'detached' });
    expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true);

    // On the overview, no profile open: "sync" lists the recent project's profiles once its manifest is read.
    await openPalette(page, 'sync');
    const dev = await visible(option(page, 'Sync acme-api ▸ dev'));
    const apiOnly = await visible(option(page, 'Sync acme-api ▸ api-only'));
    expect(await dev.getAttribute('aria-disabled')).toBeNull();
    const group = page.getByRole('group', { name: 'Profiles' });
    expect(await group.getByRole('option').count()).toBeGreaterThanOrEqual(2);
    expect(app.exchanges.some((x) => x.method === 'manifest.read')).toBe(true);
    expect(app.exchanges.some((x) => x.method === 'plan' || x.method === 'sync')).toBe(false);

    // ↓ moves to the second match; Enter runs it: the profile opens with its plan beside the table and, since
    // "confirm before sync" is on by default, the write waits for the user's press, as from the action bar.
    expect(await dev.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowDown');
    expect(await apiOnly.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    await page.getByTestId('command-palette').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('profile-tab-api-only').getAttribute('aria-selected')).toBe('true');
    const panel = await visible(page.getByTestId('plan-panel'));
    await expect.poll(() => app.exchanges.some((x) => x.method === 'plan'), { timeout: 60_000 }).toBe(true);
    expect(app.exchanges.some((x) => x.method === 'sync')).toBe(false);
    const syncButton = page.getByTestId('sync-button');
    await expect.poll(() => syncButton.isDisabled(), { timeout: 60_000 }).toBe(false);
    await syncButton.click();
    const summary = await visible(panel.getByTestId('result-summary'), 60_000);
    expect(await summary.getAttribute('data-wrote')).toBe('true');
    const expected = Object.fromEntries(
      Object.entries(DEV_EXPECTED).filter(([, v]) => Object.values(API_DEV).includes(v)),
    );
    expect(readWithDotenv(readFileSync(path.join(dir, 'api.env'), 'utf8'))).toEqual(expected);

    // The command is remembered: with no query it comes first, under "Recent".
    await openPalette(page, '');
    const recent = await visible(page.getByRole('group', { name: 'Recent' }));
    expect(await recent.getByRole('option').first().innerText()).toContain('Sync api-only');
    await page.keyboard.press('Escape');
  });

  it('copies a login’s password through main: on the clipboard, never in the page or an envelope', async () => {
    const app = await e2e.launch();
    const { page } = app;
    await app.call('op.configure', { host: server.url, token: TOKEN });
    await app.call('settings.set', { settings: { clipboardClearSeconds: 30 } });
    await app.open();
    await page.getByTestId('sidebar-audit').click();

    await openPalette(page, 'copy password graf');
    const copy = await visible(option(page, 'Copy password: Grafana'));
    expect(await copy.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    await until(page, () => app.clipboard.text === PASSWORD, 'the password on the clipboard');
    await visible(page.getByTestId('copy-toast'));

    expectNoCanary(await everythingInPage(page), [PASSWORD, TOKEN], 'the page after copying from the palette');
    expectNoCanary(JSON.stringify(app.exchanges.map((x) => x.envelope)), [PASSWORD], 'the IPC results');
    expectNoCanary(JSON.stringify(app.events), [PASSWORD], 'the events');
    expect(app.exchanges.some((x) => x.method === 'logins.copy' && x.envelope.ok)).toBe(true);
    expect(app.exchanges.some((x) => x.method === 'logins.reveal')).toBe(false);
  });

  it('offers Start session only where one can start: not for an active session, nor a credential_process profile', async () => {
    const tag = randomBytes(3).toString('hex');
    const live = `e2e-live-${tag}`;
    const idle = `e2e-idle-${tag}`;
    const tool = `e2e-tool-${tag}`;
    const src = `e2e-src-${tag}`;
    const sessionSecret = `e2ePaletteSessionCanary${randomBytes(10).toString('hex')}`;
    const home = mkdtempSync(path.join(tmpdir(), 'latchkey-e2e-palette-aws-'));
    mkdirSync(path.join(home, '.aws'), { mode: 0o700 });
    const config = path.join(home, '.aws', 'config');
    const credentials = path.join(home, '.aws', 'credentials');
    const role = 'role_arn = arn:aws:iam::123456789012:role/e2e';
    writeFileSync(
      config,
      [
        `[profile ${src}]\nregion = us-east-1`,
        `[profile ${live}]\n${role}\nsource_profile = ${src}\nregion = us-east-1`,
        `[profile ${idle}]\n${role}\nsource_profile = ${src}\nregion = us-east-1`,
        `[profile ${tool}]\ncredential_process = /bin/false\nregion = us-east-1`,
      ].join('\n\n') + '\n',
    );
    const expires = new Date(Date.now() + 6 * 3_600_000).toISOString();
    writeFileSync(
      credentials,
      `[${src}]\naws_access_key_id = AKIA${tag.toUpperCase()}SRC\naws_secret_access_key = srcsecret${tag}\n\n` +
        `[${live}]\naws_access_key_id = ASIA${tag.toUpperCase()}LIVE\naws_secret_access_key = ${sessionSecret}\n` +
        `aws_session_token = token${sessionSecret}\nx_latchkey_managed = true\nx_latchkey_expiration = ${expires}\n`,
      { mode: 0o600 },
    );
    const undoEnv = applyEnv({ AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials });
    try {
      const app = await e2e.launch();
      const { page } = app;
      await app.open();

      await openPalette(page, 'start');
      await visible(option(page, `Start session: ${idle}`));
      expect(await option(page, `Start session: ${live}`).count()).toBe(0);
      expect(await option(page, `Start session: ${tool}`).count()).toBe(0);
      // Plain-text keys: shown, disabled, with the reason; Enter leaves the palette open over it.
      const blocked = await visible(option(page, `Start session: ${src}`));
      expect(await blocked.getAttribute('aria-disabled')).toBe('true');
      expect(await blocked.innerText()).toMatch(/import them into the keychain first/);
      expect(await axeBothThemes(page, 'palette, "start"')).toEqual([]);

      // The active one offers Stop and Refresh instead; the credential_process one no session command at all.
      await page.getByTestId('palette-input').fill(live);
      await visible(option(page, `Stop session: ${live}`));
      await visible(option(page, `Refresh session: ${live}`));
      await page.getByTestId('palette-input').fill(`session ${tool}`);
      await visible(page.getByRole('status').filter({ hasText: 'Nothing matches' }));

      // The resting list (groups and headings) passes axe in both themes as well.
      await page.getByTestId('palette-input').fill('');
      await visible(page.getByRole('group', { name: 'Go to' }));
      expect(await axeBothThemes(page, 'palette, resting')).toEqual([]);

      expectNoCanary(await everythingInPage(page), [sessionSecret], 'the page with the palette open');

      // Stop runs from the palette (on the AWS screen, the profile selected); then Start is what it offers.
      await page.getByTestId('palette-input').fill(`stop session ${live}`);
      await visible(option(page, `Stop session: ${live}`));
      await page.keyboard.press('Enter');
      await page.getByTestId('command-palette').waitFor({ state: 'detached' });
      await visible(page.getByTestId('aws-detail').getByRole('heading', { name: live }));
      await expect
        .poll(() => readFileSync(credentials, 'utf8').includes(sessionSecret), { timeout: 15_000 })
        .toBe(false);
      await openPalette(page, `start session ${live}`);
      await visible(option(page, `Start session: ${live}`));
      expect(await option(page, `Stop session: ${live}`).count()).toBe(0);
      await page.keyboard.press('Escape');
      expectNoCanary(JSON.stringify(app.exchanges.map((x) => x.envelope)), [sessionSecret], 'the IPC results');
      expect(app.exchanges.some((x) => x.method === 'aws.login')).toBe(false);
    } finally {
      undoEnv();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
