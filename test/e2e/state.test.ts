import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeytarKeychain } from '../../main/adapters/keytar-keychain';
import { sessionAccount, vaultAccount } from '../../main/aws/profiles';
import { seedChamberService } from '../support/ssm-seed';
import { applyEnv } from '../support/aws-env';
import type { EventPayload, ProfileState } from '../../contract/ipc';
import { axeBothThemes, axeViolations } from './harness/axe';
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
import type { E2eApp } from './harness/app';
import { makeProjectDir } from './harness/project';
import { useE2eSuite } from './harness/suite';

// The one state model (issue 14) end to end: an MFA session started from the readiness checklist, and the
// checklist, the status bar and the AWS screen agreeing on it without a reload, whoever changed it; a failed login
// changing none of them; and keys in plain text, where the checklist offers Import in place and ends in a session.
// The suite's moto has auth off (any key, any MFA code); the AWS files are a throwaway pair for each test.
const PROFILE = `e2e-state-${randomBytes(3).toString('hex')}`;
const MFA = 'arn:aws:iam::123456789012:mfa/e2e-state';
const SERVICE = `state-${randomBytes(3).toString('hex')}`;
const MANIFEST = `version: 1
aws: { profile: ${PROFILE}, region: us-east-1 }
profiles:
  dev:
    target: .env
    sources:
      - chamber: ${SERVICE}
`;

const e2e = useE2eSuite();
const keychain = createKeytarKeychain();

interface Files {
  home: string;
  credentials: string;
  accessKeyId: string;
  secret: string;
  undoEnv: () => void;
}
let f: Files;

beforeEach(async () => {
  const home = mkdtempSync(path.join(tmpdir(), 'latchkey-e2e-state-'));
  mkdirSync(path.join(home, '.aws'), { mode: 0o700 });
  const config = path.join(home, '.aws', 'config');
  const credentials = path.join(home, '.aws', 'credentials');
  writeFileSync(config, `[profile ${PROFILE}]\nregion = us-east-1\nmfa_serial = ${MFA}\n`);
  writeFileSync(credentials, '# my keys\n', { mode: 0o600 });
  const accessKeyId = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const secret = `e2eStateCanary${randomBytes(12).toString('hex')}`;
  const undoEnv = applyEnv({ AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials });
  f = { home, credentials, accessKeyId, secret, undoEnv };
  await seedChamberService(e2e.ssm(), SERVICE, { log_level: 'debug' });
});

afterEach(async () => {
  await keychain.delete(vaultAccount(PROFILE));
  await keychain.delete(sessionAccount(PROFILE));
  f.undoEnv();
  rmSync(f.home, { recursive: true, force: true });
});

const checklistItem = (page: Page) => page.getByTestId('readiness-aws-sessions');
const statusBar = (page: Page) => page.getByTestId('status-aws-session');

/**
 * The checklist's and the status bar's view of the session, read from the page as it is. An all-green checklist
 * folds to "Ready to sync", which is its way of saying the session item is ok.
 */
async function views(page: Page): Promise<{ checklist: string | null; statusBar: string | null }> {
  const item = checklistItem(page);
  // The item may fold away between the count and the read (the checklist turning green): then ask again.
  const checklist = (await item.count())
    ? await item.getAttribute('data-state', { timeout: 1_000 }).catch(() => null)
    : (await page.getByTestId('readiness').innerText()).includes('Ready to sync')
      ? 'ok'
      : null;
  return { checklist, statusBar: await statusBar(page).getAttribute('data-phase') };
}

async function enterCode(page: Page): Promise<void> {
  const code = await visible(page.getByTestId('aws-mfa-code'));
  await code.pressSequentially('123456');
  await code.press('Enter');
}

async function expectNoAxeFindings(page: Page, where: string): Promise<void> {
  expect(await axeViolations(page), where).toEqual([]);
}

describe('one state model', () => {
  it('a session started from the checklist shows in the checklist, the status bar and the AWS screen; a failed login changes none', async () => {
    await keychain.set(
      vaultAccount(PROFILE),
      JSON.stringify({ accessKeyId: f.accessKeyId, secretAccessKey: f.secret }),
    );
    const dir = makeProjectDir(MANIFEST);
    const app = await e2e.launch();
    const { page } = app;
    await openKnownProject(app, dir, 'acme-api');
    await visible(checklistItem(page));
    await expect.poll(() => views(page)).toEqual({ checklist: 'missing', statusBar: 'none' });

    // A login that fails (STS unreachable): the code was asked for and sent, the error is shown, nothing changes.
    const undoDeadSts = applyEnv({ AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9' });
    try {
      await page.getByTestId('readiness-action-aws-sessions').click();
      await enterCode(page);
      await visible(checklistItem(page).getByRole('alert'), 60_000);
    } finally {
      undoDeadSts();
    }
    expect(await views(page)).toEqual({ checklist: 'missing', statusBar: 'none' });
    const listed = await app.call('aws.list', {});
    expect(listed.profiles.find((p) => p.name === PROFILE)?.session.active).toBe(false);
    expect(await keychain.get(sessionAccount(PROFILE))).toBeNull();
    await expectNoAxeFindings(page, 'the checklist after a failed login');

    // Again, with STS there: the session starts, and all three say so without a reload.
    await page.getByTestId('readiness-action-aws-sessions').click();
    await enterCode(page);
    await until(page, async () => (await views(page)).checklist === 'ok', 'the checklist to show the session');
    await expect.poll(() => statusBar(page).getAttribute('data-phase')).toBe('active');
    expect(await statusBar(page).innerText()).toContain(PROFILE);
    await expectNoAxeFindings(page, 'the checklist with a session');
    await statusBar(page).click();
    const row = await visible(page.getByTestId(`aws-profile-${PROFILE}`));
    await expect.poll(() => page.getByTestId('aws-countdown').getAttribute('data-phase')).toBe('active');
    expect(await row.innerText()).toContain(PROFILE);

    // Another process ends it (as `latchkey aws logout` does: the cached session, then the file): main sees the
    // files change and pushes the state; the AWS screen and the status bar follow, with no call from this window.
    const callsBefore = app.exchanges.length;
    await keychain.delete(sessionAccount(PROFILE));
    writeFileSync(f.credentials, '# my keys\n', { mode: 0o600 });
    await expect
      .poll(() => page.getByTestId('aws-countdown').getAttribute('data-phase'), { timeout: 10_000 })
      .toBe('none');
    await expect.poll(() => statusBar(page).getAttribute('data-phase')).toBe('none');
    expect(app.exchanges.slice(callsBefore).map((x) => x.method)).not.toContain('aws.logout');

    const canaries = [f.secret];
    expectNoCanary(await everythingInPage(page), canaries, 'the page');
    expectNoCanary(JSON.stringify(app.exchanges), canaries, 'the envelopes');
    expectNoCanary(JSON.stringify(app.events), canaries, 'the events');
    expect(app.events.some((e) => e.event === 'state.changed')).toBe(true);
  });

  it.each(['light', 'dark'] as const)(
    'keys in plain text (%s): the checklist offers Import in place, which ends in an active session',
    async (colorScheme) => {
      writeFileSync(
        f.credentials,
        `# my keys\n[${PROFILE}]\naws_access_key_id = ${f.accessKeyId}\naws_secret_access_key = ${f.secret}\n`,
        { mode: 0o600 },
      );
      const dir = makeProjectDir(MANIFEST);
      const app = await e2e.launch({ colorScheme });
      const { page } = app;
      await openKnownProject(app, dir, 'acme-api');
      await visible(checklistItem(page));
      await expect.poll(() => views(page)).toEqual({ checklist: 'missing', statusBar: 'none' });

      // The session cannot be written over the long-lived keys: refused before any code is spent, no session
      // claimed anywhere, and the fix offered in place, not as a command.
      await page.getByTestId('readiness-action-aws-sessions').click();
      const importInPlace = await visible(page.getByTestId('error-action-import-in-place'));
      const alert = await checklistItem(page).getByRole('alert').innerText();
      expect(alert).not.toMatch(/latchkey aws|`/);
      expect(await views(page)).toEqual({ checklist: 'missing', statusBar: 'none' });
      const listed = await app.call('aws.list', {});
      expect(listed.profiles.find((p) => p.name === PROFILE)?.session.active).toBe(false);
      expect(await keychain.get(sessionAccount(PROFILE))).toBeNull();
      await expectNoAxeFindings(page, 'Import in place offered');

      // Import in place: the keys move into the keychain, then the login goes on and asks for the code.
      await importInPlace.click();
      await enterCode(page);
      await until(page, async () => (await views(page)).checklist === 'ok', 'the checklist to show the session');
      await expect.poll(() => statusBar(page).getAttribute('data-phase')).toBe('active');
      const text = readFileSync(f.credentials, 'utf8');
      expect(text).not.toContain(f.secret);
      expect(text).toContain('x_latchkey_managed = true');
      expect(JSON.parse((await keychain.get(vaultAccount(PROFILE)))!)).toEqual({
        accessKeyId: f.accessKeyId,
        secretAccessKey: f.secret,
      });
      await expectNoAxeFindings(page, 'after Import in place');
      await statusBar(page).click();
      await expect.poll(() => page.getByTestId('aws-countdown').getAttribute('data-phase')).toBe('active');
      await expect
        .poll(() => page.getByTestId(`aws-profile-${PROFILE}`).getAttribute('data-kind'))
        .toBe('keychain-keys');

      expectNoCanary(await everythingInPage(page), [f.secret], 'the page');
      expectNoCanary(JSON.stringify(app.exchanges), [f.secret], 'the envelopes');
      expectNoCanary(JSON.stringify(app.events), [f.secret], 'the events');
      const audit = (await app.call('audit.tail', { limit: 20 })).events.map((e) => [e.action, e.profile, e.outcome]);
      expect(audit).toEqual([
        ['session.start', PROFILE, 'error'],
        ['key.import', PROFILE, 'ok'],
        ['session.start', PROFILE, 'ok'],
      ]);
    },
  );

  it('plans and syncs are pushed: the sidebar, the profile tab, the status bar and the checklist agree; a newer plan ends the sync result; a failed sync changes nothing', async () => {
    // Long-lived keys in the file: enough for SSM (moto, auth off); the MFA session stays missing on the checklist.
    writeFileSync(
      f.credentials,
      `[${PROFILE}]\naws_access_key_id = ${f.accessKeyId}\naws_secret_access_key = ${f.secret}\n`,
      { mode: 0o600 },
    );
    const apiKey = `stateApiCanary${randomBytes(8).toString('hex')}`;
    await seedChamberService(e2e.ssm(), SERVICE, { api_key: apiKey });
    const dir = makeProjectDir(MANIFEST);
    const app = await e2e.launch();
    const { page } = app;
    await openKnownProject(app, dir, 'acme-api');
    await keysTable(page, 2);

    // First plan (the profile opens with one): nothing on disk yet, two keys to add.
    await agree(app, dir, '2 changes');
    const first = pushedDev(app, dir)!;
    expect(first.plan).toMatchObject({ cached: false, inSync: false, counts: { add: 2 } });
    expect(first.readiness?.find((i) => i.id === 'aws-sessions')?.state).toBe('missing');
    // The checklist shows main's pushed items: every one that needs attention, in the state main derived.
    for (const item of first.readiness!.filter((i) => i.state === 'missing' || i.state === 'error'))
      expect(await page.getByTestId(`readiness-${item.id}`).getAttribute('data-state')).toBe(item.state);
    expect(await axeBothThemes(page, 'a planned profile in the sidebar and status bar')).toEqual([]);

    // Sync: the result is pushed, and stands over the plan after it, which is in sync.
    const panel = await openPlan(page);
    expect(await (await syncFromPanel(page)).getAttribute('data-testid')).toBe('result-summary');
    await agree(app, dir, 'In sync');
    expect(pushedDev(app, dir)?.lastSync).toMatchObject({ wrote: true, heldBack: 0 });
    await visible(page.getByTestId('status-last-sync'));
    expect(await page.getByTestId('status-last-sync').innerText()).toMatch(/wrote/);
    expect(await axeBothThemes(page, 'a synced profile')).toEqual([]);

    // A teammate rotates a key; the next plan finds it: "wrote" no longer stands above the newer finding.
    await seedChamberService(e2e.ssm(), SERVICE, { api_key: `${apiKey}-rotated` });
    await page.getByTestId('plan-button').click();
    await agree(app, dir, '1 change');
    expect(pushedDev(app, dir)?.lastSync).toBeUndefined();
    await expect.poll(() => page.getByTestId('status-last-sync').count()).toBe(0);
    await expect.poll(() => panel.getByTestId('result-summary').count()).toBe(0);

    // A sync that fails (the target is no longer a file): the error shows, and the pushed state, the sidebar and the
    // status bar stay as they were. (SSM going down would not fail it: a sync from the plan just made writes that
    // plan's values without asking SSM again, main/app/plan-handover.ts.)
    const pushesBefore = app.events.filter((e) => e.event === 'state.changed').length;
    const before = pushedDev(app, dir);
    const target = path.join(dir, '.env');
    renameSync(target, `${target}.aside`);
    mkdirSync(target);
    try {
      expect(await (await syncFromPanel(page)).getAttribute('data-testid')).toBe('error-panel');
    } finally {
      rmdirSync(target);
      renameSync(`${target}.aside`, target);
    }
    expect(pushedDev(app, dir)).toEqual(before);
    expect(
      app.events
        .filter((e) => e.event === 'state.changed')
        .slice(pushesBefore)
        .map((e) => e.payload),
    ).toEqual([]);
    await agree(app, dir, '1 change');
    await expectNoAxeFindings(page, 'after a failed sync');

    const canaries = [apiKey, f.secret];
    expectNoCanary(JSON.stringify(app.events.filter((e) => e.event === 'state.changed')), canaries, 'the pushes');
    expectNoCanary(await page.getByTestId('sidebar').innerText(), canaries, 'the sidebar');
  });
});

/** The last pushed state of the project's dev profile. */
function pushedDev(app: E2eApp, dir: string): ProfileState | undefined {
  const last = app.events.filter((e) => e.event === 'state.changed').at(-1)?.payload as
    EventPayload<'state.changed'> | undefined;
  return last?.profiles.find((p) => p.dir === dir && p.profile === 'dev');
}

/** The sidebar's badge, the profile's tab and the status bar say `text`, the same line, from the push. */
async function agree(app: E2eApp, dir: string, text: string): Promise<void> {
  const { page } = app;
  const said = (testId: string) =>
    page
      .getByTestId(testId)
      .innerText()
      .catch(() => '');
  await until(
    page,
    async () =>
      (await said('sidebar-profile-state-dev')).includes(text) &&
      (await said('profile-tab-state-dev')).includes(text) &&
      (await said('status-plan-summary')) === text,
    `the sidebar, the profile tab and the status bar to say "${text}"`,
    30_000,
  );
  expect(pushedDev(app, dir)?.plan).toBeDefined();
}
