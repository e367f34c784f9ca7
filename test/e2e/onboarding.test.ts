import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeEach, describe, expect, it } from 'vitest';
import { readWithDotenv } from '../support/env-readers';
import { API_DEV, GITHUB, SEED, STRIPE } from './harness/fixtures';
import { keysTable, openPlan, syncFromPanel, visible } from './harness/flows';
import { makeProjectDir, resetAndSeed } from './harness/project';
import { useE2eSuite } from './harness/suite';

const e2e = useE2eSuite();

beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), SEED.chamber, SEED.parameters);
});

describe('onboarding a project from zero', () => {
  it('folder without a manifest → guided form → personal secret → plan → sync → an exact 0600 .env', async () => {
    const dir = makeProjectDir();
    const app = await e2e.launch();
    const { page } = app;
    app.setPickedFolder(dir);
    await app.open();

    // First start: no projects yet. Open the folder through the (stubbed) native picker.
    await visible(page.getByTestId('projects-empty'));
    await page.getByTestId('projects-empty').getByTestId('open-folder').click();

    // No latchkey.yml there: the guided form.
    const form = await visible(page.getByTestId('manifest-form'));
    await expect.poll(() => form.getByTestId('profile-name').inputValue()).toBe('dev');
    await expect.poll(() => form.getByTestId('profile-target').inputValue()).toBe('.env');
    await form.getByTestId('aws-profile').fill('acme-dev');
    await form.getByTestId('aws-region').fill('us-east-1');
    await form.getByTestId('source-0-main').fill('api/dev');
    await form.getByTestId('add-source-ssm').click();
    await form.getByTestId('source-1-main').fill('/legacy/stripe_key');
    await form.getByTestId('source-1-as').fill('STRIPE_SECRET_KEY');
    await form.getByTestId('add-source-keychain').click();
    await form.getByTestId('source-2-main').fill('GITHUB_TOKEN');
    await form.getByTestId('add-source-set').click();
    await form.getByTestId('source-3').getByRole('textbox', { name: 'Name 1', exact: true }).fill('LOG_LEVEL');
    await form.getByTestId('source-3').getByRole('textbox', { name: 'Value of LOG_LEVEL', exact: true }).fill('debug');
    await form.getByTestId('create-manifest').click();

    // The manifest exists and says what the form said.
    await visible(page.getByTestId('readiness'), 30_000);
    const manifest = parseYaml(readFileSync(path.join(dir, 'latchkey.yml'), 'utf8'));
    expect(manifest.aws).toEqual({ profile: 'acme-dev', region: 'us-east-1' });
    expect(manifest.profiles.dev.target).toBe('.env');
    expect(manifest.profiles.dev.sources).toEqual([
      { chamber: 'api/dev' },
      { ssm: '/legacy/stripe_key', as: 'STRIPE_SECRET_KEY' },
      { keychain: 'GITHUB_TOKEN' },
      { set: { LOG_LEVEL: 'debug' } },
    ]);

    // The checklist asks for the personal secret; it goes to the keychain from main.
    const readiness = page.getByTestId('readiness');
    const secret = await visible(readiness.getByTestId('personal-secret-GITHUB_TOKEN'));
    await secret.fill(GITHUB);
    await readiness.getByTestId('personal-secret-save-GITHUB_TOKEN').click();
    await expect.poll(() => readiness.getByTestId('personal-secret-GITHUB_TOKEN').count(), { timeout: 15_000 }).toBe(0);

    // Plan: every key is new; then sync from the panel.
    await keysTable(page, Object.keys(API_DEV).length + 3);
    const panel = await openPlan(page);
    await visible(panel.getByTestId('plan-group-new'));
    expect(await panel.getByTestId('plan-entry-JWT_SECRET').count()).toBe(1);
    const outcome = await syncFromPanel(page);
    expect(await outcome.getAttribute('data-testid')).toBe('result-summary');
    expect(await outcome.getAttribute('data-wrote')).toBe('true');

    // The file: there, private, and exactly what SSM and the keychain hold.
    const target = path.join(dir, '.env');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readWithDotenv(readFileSync(target, 'utf8'))).toEqual({
      DATABASE_URL: API_DEV.database_url,
      JWT_SECRET: API_DEV['jwt-secret'],
      PRIVATE_KEY: API_DEV['private.key'],
      QUOTE_SINGLE: API_DEV.quote_single,
      SPACES: API_DEV.spaces,
      UNICODE: API_DEV.unicode,
      STRIPE_SECRET_KEY: STRIPE,
      GITHUB_TOKEN: GITHUB,
      LOG_LEVEL: 'debug',
    });

    // And the table now says so.
    await expect
      .poll(() => page.getByTestId('keys-table').locator('[data-status="unchanged"]').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(await page.getByTestId('keys-table').locator('[data-status="add"]').count()).toBe(0);
  });
});
