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
  it('dropped connections in front of SSM: the error names the source and says what to do, and nothing is written', async () => {
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

      const panel = await openPlan(page);
      const error = await visible(panel.getByTestId('error-panel'), 60_000);
      expect(await error.getAttribute('data-code')).toBe('SOURCE_FAILED');
      const text = await error.innerText();
      expect(text).toMatch(/chamber|ssm/i); // names the source
      expect(text).toMatch(/api\/dev|shared\/dev|\/legacy\/stripe_key/); // and which one
      expect(text).toMatch(/nothing was written/i);
      expect(await error.getByTestId('error-retry').count()).toBe(1);
      expect(proxy.stats().dropped).toBeGreaterThan(0);

      // The sync button goes through the same resolve and fails the same way, writing nothing.
      await page.getByTestId('sync-button').click();
      await expect
        .poll(() => app.exchanges.filter((x) => x.method === 'sync').length, { timeout: 60_000 })
        .toBeGreaterThan(0);
      const sync = app.exchanges.filter((x) => x.method === 'sync').at(-1)!;
      expect(sync.envelope).toMatchObject({ ok: false, error: { code: 'SOURCE_FAILED' } });
      await visible(panel.getByTestId('error-panel'));
    } finally {
      restore();
      await proxy.stop();
    }
    expect(readFileSync(target, 'utf8')).toBe('KEEP=me\n');
    expect(readdirSync(dir).sort()).toEqual(['.env', 'latchkey.yml']);
    expect(existsSync(path.join(dir, '.env.tmp'))).toBe(false);
  });
});
