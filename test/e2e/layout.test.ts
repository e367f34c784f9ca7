import type { Locator, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { GITHUB, MANIFEST, SEED } from './harness/fixtures';
import { keysTable, openKnownProject, visible } from './harness/flows';
import { makeProjectDir, resetAndSeed } from './harness/project';
import { useE2eSuite } from './harness/suite';

const e2e = useE2eSuite();

beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), SEED.chamber, SEED.parameters);
});

type Box = { x: number; y: number; width: number; height: number };

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${String(locator)} has no box: it is not rendered`);
  return box;
}

/** Every toast on screen, checked against every action named: none may lie over another. */
async function expectToastsClearOf(page: Page, actions: string[]): Promise<void> {
  const toasts = page.locator('.toast, .copy-toast');
  await visible(toasts.first());
  for (const toast of await toasts.all()) {
    const over = await boxOf(toast);
    for (const testId of actions) {
      const action = await boxOf(page.getByTestId(testId));
      expect(overlaps(over, action), `a toast covers ${testId}`).toBe(false);
    }
  }
}

describe('layout', () => {
  // Issue 14, item 10: a toast stayed over Plan and Sync for 4 s at 1024 px.
  for (const viewport of [
    { width: 1024, height: 700 },
    { width: 1440, height: 900 },
  ]) {
    it(`toasts never cover the profile's primary actions at ${viewport.width}×${viewport.height}`, async () => {
      const dir = makeProjectDir(MANIFEST);
      const app = await e2e.launch({ viewport });
      const { page } = app;
      const projectId = await app.openFolder(dir);
      await app.call('secrets.setPersonal', { projectId, name: 'GITHUB_TOKEN', value: GITHUB });
      await openKnownProject(app, dir, 'acme-api');
      await keysTable(page, 12);

      // Copy exec command answers with a toast (copied, or the clipboard refused): either way one appears.
      await page.getByTestId('copy-exec').click();
      await expectToastsClearOf(page, ['plan-button', 'sync-button', 'copy-exec']);
    });
  }
});
