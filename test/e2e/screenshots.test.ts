import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sessionAccount, vaultAccount } from '../../main/aws/profiles';
import { createKeytarKeychain } from '../../main/adapters/keytar-keychain';
import { applyEnv, testClientConfig } from '../support/aws-env';
import { startConnectServer, type ConnectServer } from '../support/connect-server';
import { seedChamberService } from '../support/ssm-seed';
import { axeViolations, describeFindings } from './harness/axe';
import { ROOT } from './harness/build';
import { GITHUB, MANIFEST, SEED, SHARED_DEV } from './harness/fixtures';
import { keysTable, openPlan, visible } from './harness/flows';
import { makeProjectDir, resetAndSeed } from './harness/project';
import { useE2eSuite } from './harness/suite';

const e2e = useE2eSuite();
// `npm run screenshots` (the `screenshots` project) sets the directory to docs/screenshots/. Under `npm test` the
// same screens are reached and shot into test-results/, which git ignores, so a test run changes no tracked file.
const OUT = path.resolve(ROOT, process.env.LATCHKEY_SCREENSHOTS_DIR ?? path.join('test-results', 'e2e', 'screens'));

beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), SEED.chamber, SEED.parameters);
});

/** What axe-core found on the screens shot so far in this test; each test expects none (issue 14, item 9). */
const a11yFindings: string[] = [];

/**
 * Lets fonts, layout and transitions settle, moves the pointer out of the way, and saves <OUT>/<name>.png. Every
 * screen worth a screenshot is a screen a user reaches, so axe-core checks it in the same state.
 */
async function shoot(page: Page, name: string): Promise<string> {
  await page.mouse.move(1, 1);
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(250);
  mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  a11yFindings.push(...describeFindings(name, await axeViolations(page)));
  return file;
}

/** The findings collected since the last call, emptied for the next test. */
function takeA11yFindings(): string[] {
  return a11yFindings.splice(0);
}

/**
 * The main screens with realistic state, once per theme: a synced project whose sources moved on since (a rotated
 * key, a new key, a conflict), a hand-added local key, a git repo that does not ignore .env, and a trail of audit
 * events. Everything comes from the real backend against moto; nothing in the page is faked.
 */
async function captureAll(theme: 'light' | 'dark'): Promise<string[]> {
  const shots: string[] = [];
  const dir = makeProjectDir(MANIFEST, 'acme-api');
  const billing = makeProjectDir(undefined, 'billing-service');
  const web = makeProjectDir(
    MANIFEST.replace('Local development against the shared dev stack', 'The web front end'),
    'web-frontend',
  );
  execFileSync('git', ['init', '-q'], { cwd: dir });
  const target = path.join(dir, '.env');

  const app = await e2e.launch({ colorScheme: theme });
  const { page } = app;
  const projectId = await app.openFolder(dir);
  await app.call('secrets.setPersonal', { projectId, name: 'GITHUB_TOKEN', value: GITHUB });
  await app.call('settings.set', { settings: { confirmBeforeSync: true } });
  await app.call('sync', { projectId, profile: 'dev' });
  await app.call('secrets.reveal', { projectId, profile: 'dev', name: 'DATABASE_URL' });
  await app.call('sync', { projectId, profile: 'api-only' });
  await app.call('sync', { projectId, profile: 'dev', takeRemote: [] });
  // Since then: a teammate rotated one key and added another, and changed DB_USER, which was also edited here.
  await seedChamberService(e2e.ssm(), 'api/dev', {
    'jwt-secret': 'canary-e2e-jwt-rotated',
    feature_flags_url: 'https://flags.canary-e2e.internal',
  });
  await seedChamberService(e2e.ssm(), 'shared/dev', { db_user: 'canary_e2e_user_v2' });
  writeFileSync(target, readFileSync(target, 'utf8').replace(`DB_USER=${SHARED_DEV.db_user}`, 'DB_USER=me_locally'));
  appendFileSync(target, '# my own additions\nDEBUG_SQL=1\n');
  for (const d of [billing, web, dir]) await app.openFolder(d);

  app.setPickedFolder(billing);
  await app.open();
  await visible(page.getByRole('button', { name: 'Open acme-api' }));
  shots.push(await shoot(page, `projects-${theme}`));

  await page.getByRole('button', { name: 'Open acme-api' }).click();
  await keysTable(page, 14);
  await visible(page.getByTestId('readiness-gitignore'));
  await page.waitForTimeout(500); // the readiness probe and the plan both settle
  shots.push(await shoot(page, `profile-${theme}`));

  await openPlan(page);
  await visible(page.getByTestId('plan-panel').getByTestId('plan-group-conflict'));
  shots.push(await shoot(page, `plan-conflict-${theme}`));
  await page.getByTestId('panel-close').click();

  await page.getByTestId('sidebar-rotation').click();
  await page.locator('.age-chart, [data-testid="rotation-empty"]').first().waitFor();
  shots.push(await shoot(page, `rotation-${theme}`));

  await page.getByTestId('sidebar-audit').click();
  await visible(page.getByTestId('audit-timeline'));
  shots.push(await shoot(page, `audit-${theme}`));

  await page.getByTestId('sidebar-settings').click();
  await visible(page.getByTestId('theme-choice'));
  shots.push(await shoot(page, `settings-${theme}`));

  // A folder without latchkey.yml: the guided form, partly filled in.
  await page.getByTestId('sidebar-projects').click();
  await page.getByRole('button', { name: 'Open billing-service' }).click();
  const form = await visible(page.getByTestId('manifest-form'));
  await form.getByTestId('aws-profile').fill('acme-dev');
  await form.getByTestId('aws-region').fill('us-east-1');
  await form.getByTestId('source-0-main').fill('billing/dev');
  await form.getByTestId('add-source-keychain').click();
  await form.getByTestId('source-1-main').fill('STRIPE_RESTRICTED_KEY');
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    for (const el of document.querySelectorAll<HTMLElement>('*')) if (el.scrollTop > 0) el.scrollTop = 0;
  });
  shots.push(await shoot(page, `onboarding-${theme}`));
  return shots;
}

describe('screenshots of the main screens', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`captures every main screen in the ${theme} theme`, async () => {
      const shots = await captureAll(theme);
      expect(shots.map((f) => path.basename(f))).toEqual(
        ['projects', 'profile', 'plan-conflict', 'rotation', 'audit', 'settings', 'onboarding'].map(
          (s) => `${s}-${theme}.png`,
        ),
      );
      expect(takeA11yFindings()).toEqual([]);
    });
  }

  for (const theme of ['light', 'dark'] as const) {
    it(`captures the AWS and Logins screens in the ${theme} theme`, async () => {
      const shots = [await captureAws(theme), await captureLogins(theme)];
      expect(shots.map((f) => path.basename(f))).toEqual([`aws-${theme}.png`, `logins-${theme}.png`]);
      expect(takeA11yFindings()).toEqual([]);
    });
  }

  it('captures a bad manifest shown with its positions', async () => {
    const broken = MANIFEST.replace(
      '      - ssm: /legacy/stripe_key\n',
      '      - ssm: /legacy/stripe_key\n        chamber: oops\n',
    );
    const dir = makeProjectDir(broken, 'acme-api');
    const app = await e2e.launch();
    await app.openFolder(dir);
    await app.open();
    await app.page.getByRole('button', { name: 'Open acme-api' }).click();
    await visible(app.page.getByTestId('manifest-problems'));
    await shoot(app.page, 'error-manifest-light');
    expect(takeA11yFindings()).toEqual([]);
  });
});

// The AWS screen: one profile of each kind, the IAM user's keys in the keychain (a real moto IAM key, so its key list
// and age show) and its MFA session running. The AWS files are throwaway ones that process.env points at meanwhile.
const AWS_USER = 'acme-dev';
const AWS_CONFIG = `[profile ${AWS_USER}]
region = us-east-1
mfa_serial = arn:aws:iam::123456789012:mfa/jordan

[profile acme-prod-admin]
role_arn = arn:aws:iam::210987654321:role/Admin
source_profile = ${AWS_USER}
mfa_serial = arn:aws:iam::123456789012:mfa/jordan
region = eu-west-1

[profile acme-sso]
sso_start_url = https://acme.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = ReadOnly
region = us-east-1

[profile legacy-ci]
region = us-west-2

[profile tools]
credential_process = /usr/local/bin/vault-aws-creds tools
region = eu-central-1
`;

async function captureAws(theme: 'light' | 'dark'): Promise<string> {
  const keychain = createKeytarKeychain();
  const home = mkdtempSync(path.join(tmpdir(), 'latchkey-e2e-shot-aws-'));
  const config = path.join(home, 'config');
  const credentials = path.join(home, 'credentials');
  const iam = new IAMClient(testClientConfig());
  const cleanup = async () => {
    for (const name of [AWS_USER, 'acme-prod-admin']) {
      await keychain.delete(vaultAccount(name));
      await keychain.delete(sessionAccount(name));
    }
  };
  const undoEnv = applyEnv({ AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials });
  try {
    await cleanup();
    await iam.send(new CreateUserCommand({ UserName: 'jordan' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'jordan' }))).AccessKey!;
    writeFileSync(config, AWS_CONFIG);
    writeFileSync(
      credentials,
      `[${AWS_USER}]\naws_access_key_id = ${key.AccessKeyId}\naws_secret_access_key = ${key.SecretAccessKey}\n\n` +
        '[legacy-ci]\naws_access_key_id = AKIAEXAMPLELEGACY0001\naws_secret_access_key = e2eShotLegacyNotARealSecret\n',
      { mode: 0o600 },
    );
    const app = await e2e.launch({ colorScheme: theme });
    const { page } = app;
    await app.call('aws.import', { profile: AWS_USER, removePlaintext: true });
    await app.call('aws.login', { profile: AWS_USER, mfaCode: '123456' });
    await app.open();
    await page.getByTestId('sidebar-aws').click();
    await (await visible(page.getByTestId(`aws-profile-${AWS_USER}`))).click();
    await visible(page.getByTestId('aws-detail').getByRole('heading', { name: AWS_USER }));
    await page.getByTestId('aws-keys').locator('[data-testid^="aws-key-"]').first().waitFor();
    await visible(page.getByTestId('status-aws-session'));
    return await shoot(page, `aws-${theme}`);
  } finally {
    iam.destroy();
    await cleanup();
    undoEnv();
    rmSync(home, { recursive: true, force: true });
  }
}

// The Logins screen: a Connect test server with a few shared logins in two vaults, one of them selected.
const CONNECT_TOKEN = 'e2e-shot-connect-token';
let connect: ConnectServer;
beforeAll(async () => {
  // Changed some days before the run, so the screenshot reads like a live vault ("3 d ago").
  const login = (title: string, username: string, href: string, daysAgo: number, otp = false) => ({
    title,
    category: 'LOGIN',
    updatedAt: new Date(Date.now() - daysAgo * 86_400_000 - 3_600_000).toISOString(),
    urls: [{ href, primary: true }],
    fields: [
      { label: 'username', value: username, purpose: 'USERNAME' as const, type: 'STRING' as const },
      {
        label: 'password',
        value: `e2e-shot-password-${title.length}`,
        purpose: 'PASSWORD' as const,
        type: 'CONCEALED' as const,
      },
      ...(otp
        ? [
            {
              label: 'one-time password',
              value: 'otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
              type: 'OTP' as const,
            },
          ]
        : []),
    ],
  });
  connect = await startConnectServer({
    token: CONNECT_TOKEN,
    vaults: [
      {
        name: 'Engineering',
        items: [
          login('Grafana', 'ops@acme.example', 'https://grafana.acme.example/login', 3, true),
          login('Sentry', 'platform-bot@acme.example', 'https://acme.sentry.io/auth/login/', 12),
          login('PagerDuty', 'oncall@acme.example', 'https://acme.pagerduty.com', 41, true),
        ],
      },
      {
        name: 'Shared',
        items: [
          login('Stripe dashboard', 'finance@acme.example', 'https://dashboard.stripe.com/login', 1, true),
          login('Docker Hub', 'acmebuild', 'https://hub.docker.com/login', 164),
        ],
      },
    ],
  });
});
afterAll(async () => {
  await connect?.stop();
});

async function captureLogins(theme: 'light' | 'dark'): Promise<string> {
  const app = await e2e.launch({ colorScheme: theme });
  const { page } = app;
  await app.call('op.configure', { host: connect.url, token: CONNECT_TOKEN });
  await app.open();
  await page.getByTestId('sidebar-logins').click();
  await visible(page.getByTestId('logins-list'));
  const grafana = connect.vaults[0]!.items[0]!;
  await (await visible(page.getByTestId(`login-row-${grafana.id}`))).click();
  await visible(page.getByTestId('login-detail').getByText('ops@acme.example').first());
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  return await shoot(page, `logins-${theme}`);
}
