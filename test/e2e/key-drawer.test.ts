import { IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readWithDotenv } from '../support/env-readers';
import { startAuthMoto, type AuthMoto } from '../support/moto-iam';
import { seedChamberService } from '../support/ssm-seed';
import { axeBothThemes } from './harness/axe';
import { CANARIES, GITHUB, MANIFEST, SEED } from './harness/fixtures';
import {
  everythingInPage,
  expectNoCanary,
  keysTable,
  openKnownProject,
  syncFromPanel,
  until,
  visible,
} from './harness/flows';
import { makeProjectDir, resetAndSeed, useAwsProfileEnv } from './harness/project';
import { useE2eSuite } from './harness/suite';
import type { E2eApp } from './harness/app';

// Issue 13 in the app: the key drawer from the keys table (history, Rotate now with its impact, Edit shared value)
// against moto through the shipped preload and the real router. A typed value must never come back: not into the
// DOM after saving, not in any envelope or event.

const e2e = useE2eSuite();
const PARAM = '/api/dev/jwt-secret';
const TYPED = 'canary-e2e-typed-shared-8d2f';

beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), SEED.chamber, SEED.parameters);
});

async function parameter(client: SSMClient = e2e.ssm()) {
  const out = await client.send(new GetParameterCommand({ Name: PARAM, WithDecryption: true }));
  return { version: out.Parameter?.Version, value: out.Parameter?.Value ?? '' };
}

/** acme-api open on dev, its personal token stored, the keys table showing. */
async function openDev(manifest = MANIFEST, count = 12) {
  const dir = makeProjectDir(manifest);
  const app = await e2e.launch();
  const projectId = await app.openFolder(dir);
  if (manifest.includes('keychain: GITHUB_TOKEN'))
    await app.call('secrets.setPersonal', { projectId, name: 'GITHUB_TOKEN', value: GITHUB });
  await openKnownProject(app, dir, 'acme-api');
  await keysTable(app.page, count);
  return { dir, app, page: app.page };
}

async function openDrawer(page: Page, key: string) {
  await page.getByTestId(`key-details-${key}`).click();
  const drawer = await visible(page.getByTestId('key-drawer'));
  await visible(drawer.getByTestId('key-history'));
  return drawer;
}

function expectNothingLeaked(app: E2eApp, values: string[], where: string) {
  expectNoCanary(JSON.stringify(app.exchanges.map((x) => x.envelope)), values, `the IPC results (${where})`);
  expectNoCanary(JSON.stringify(app.events), values, `the events (${where})`);
}

describe('the key drawer', () => {
  it('shows the history, rotates with a confirmation that names the impact, and offers a sync', async () => {
    const { dir, app, page } = await openDev();
    const drawer = await openDrawer(page, 'JWT_SECRET');
    expect(await drawer.getByTestId('key-parameter').innerText()).toBe(PARAM);
    expect(await drawer.getByTestId('key-version').innerText()).toBe('1');
    expect(await drawer.getByTestId('key-history').locator('li').count()).toBe(1);
    const a11y = await axeBothThemes(page, 'the key drawer');

    await drawer.getByTestId('rotate-now').click();
    const dialog = await visible(page.getByTestId('rotate-shared-dialog'));
    await until(page, async () => (await dialog.getByTestId('rotate-confirm').isEnabled()) === true, 'the preview');
    // api-only reads the same service: the confirmation says so before anything happens.
    expect(await dialog.getByTestId('rotate-impact').innerText()).toBe(
      `This changes ${PARAM}; 1 other profile uses it: acme-api › api-only.`,
    );
    expect(await dialog.getByTestId('rotate-policy').innerText()).toContain('40 characters');
    a11y.push(...(await axeBothThemes(page, 'the rotate confirmation')));
    expect(await parameter()).toMatchObject({ version: 1 });

    await dialog.getByTestId('rotate-confirm').click();
    await until(page, async () => (await dialog.getAttribute('data-phase')) === 'done', 'the rotation', 30_000);
    const steps = dialog.getByTestId('rotate-steps').locator('li');
    expect(await steps.evaluateAll((els) => els.map((el) => el.getAttribute('data-state')))).toEqual([
      'done',
      'done',
      'done',
      'done',
    ]);
    expect(
      app.events.filter((e) => e.event === 'sharedSecrets.progress').map((e) => (e.payload as { step: string }).step),
    ).toEqual(['read', 'generate', 'write', 'audit']);
    const rotated = await parameter();
    expect(rotated.version).toBe(2);
    expect(rotated.value).toMatch(/^[A-Za-z0-9_-]{40}$/);
    expect(await dialog.getByTestId('rotate-result').innerText()).toContain('version 2 (was 1)');
    expect(await dialog.getByTestId('rotate-others').innerText()).toContain('acme-api › api-only');

    // The offer: sync this profile now. "Confirm before sync" is on by default, so it shows the plan first; the
    // file gets the new value, which the page never holds.
    await dialog.getByTestId('rotate-sync-now').click();
    await visible(page.getByTestId('plan-panel'));
    expect(await (await syncFromPanel(page)).getAttribute('data-testid')).toBe('result-summary');
    expect(readWithDotenv(readFileSync(path.join(dir, '.env'), 'utf8')).JWT_SECRET).toBe(rotated.value);
    expectNoCanary(await everythingInPage(page), [rotated.value, ...CANARIES], 'the DOM after the rotation');
    expectNothingLeaked(app, [rotated.value], 'rotation');
    expect(a11y).toEqual([]);
  }, 180_000);

  it('edits the shared value: written over the version shown, never echoed back', async () => {
    const { app, page } = await openDev();
    const drawer = await openDrawer(page, 'JWT_SECRET');
    await drawer.getByTestId('edit-shared-open').click();
    const input = drawer.getByTestId('edit-shared-input');
    expect(await input.getAttribute('type')).toBe('password');
    await input.fill(TYPED);
    await drawer.getByTestId('edit-shared-save').click();
    const saved = await visible(drawer.getByTestId('edit-shared-saved'), 30_000);
    expect(await saved.innerText()).toContain('version 2 (was 1)');
    expect(await parameter()).toEqual({ version: 2, value: TYPED });
    await until(page, async () => (await drawer.getByTestId('key-version').innerText()) === '2', 'the new version');
    expect(await drawer.getByTestId('key-history').locator('li').count()).toBe(2);

    expect(await input.inputValue()).toBe('');
    expectNoCanary(await everythingInPage(page), [TYPED, ...CANARIES], 'the DOM after saving');
    expectNothingLeaked(app, [TYPED, ...CANARIES], 'write');
  });

  it('a version conflict says who changed it and when, and writes nothing', async () => {
    const { page } = await openDev();
    const drawer = await openDrawer(page, 'JWT_SECRET');
    // A teammate writes after the drawer showed version 1.
    await e2e
      .ssm()
      .send(
        new PutParameterCommand({ Name: PARAM, Value: 'canary-e2e-teammate', Type: 'SecureString', Overwrite: true }),
      );
    await drawer.getByTestId('edit-shared-open').click();
    await drawer.getByTestId('edit-shared-input').fill(TYPED);
    await drawer.getByTestId('edit-shared-save').click();
    const error = await visible(drawer.getByTestId('error-panel'), 30_000);
    const text = await error.innerText();
    expect(text).toContain(`${PARAM} is at version 2, not 1`);
    // moto reports every writer as "N/A"; AWS gives the IAM identity's ARN.
    expect(text).toMatch(/changed by \S+ at \d{4}-\d\d-\d\dT/);
    expect(text).toContain('nothing was written');
    expect(await parameter()).toEqual({ version: 2, value: 'canary-e2e-teammate' });
    // The drawer now shows the version that is current.
    await until(page, async () => (await drawer.getByTestId('key-version').innerText()) === '2', 'the current version');
    expectNoCanary(await everythingInPage(page), [TYPED], 'the DOM after the refusal');
  });

  it('keys from other sources show what is known and no write actions', async () => {
    const { page } = await openDev();
    await page.getByTestId('key-details-LOG_LEVEL').click();
    const drawer = await visible(page.getByTestId('key-drawer'));
    await visible(drawer.getByTestId('key-not-shared'));
    expect(await drawer.getByTestId('rotate-now').count()).toBe(0);
    expect(await drawer.getByTestId('edit-shared-open').count()).toBe(0);
    await page.keyboard.press('Escape');
    await until(page, async () => (await page.getByTestId('key-drawer').count()) === 0, 'the drawer to close');
    // The focus went back to the row's Details button.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'key-details-LOG_LEVEL',
    );
  });
});

describe('the key drawer without ssm:PutParameter', () => {
  let auth: AuthMoto | undefined;
  let restore: (() => void) | undefined;
  afterEach(async () => {
    restore?.();
    await auth?.moto.stop();
  });

  it('names the path it may not write and what to ask for, and writes nothing', async () => {
    auth = await startAuthMoto();
    const writer = await auth.newUser('writer');
    const iam = new IAMClient({ endpoint: auth.moto.endpoint, region: 'us-east-1', credentials: auth.admin });
    // moto 5 checks SSM policies against "*" only (see test/integration/cli/chamber-denied.test.ts).
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'writer',
        PolicyName: 'deny-writes',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Action: 'ssm:PutParameter', Resource: '*' }],
        }),
      }),
    );
    iam.destroy();
    const admin = new SSMClient({ endpoint: auth.moto.endpoint, region: 'us-east-1', credentials: auth.admin });
    await seedChamberService(admin, 'api/dev', { 'jwt-secret': 'canary-e2e-denied-old' });
    restore = useAwsProfileEnv(auth.moto.endpoint, {
      AWS_ACCESS_KEY_ID: writer.accessKeyId,
      AWS_SECRET_ACCESS_KEY: writer.secretAccessKey,
      LATCHKEY_AWS_MAX_ATTEMPTS: '1',
    });

    const manifest = `version: 1
aws: { region: us-east-1 }
profiles:
  dev:
    target: .env
    sources:
      - chamber: api/dev
`;
    try {
      const { app, page } = await openDev(manifest, 1);
      const drawer = await openDrawer(page, 'JWT_SECRET');
      await drawer.getByTestId('edit-shared-open').click();
      await drawer.getByTestId('edit-shared-input').fill(TYPED);
      await drawer.getByTestId('edit-shared-save').click();
      const error = await visible(drawer.getByTestId('error-panel'), 30_000);
      const text = await error.innerText();
      expect(text).toContain(`AWS denied PutParameter on ${PARAM}: this identity may not write it`);
      expect(text).toContain('Ask for ssm:PutParameter and kms:Encrypt on its key on arn:aws:ssm:us-east-1:');
      expect(text).toContain(`:parameter${PARAM}`);
      expect(await parameter(admin)).toEqual({ version: 1, value: 'canary-e2e-denied-old' });
      expectNoCanary(await everythingInPage(page), [TYPED, 'canary-e2e-denied-old'], 'the DOM after the refusal');
      expectNothingLeaked(app, [TYPED, 'canary-e2e-denied-old'], 'denied write');
    } finally {
      admin.destroy();
    }
  });
});
