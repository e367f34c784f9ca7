import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { unpackPlan, type PackedPlan } from '../../contract/plan-packing';
import { readWithDotenv } from '../support/env-readers';
import { motoEndpoint } from '../support/aws-env';
import { startFaultProxy } from '../support/fault-proxy';
import { seedChamberService } from '../support/ssm-seed';
import { axeBothThemes, axeViolations, describeFindings } from './harness/axe';
import { API_DEV, CANARIES, GITHUB, MANIFEST, SEED, SHARED_DEV, STRIPE } from './harness/fixtures';
import {
  everythingInPage,
  expectNoCanary,
  keysTable,
  openKnownProject,
  openPlan,
  syncFromPanel,
  until,
  visible,
} from './harness/flows';
import { makeProjectDir, resetAndSeed, useAwsProfileEnv } from './harness/project';
import { useE2eSuite } from './harness/suite';

// Issue 14, item 3: the plan panel reviews each change as GitHub Desktop does: its context (versions, who, when,
// lengths, keyed fingerprints), a timed side-by-side reveal, and a tick that leaves an unticked change out.

const e2e = useE2eSuite();

beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), SEED.chamber, SEED.parameters);
});

/** A synced acme-api project, the app launched on it. */
async function syncedProject() {
  const dir = makeProjectDir(MANIFEST);
  const app = await e2e.launch();
  const projectId = await app.openFolder(dir);
  await app.call('secrets.setPersonal', { projectId, name: 'GITHUB_TOKEN', value: GITHUB });
  await app.call('sync', { projectId, profile: 'dev' });
  return { dir, projectId, target: path.join(dir, '.env'), app, page: app.page };
}

const LOCAL_USER = 'canary_e2e_local_user';
const ROTATED_USER = 'canary_e2e_user_rotated';
const ROTATED_HOST = 'db.canary-e2e-rotated.internal';

describe('the review of a change', () => {
  it('shows versions, who, when, lengths and keyed fingerprints; Compare values shows both sides and hides itself', async () => {
    const { dir, target, app, page } = await syncedProject();
    await app.call('settings.set', { settings: { revealSeconds: 5 } });
    // A hand edit and a teammate's rotation of the same key (a conflict), and a rotation alone (an update).
    const synced = readFileSync(target, 'utf8');
    writeFileSync(target, synced.replace(`DB_USER=${SHARED_DEV.db_user}`, `DB_USER=${LOCAL_USER}`));
    await seedChamberService(e2e.ssm(), 'shared/dev', { db_user: ROTATED_USER, db_host: ROTATED_HOST });

    await openKnownProject(app, dir, 'acme-api');
    await keysTable(page, 12);
    const panel = await openPlan(page);
    await visible(panel.getByTestId('plan-entry-DB_USER'));
    const plan = await unpackPlan(
      app.exchanges
        .filter((x) => x.method === 'plan' && x.envelope.ok)
        .map((x) => (x.envelope as { value: { plan: PackedPlan } }).value.plan)
        .at(-1)!,
    );
    const entry = (name: string) => plan.entries.find((e) => e.name === name)!;
    expect(entry('DB_USER').status).toBe('conflict');
    expect(entry('DB_HOST').status).toBe('change');

    // The conflict: this file, the source and the last sync, each with its own fingerprint.
    const context = await visible(panel.getByTestId('change-context-DB_USER'));
    const local = context.getByTestId('change-DB_USER-local');
    const remote = context.getByTestId('change-DB_USER-remote');
    const lastSynced = context.getByTestId('change-DB_USER-synced');
    const field = (line: typeof local, name: string) => line.locator(`[data-field="${name}"]`).innerText();
    expect(await field(local, 'length')).toBe(`${LOCAL_USER.length} characters`);
    expect(await field(remote, 'length')).toBe(`${ROTATED_USER.length} characters`);
    const fingerprints = [
      await field(local, 'fingerprint'),
      await field(remote, 'fingerprint'),
      await field(lastSynced, 'fingerprint'),
    ];
    for (const f of fingerprints) expect(f).toMatch(/^[0-9a-f]{8}$/);
    expect(new Set(fingerprints).size).toBe(3);
    expect(fingerprints).toEqual([
      entry('DB_USER').context?.local?.fingerprint,
      entry('DB_USER').context?.remote?.fingerprint,
      entry('DB_USER').context?.synced?.fingerprint,
    ]);
    // SSM's version, the time of the change and, where SSM names one, who made it.
    const meta = entry('DB_USER').meta!;
    expect(meta.version).toBe('2');
    expect(await field(remote, 'version')).toContain('v2');
    expect(await field(lastSynced, 'version')).toContain('v1');
    expect(await remote.locator('time[data-field="when"]').getAttribute('datetime')).toBe(meta.modifiedAt);
    // moto records no user ("N/A"): a "by N/A" would tell the reader nothing, so none is shown.
    if (meta.modifiedBy && meta.modifiedBy !== 'N/A') expect(await field(remote, 'by')).toBe(`by ${meta.modifiedBy}`);
    else expect(await remote.locator('[data-field="by"]').count()).toBe(0);

    // The update: the file still holds what was synced, so those two fingerprints agree.
    const host = await visible(panel.getByTestId('change-context-DB_HOST'));
    expect(await field(host.getByTestId('change-DB_HOST-local'), 'fingerprint')).toBe(
      await field(host.getByTestId('change-DB_HOST-synced'), 'fingerprint'),
    );
    expect(await panel.getByTestId('change-DB_HOST-tick').isChecked()).toBe(true);

    expectNoCanary(await everythingInPage(page), CANARIES, 'the DOM (the review, nothing revealed)');
    const findings = await axeBothThemes(page, 'the plan panel reviewing a conflict and an update');

    // Compare values: both sides, side by side, for revealSeconds.
    await context.getByTestId('change-DB_USER-reveal').click();
    const compare = await visible(context.getByTestId('change-DB_USER-compare'));
    const revealedAt = Date.now();
    expect(await compare.getByTestId('change-DB_USER-local-value').innerText()).toBe(LOCAL_USER);
    expect(await compare.getByTestId('change-DB_USER-remote-value').innerText()).toBe(ROTATED_USER);
    findings.push(...describeFindings('the side-by-side reveal', await axeViolations(page)));
    await compare.waitFor({ state: 'detached', timeout: 10_000 });
    expect(Date.now() - revealedAt).toBeGreaterThan(3_500);
    expect(await page.content()).not.toContain(ROTATED_USER);
    expect(await page.content()).not.toContain(LOCAL_USER);
    await visible(context.getByTestId('change-DB_USER-reveal'));
    expect(findings).toEqual([]);

    // Audited as one reveal naming the key; the values crossed only in that one envelope.
    const { events } = await app.call('audit.tail', { limit: 50 });
    const reveals = events.filter((e) => e.action === 'reveal');
    expect(reveals).toHaveLength(1);
    expect(reveals[0]).toMatchObject({ outcome: 'ok', profile: 'dev', keys: ['DB_USER'] });
    expect(JSON.stringify(events)).not.toContain(ROTATED_USER);
    const carriers = app.exchanges.filter((x) => JSON.stringify(x.envelope).includes(ROTATED_USER));
    expect(carriers.map((x) => x.method)).toEqual(['secrets.revealChange']);
    expect(app.exchanges.filter((x) => x.method === 'secrets.revealChange').at(-1)?.envelope).toEqual({
      ok: true,
      value: { name: 'DB_USER', local: LOCAL_USER, remote: ROTATED_USER },
    });
    expectNoCanary(JSON.stringify(app.events), [...CANARIES, ROTATED_USER, LOCAL_USER], 'the events');
  });

  it('an unticked update and removal stay in the file as they are; the ticked add is written', async () => {
    const { dir, target, app, page } = await syncedProject();
    // The source moves one key and gains one; the manifest drops the legacy Stripe parameter.
    await seedChamberService(e2e.ssm(), 'shared/dev', { db_host: ROTATED_HOST });
    await seedChamberService(e2e.ssm(), 'api/dev', { feature_flag: 'canary-e2e-flag-on' });
    writeFileSync(
      path.join(dir, 'latchkey.yml'),
      MANIFEST.replace('      - ssm: /legacy/stripe_key\n        as: STRIPE_SECRET_KEY\n', ''),
    );
    const before = readFileSync(target, 'utf8');
    const lineOf = (text: string, name: string) => text.split('\n').find((l) => l.startsWith(`${name}=`));
    expect(lineOf(before, 'STRIPE_SECRET_KEY')).toBeDefined();

    await openKnownProject(app, dir, 'acme-api');
    await keysTable(page);
    const panel = await openPlan(page);
    const host = await visible(panel.getByTestId('plan-entry-DB_HOST'));
    const stripe = await visible(panel.getByTestId('plan-entry-STRIPE_SECRET_KEY'));
    const flag = await visible(panel.getByTestId('plan-entry-FEATURE_FLAG'));
    await host.getByTestId('change-DB_HOST-tick').uncheck();
    await stripe.getByTestId('change-STRIPE_SECRET_KEY-tick').uncheck();
    expect(await host.getAttribute('data-ticked')).toBe('false');
    expect(await stripe.getAttribute('data-ticked')).toBe('false');
    expect(await flag.getAttribute('data-ticked')).toBe('true');

    // Open in editor: the default app without an editor command; the user's command at the key's line with one.
    const hostLine = before.split('\n').findIndex((l) => l.startsWith('DB_HOST=')) + 1;
    await host.getByTestId('change-DB_HOST-open').click();
    await expect.poll(() => app.openedFiles).toEqual([target]);
    await app.call('settings.set', { settings: { editorCommand: 'code -g {file}:{line}' } });
    await host.getByTestId('change-DB_HOST-open').click();
    await expect.poll(() => app.launchedEditors).toEqual([{ command: 'code', args: ['-g', `${target}:${hostLine}`] }]);
    expect(app.openedFiles).toEqual([target]);
    expect(await page.getByTestId('panel-sync-reason').innerText()).toMatch(/^1 of 3 changes to write/);
    expect(await axeBothThemes(page, 'the plan panel with unticked changes')).toEqual([]);

    const outcome = await syncFromPanel(page);
    expect(await outcome.getAttribute('data-testid')).toBe('result-summary');
    const after = readFileSync(target, 'utf8');
    // Unticked: the lines are byte for byte what they were; ticked: the new key is there.
    expect(lineOf(after, 'DB_HOST')).toBe(lineOf(before, 'DB_HOST'));
    expect(lineOf(after, 'STRIPE_SECRET_KEY')).toBe(lineOf(before, 'STRIPE_SECRET_KEY'));
    const values = readWithDotenv(after);
    expect(values.DB_HOST).toBe(SHARED_DEV.db_host);
    expect(values.STRIPE_SECRET_KEY).toBe(STRIPE);
    expect(values.FEATURE_FLAG).toBe('canary-e2e-flag-on');
    expect(values.JWT_SECRET).toBe(API_DEV['jwt-secret']);

    // The next plan offers the two held-back changes again, ticked.
    await until(page, async () => (await panel.getAttribute('aria-busy')) !== 'true', 'the re-plan after the sync');
    await visible(panel.getByTestId('plan-entry-DB_HOST'));
    expect(await panel.getByTestId('change-DB_HOST-tick').isChecked()).toBe(true);
    expect(await panel.getByTestId('change-STRIPE_SECRET_KEY-tick').isChecked()).toBe(true);
    expect(await panel.getByTestId('plan-entry-FEATURE_FLAG').count()).toBe(0);
  });

  it('says who changed a key: "by alice" for her IAM user ARN, the ARN in full in the tooltip', async () => {
    // moto always answers LastModifiedUser "N/A": a proxy puts a real-looking ARN into its real answers.
    const ARN = 'arn:aws:iam::123456789012:user/alice';
    const proxy = await startFaultProxy({
      target: motoEndpoint(),
      rewriteBody: (_operation, body) =>
        Buffer.from(body.toString('utf8').replace(/"LastModifiedUser":\s*"N\/A"/g, `"LastModifiedUser": "${ARN}"`)),
    });
    const restore = useAwsProfileEnv(proxy.url);
    try {
      const { dir, app, page } = await syncedProject();
      await seedChamberService(e2e.ssm(), 'shared/dev', { db_host: ROTATED_HOST });
      await openKnownProject(app, dir, 'acme-api');
      await keysTable(page, 12);
      const panel = await openPlan(page);
      const remote = await visible(panel.getByTestId('change-DB_HOST-remote'));
      const by = remote.locator('[data-field="by"]');
      expect(await by.innerText()).toBe('by alice');
      expect(await by.getAttribute('title')).toBe(ARN);
      expect(proxy.stats().forwarded).toBeGreaterThan(0);
    } finally {
      restore();
      await proxy.stop();
    }
  });
});
