import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { motoEndpoint } from '../support/aws-env';
import { startFaultProxy } from '../support/fault-proxy';
import { GITHUB, MANIFEST, SEED } from './harness/fixtures';
import { openKnownProject, openPlan, visible } from './harness/flows';
import { makeProjectDir, resetAndSeed, useAwsProfileEnv } from './harness/project';
import { useE2eSuite } from './harness/suite';

const e2e = useE2eSuite();

beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), SEED.chamber, SEED.parameters);
});

describe('a failing source', () => {
  it('dropped connections in front of SSM: the plan names the offline sources, Sync refuses, nothing is written', async () => {
    const dir = makeProjectDir(MANIFEST);
    const target = path.join(dir, '.env');
    writeFileSync(target, 'KEEP=me\n', { mode: 0o600 });
    // Every connection to "AWS" is dropped before it answers; two attempts so the failure comes in seconds.
    const proxy = await startFaultProxy({ target: motoEndpoint(), dropRate: 1 });
    const restore = useAwsProfileEnv(proxy.url, { LATCHKEY_AWS_MAX_ATTEMPTS: '2' });
    try {
      const app = await e2e.launch();
      const { page } = app;
      const projectId = await app.openFolder(dir);
      await app.call('secrets.setPersonal', { projectId, name: 'GITHUB_TOKEN', value: GITHUB });
      await openKnownProject(app, dir, 'acme-api');

      // The plan stands with what could be read (set, keychain); the offline sources are named, with why
      // (issue 14, item 1), and a retry. This profile was never synced, so they have no last-known rows.
      const panel = await openPlan(page);
      const notice = await visible(panel.getByTestId('offline-notice'), 60_000);
      const text = await notice.innerText();
      expect(text).toMatch(/chamber|ssm/i); // names the source
      expect(text).toMatch(/api\/dev|shared\/dev|\/legacy\/stripe_key/); // and which one
      expect(text).toMatch(/nothing can be synced/i);
      expect(await notice.getByTestId('offline-retry').count()).toBe(1);
      expect(await panel.getByTestId('error-panel').count()).toBe(0);
      expect(proxy.stats().dropped).toBeGreaterThan(0);

      // Sync is disabled and says why; not even the shortcut sends a sync to main.
      expect(await panel.getByTestId('panel-sync').isDisabled()).toBe(true);
      expect(await panel.getByTestId('panel-sync-reason').innerText()).toMatch(/offline/);
      expect(await page.getByTestId('sync-button').isDisabled()).toBe(true);
      await page.keyboard.press('Control+s');
      await page.waitForTimeout(300);
      expect(app.exchanges.filter((x) => x.method === 'sync')).toEqual([]);
    } finally {
      restore();
      await proxy.stop();
    }
    expect(readFileSync(target, 'utf8')).toBe('KEEP=me\n');
    expect(readdirSync(dir).sort()).toEqual(['.env', 'latchkey.yml']);
    expect(existsSync(path.join(dir, '.env.tmp'))).toBe(false);
  });
});
