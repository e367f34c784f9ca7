import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { API_DEV, CANARIES, GITHUB, MANIFEST, SEED, SHARED_DEV } from './harness/fixtures';
import {
  everythingInPage,
  expectNoCanary,
  keysTable,
  openKnownProject,
  openPlan,
  syncFromPanel,
  visible,
} from './harness/flows';
import { makeProjectDir, resetAndSeed } from './harness/project';
import { useE2eSuite } from './harness/suite';

const e2e = useE2eSuite();

beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), SEED.chamber, SEED.parameters);
});

describe('canary leak check', () => {
  it('seeded values never reach the DOM or any IPC result, except the one secrets.reveal and secrets.revealChange', async () => {
    const dir = makeProjectDir(MANIFEST);
    const app = await e2e.launch();
    const { page } = app;
    const scan = async (where: string) => expectNoCanary(await everythingInPage(page), CANARIES, `the DOM (${where})`);

    await app.open();
    // The personal secret is typed into the app, as a user would: through the readiness checklist.
    await openKnownProject(app, dir, 'acme-api');
    const readiness = await visible(page.getByTestId('readiness'));
    await (await visible(readiness.getByTestId('personal-secret-GITHUB_TOKEN'))).fill(GITHUB);
    await readiness.getByTestId('personal-secret-save-GITHUB_TOKEN').click();
    await expect.poll(() => readiness.getByTestId('personal-secret-GITHUB_TOKEN').count(), { timeout: 15_000 }).toBe(0);
    await scan('after saving the personal secret');

    await keysTable(page, 12);
    await scan('profile with its keys');
    await openPlan(page);
    await scan('plan panel');
    const outcome = await syncFromPanel(page);
    expect(await outcome.getAttribute('data-wrote')).toBe('true');
    await scan('after the sync');

    // Hover every masked value: only its length may show, never the value.
    const table = page.getByTestId('keys-table');
    for (const name of ['JWT_SECRET', 'PRIVATE_KEY', 'GITHUB_TOKEN'])
      await table.getByTestId(`key-row-${name}`).hover();
    await scan('hovering masked values');

    // Filter by a fragment of a value: it must not match anything (values are not searchable).
    await page.getByTestId('filter-input').fill('canary');
    await visible(page.getByTestId('keys-no-match'));
    await page.getByTestId('filter-input').fill('');

    for (const screen of ['services', 'rotation', 'audit', 'settings'] as const) {
      await page.getByTestId(`sidebar-${screen}`).click();
      await page.waitForTimeout(300);
      await scan(`the ${screen} screen`);
    }
    await page.getByTestId('sidebar-projects').click();
    await page.getByRole('button', { name: 'Open acme-api' }).click();

    // One reveal, on purpose: its value crosses exactly once.
    const secret = API_DEV['jwt-secret']!;
    const row = (await keysTable(page, 12)).getByTestId('key-row-JWT_SECRET');
    await row.getByRole('button', { name: 'Reveal JWT_SECRET' }).click();
    await visible(row.getByTestId('value-JWT_SECRET'));
    await row.getByRole('button', { name: 'Hide JWT_SECRET' }).click();
    await row.getByTestId('value-JWT_SECRET').waitFor({ state: 'detached' });
    await scan('after hiding the revealed value');

    // One comparison, on purpose, in the plan's review of a hand edit: both sides cross exactly once.
    const localEdit = 'canary_e2e_hand_edit_c0ffee';
    const target = path.join(dir, '.env');
    writeFileSync(
      target,
      readFileSync(target, 'utf8').replace(`DB_USER=${SHARED_DEV.db_user}`, `DB_USER=${localEdit}`),
    );
    const review = await openPlan(page);
    await review.getByTestId('panel-replan').click();
    const context = await visible(review.getByTestId('change-context-DB_USER'));
    await scan('the review of a hand edit');
    await context.getByTestId('change-DB_USER-reveal').click();
    await visible(context.getByTestId('change-DB_USER-compare'));
    await context.getByTestId('change-DB_USER-hide').click();
    await context.getByTestId('change-DB_USER-compare').waitFor({ state: 'detached' });
    await scan('after hiding the compared values');
    expect(await page.content()).not.toContain(localEdit);

    // Every envelope that crossed the bridge, and every event.
    expect(app.exchanges.length).toBeGreaterThan(10);
    const methods = new Set(app.exchanges.map((x) => x.method));
    for (const m of [
      'projects.list',
      'projects.open',
      'manifest.read',
      'readiness',
      'plan',
      'sync',
      'audit.tail',
      'settings.get',
      'secrets.setPersonal',
    ]) {
      expect(methods, `the flow called ${m}`).toContain(m);
    }
    for (const x of app.exchanges) {
      const json = JSON.stringify(x.envelope);
      if (x.method === 'secrets.reveal') {
        expect(x.envelope).toMatchObject({ ok: true, value: { name: 'JWT_SECRET', value: secret } });
        expectNoCanary(
          json,
          CANARIES.filter((c) => c !== secret),
          `the ${x.method} result`,
        );
      } else if (x.method === 'secrets.revealChange') {
        // Exactly the two sides of the one key compared, and nothing else.
        expect(x.envelope).toEqual({
          ok: true,
          value: { name: 'DB_USER', local: localEdit, remote: SHARED_DEV.db_user },
        });
        expectNoCanary(
          json,
          CANARIES.filter((c) => c !== SHARED_DEV.db_user),
          `the ${x.method} result`,
        );
      } else {
        expectNoCanary(json, [...CANARIES, localEdit], `the ${x.method} result`);
      }
    }
    expect(app.exchanges.filter((x) => x.method === 'secrets.reveal')).toHaveLength(1);
    expect(app.exchanges.filter((x) => x.method === 'secrets.revealChange')).toHaveLength(1);
    expectNoCanary(JSON.stringify(app.events), [...CANARIES, localEdit], 'the events');
  });
});
