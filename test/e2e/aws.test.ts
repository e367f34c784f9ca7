import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionAccount, vaultAccount } from '../../main/aws/profiles';
import { createKeytarKeychain } from '../../main/adapters/keytar-keychain';
import { applyEnv } from '../support/aws-env';
import { everythingInPage, expectNoCanary, until, visible } from './harness/flows';
import { useE2eSuite } from './harness/suite';

// The AWS view end to end: the real renderer, createApi, router and aws handlers, the real keyring, and the suite's
// moto (auth off, so any key and any MFA code are accepted). The AWS files are a throwaway pair that process.env
// points at for this test only (on top of the suite's own AWS environment, which stays the endpoint).
const PROFILE = `e2e-mfa-${randomBytes(3).toString('hex')}`;
const MFA = 'arn:aws:iam::123456789012:mfa/e2e';

const e2e = useE2eSuite();
const keychain = createKeytarKeychain();

interface Files {
  home: string;
  config: string;
  credentials: string;
  accessKeyId: string;
  secret: string;
  undoEnv: () => void;
}
let f: Files;

beforeEach(() => {
  const home = mkdtempSync(path.join(tmpdir(), 'latchkey-e2e-awsfiles-'));
  mkdirSync(path.join(home, '.aws'), { mode: 0o700 });
  const config = path.join(home, '.aws', 'config');
  const credentials = path.join(home, '.aws', 'credentials');
  const accessKeyId = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const secret = `e2eAwsCanary${randomBytes(12).toString('hex')}`;
  writeFileSync(config, `[profile ${PROFILE}]\nregion = us-east-1\nmfa_serial = ${MFA}\n`);
  writeFileSync(
    credentials,
    `# my keys\n[${PROFILE}]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secret}\n`,
    { mode: 0o600 },
  );
  const undoEnv = applyEnv({ AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials });
  f = { home, config, credentials, accessKeyId, secret, undoEnv };
});

afterEach(async () => {
  await keychain.delete(vaultAccount(PROFILE));
  await keychain.delete(sessionAccount(PROFILE));
  f.undoEnv();
  rmSync(f.home, { recursive: true, force: true });
});

describe('the AWS view', () => {
  it('imports keys (plaintext removed), starts an MFA session from the prompt, shows its countdown, and stops it', async () => {
    const app = await e2e.launch();
    const { page } = app;
    await app.open();

    await page.getByTestId('sidebar-aws').click();
    const row = await visible(page.getByTestId(`aws-profile-${PROFILE}`));
    await expect.poll(() => row.getAttribute('data-kind')).toBe('file-keys');
    await row.click();
    await visible(page.getByTestId('aws-detail').getByRole('heading', { name: PROFILE }));

    // Import into the keychain, removing the plaintext: the file no longer holds the secret.
    await page.getByTestId('aws-import-remove-plaintext').check();
    await page.getByTestId('aws-import').click();
    await expect.poll(() => row.getAttribute('data-kind'), { timeout: 15_000 }).toBe('keychain-keys');
    expect(readFileSync(f.credentials, 'utf8')).not.toContain(f.secret);
    expect(readFileSync(f.credentials, 'utf8')).not.toContain(f.accessKeyId);
    expect(JSON.parse((await keychain.get(vaultAccount(PROFILE)))!)).toEqual({
      accessKeyId: f.accessKeyId,
      secretAccessKey: f.secret,
    });
    await expect.poll(() => page.getByTestId('aws-import-block').count()).toBe(0);

    // Rotate access key asks first (DialogShell): Cancel has the focus, Tab stays inside, Esc closes and gives the
    // focus back to the button; nothing was rotated.
    const rotate = page.getByTestId('aws-rotate');
    await rotate.click();
    const dialog = await visible(page.getByTestId('aws-rotate-dialog'));
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    const focusedTestId = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    await expect.poll(focusedTestId).toBe('aws-rotate-cancel');
    await page.keyboard.press('Tab');
    await expect.poll(focusedTestId).toBe('aws-rotate-confirm');
    await page.keyboard.press('Tab');
    await expect.poll(focusedTestId).toBe('aws-rotate-cancel');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('aws-rotate-dialog').count()).toBe(0);
    await expect.poll(focusedTestId).toBe('aws-rotate');
    expect(app.exchanges.filter((x) => x.method === 'aws.rotateKey')).toEqual([]);

    // Start → main asks for the MFA code → six digits and Enter → the session.
    await expect.poll(() => page.getByTestId('aws-countdown').getAttribute('data-phase')).toBe('none');
    await page.getByTestId('aws-start').click();
    const code = await visible(page.getByTestId('aws-mfa-code'));
    await expect.poll(() => code.evaluate((el) => el === document.activeElement)).toBe(true);
    await code.pressSequentially('123456');
    await code.press('Enter');
    await until(
      page,
      async () => (await page.getByTestId('aws-countdown').getAttribute('data-phase')) === 'active',
      'the session countdown',
    );
    await expect.poll(() => page.getByTestId('aws-mfa').count()).toBe(0);
    expect(await page.getByTestId('aws-countdown').innerText()).toMatch(/^\s*1[12]h \d+m\s*$/);
    const status = page.getByTestId('status-aws-session');
    await expect.poll(() => status.getAttribute('data-phase')).toBe('active');
    expect(await status.innerText()).toContain(PROFILE);
    await visible(page.getByTestId('aws-stop'));

    const text = readFileSync(f.credentials, 'utf8');
    const section = new RegExp(
      `\\[${PROFILE}\\]\\naws_access_key_id = \\w+\\naws_secret_access_key = (\\S+)\\naws_session_token = (\\S+)\\nx_latchkey_managed = true\\nx_latchkey_expiration = \\S+\\n`,
    ).exec(text);
    expect(section, 'a managed section for the profile').not.toBeNull();
    const [, sessionSecret, sessionToken] = section!;
    expect(sessionSecret).not.toBe(f.secret);

    // Stop: the managed section leaves the file, the countdown and the status bar say so.
    await page.getByTestId('aws-stop').click();
    await until(
      page,
      async () => (await page.getByTestId('aws-countdown').getAttribute('data-phase')) === 'none',
      'the session to stop',
    );
    await expect.poll(() => status.getAttribute('data-phase')).toBe('none');
    expect(readFileSync(f.credentials, 'utf8')).toMatch(/^# my keys\n\n?$/);
    expect(await keychain.get(sessionAccount(PROFILE))).toBeNull();

    // Canary: no long-lived or session secret in the page, in any envelope or in any event.
    const canaries = [f.secret, sessionSecret!, sessionToken!];
    expectNoCanary(await everythingInPage(page), canaries, 'the AWS page');
    expectNoCanary(JSON.stringify(app.exchanges), canaries, 'the envelopes');
    expectNoCanary(JSON.stringify(app.events), canaries, 'the events');
    expect(app.exchanges.some((x) => x.method === 'aws.login' && x.envelope.ok)).toBe(true);

    const audit = (await app.call('audit.tail', { limit: 20 })).events.map((e) => [e.action, e.profile, e.outcome]);
    expect(audit).toEqual([
      ['key.import', PROFILE, 'ok'],
      ['session.start', PROFILE, 'ok'],
      ['session.stop', PROFILE, 'ok'],
    ]);
  });
});
