import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedChamberService } from '../support/ssm-seed';
import { ROOT } from './harness/build';
import { GITHUB, MANIFEST, SEED, SHARED_DEV } from './harness/fixtures';
import { keysTable, openPlan, visible } from './harness/flows';
import { makeProjectDir, resetAndSeed } from './harness/project';
import { useE2eSuite } from './harness/suite';

const e2e = useE2eSuite();
const OUT = path.join(ROOT, 'docs', 'screenshots');

beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), SEED.chamber, SEED.parameters);
});

/** Lets fonts, layout and transitions settle, moves the pointer out of the way, and saves docs/screenshots/<name>. */
async function shoot(page: Page, name: string): Promise<string> {
  await page.mouse.move(1, 1);
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(250);
  mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
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
  const web = makeProjectDir(MANIFEST.replace('Local development against the shared dev stack', 'The web front end'), 'web-frontend');
  execFileSync('git', ['init', '-q'], { cwd: dir });
  const target = path.join(dir, '.env');

  const app = await e2e.launch({ colorScheme: theme });
  const { page } = app;
  await app.call('secrets.setPersonal', { dir, name: 'GITHUB_TOKEN', value: GITHUB });
  await app.call('settings.set', { settings: { confirmBeforeSync: true } });
  await app.call('sync', { dir, profile: 'dev' });
  await app.call('secrets.reveal', { dir, profile: 'dev', name: 'DATABASE_URL' });
  await app.call('sync', { dir, profile: 'api-only' });
  await app.call('sync', { dir, profile: 'dev', takeRemote: [] });
  // Since then: a teammate rotated one key and added another, and changed DB_USER, which was also edited here.
  await seedChamberService(e2e.ssm(), 'api/dev', { 'jwt-secret': 'canary-e2e-jwt-rotated', feature_flags_url: 'https://flags.canary-e2e.internal' });
  await seedChamberService(e2e.ssm(), 'shared/dev', { db_user: 'canary_e2e_user_v2' });
  writeFileSync(target, readFileSync(target, 'utf8').replace(`DB_USER=${SHARED_DEV.db_user}`, 'DB_USER=me_locally'));
  appendFileSync(target, '# my own additions\nDEBUG_SQL=1\n');
  for (const d of [billing, web, dir]) await app.call('projects.open', { dir: d });

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

describe('screenshots of the main screens (docs/screenshots)', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`captures every main screen in the ${theme} theme`, async () => {
      const shots = await captureAll(theme);
      expect(shots.map((f) => path.basename(f))).toEqual(
        ['projects', 'profile', 'plan-conflict', 'rotation', 'audit', 'settings', 'onboarding'].map((s) => `${s}-${theme}.png`),
      );
    });
  }

  it('captures a bad manifest shown with its positions', async () => {
    const broken = MANIFEST.replace('      - ssm: /legacy/stripe_key\n', '      - ssm: /legacy/stripe_key\n        chamber: oops\n');
    const dir = makeProjectDir(broken, 'acme-api');
    const app = await e2e.launch();
    await app.call('projects.open', { dir });
    await app.open();
    await app.page.getByRole('button', { name: 'Open acme-api' }).click();
    await visible(app.page.getByTestId('manifest-problems'));
    await shoot(app.page, 'error-manifest-light');
  });
});
