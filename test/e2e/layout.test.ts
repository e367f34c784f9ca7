import type { Locator, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { GITHUB, MANIFEST, SEED } from './harness/fixtures';
import { keysTable, openKnownProject, openPlan, until, visible } from './harness/flows';
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

  // Issue 14, item 7: at 1024 a panel beside the main pane squeezed it to a word a line.
  it('lays a panel over the main pane below 1200 px: focus in and kept in, Esc or the scrim closes it', async () => {
    const dir = makeProjectDir(MANIFEST);
    const app = await e2e.launch({ viewport: { width: 1024, height: 700 } });
    const { page } = app;
    const projectId = await app.openFolder(dir);
    await app.call('secrets.setPersonal', { projectId, name: 'GITHUB_TOKEN', value: GITHUB });
    await openKnownProject(app, dir, 'acme-api');
    await keysTable(page, 12);
    const mainWidth = await page.locator('.profile-main').evaluate((el) => el.getBoundingClientRect().width);

    const panel = await openPlan(page);
    expect(await panel.getAttribute('role')).toBe('dialog');
    expect(await panel.getAttribute('aria-modal')).toBe('true');
    // The main pane keeps its width under the panel.
    expect(await page.locator('.profile-main').evaluate((el) => el.getBoundingClientRect().width)).toBe(mainWidth);
    const inPanel = () => panel.evaluate((el) => el.contains(document.activeElement));
    expect(await inPanel()).toBe(true);
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      expect(await inPanel(), `Tab ${i + 1} leaves the panel`).toBe(true);
    }
    await page.keyboard.press('Shift+Tab');
    expect(await inPanel()).toBe(true);

    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('plan-button');

    await page.getByTestId('edit-profile').click();
    const editor = await visible(page.getByTestId('editor-panel'));
    await page.getByTestId('panel-scrim').click({ position: { x: 20, y: 20 } });
    await editor.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('edit-profile');
  });

  it('keeps a panel beside the main pane at 1440 px, not over it', async () => {
    const dir = makeProjectDir(MANIFEST);
    const app = await e2e.launch({ viewport: { width: 1440, height: 900 } });
    const { page } = app;
    const projectId = await app.openFolder(dir);
    await app.call('secrets.setPersonal', { projectId, name: 'GITHUB_TOKEN', value: GITHUB });
    await openKnownProject(app, dir, 'acme-api');
    await keysTable(page, 12);
    const panel = await openPlan(page);
    expect(await panel.getAttribute('role')).toBe('complementary');
    expect(await page.getByTestId('panel-scrim').count()).toBe(0);
    const main = await boxOf(page.locator('.profile-main'));
    expect(overlaps(main, await boxOf(panel))).toBe(false);

    // Esc closes it with the focus on the page too: the panel takes the focus only after the frame that shows it, and
    // the control that had the focus may have gone away. Two frames first, so no focus move is still pending.
    const onPage = await page.evaluate(async () => {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))));
      (document.activeElement as HTMLElement | null)?.blur();
      return document.activeElement === document.body;
    });
    expect(onPage).toBe(true);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  it('collapses the sidebar to named icons, by its button or Ctrl+\\, and remembers it', async () => {
    const dir = makeProjectDir(MANIFEST);
    const app = await e2e.launch({ viewport: { width: 880, height: 560 } });
    const { page } = app;
    await openKnownProject(app, dir, 'acme-api');
    const toggle = page.getByTestId('sidebar-toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const wide = (await boxOf(page.getByTestId('sidebar'))).width;

    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await until(page, async () => (await boxOf(page.getByTestId('sidebar'))).width < wide / 2, 'a narrow sidebar');
    // Icons only on screen; each keeps its name for screen readers and as its tooltip.
    const aws = page.getByRole('button', { name: 'AWS', exact: true });
    expect(await aws.getAttribute('title')).toBe('AWS');
    expect(await aws.locator('.nav-label').evaluate((el) => el.getBoundingClientRect().width)).toBeLessThanOrEqual(1);
    await aws.click();
    await visible(page.locator('main[data-screen="aws"] h1'));

    await page.reload();
    await visible(page.getByTestId('sidebar-toggle'));
    expect(await page.getByTestId('sidebar-toggle').getAttribute('aria-expanded')).toBe('false');
    // Pressed on the focused toggle (Playwright waits for it to take input): a key sent to the page at once after the
    // reload sometimes never reached it (a probe on window saw the Control down and not the backslash), in about one
    // run in six. The shortcut listens on window, so any focus inside the page takes it.
    await page.getByTestId('sidebar-toggle').press('Control+\\');
    expect(await page.getByTestId('sidebar-toggle').getAttribute('aria-expanded')).toBe('true');
  });
});
