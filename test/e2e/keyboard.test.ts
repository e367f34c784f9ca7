import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { readWithDotenv } from '../support/env-readers';
import { API_DEV, DEV_EXPECTED, GITHUB, MANIFEST, SEED } from './harness/fixtures';
import { axeViolations, describeFindings } from './harness/axe';
import { keysTable, until, visible } from './harness/flows';
import { makeProjectDir, resetAndSeed } from './harness/project';
import { useE2eSuite } from './harness/suite';

const e2e = useE2eSuite();

beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), SEED.chamber, SEED.parameters);
});

/** What has the focus: its test id, else its role and accessible label. */
function focused(page: Page): Promise<{ testId: string | null; label: string; outline: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const style = el ? getComputedStyle(el) : null;
    return {
      testId: el?.getAttribute('data-testid') ?? null,
      label: el?.getAttribute('aria-label') ?? el?.textContent?.trim().slice(0, 60) ?? '',
      outline: style ? `${style.outlineStyle} ${style.outlineWidth} | ${style.boxShadow}` : '',
    };
  });
}

/** Presses Tab until the element with `testId` has the focus; fails if it is not reachable within `max` stops. */
async function tabTo(page: Page, testId: string, max = 80): Promise<{ stops: number; outline: string }> {
  for (let stops = 1; stops <= max; stops++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now.testId === testId) return { stops, outline: now.outline };
  }
  throw new Error(`${testId} is not reachable with Tab within ${max} stops`);
}

describe('keyboard', () => {
  it('the main flow works from the keyboard alone: Ctrl+K palette, Tab and Enter, / to filter, Enter to reveal', async () => {
    const dir = makeProjectDir(MANIFEST);
    const app = await e2e.launch();
    const { page } = app;
    const projectId = await app.openFolder(dir);
    await app.call('secrets.setPersonal', { projectId, name: 'GITHUB_TOKEN', value: GITHUB });
    await app.open();
    await visible(page.getByRole('button', { name: 'Open acme-api' }));

    // Ctrl+K: the palette, focused on its input; jump to the project.
    await page.keyboard.press('Control+k');
    const palette = await visible(page.getByTestId('command-palette'));
    expect((await focused(page)).testId).toBe('palette-input');
    await page.keyboard.type('acme-api');
    await page.keyboard.press('Enter');
    await palette.waitFor({ state: 'detached' });
    await keysTable(page, 12);

    // Ctrl+K again: "Plan dev".
    await page.keyboard.press('Control+k');
    await visible(page.getByTestId('command-palette'));
    await page.keyboard.type('plan dev');
    await page.keyboard.press('Enter');
    const panel = await visible(page.getByTestId('plan-panel'));
    await until(page, async () => (await panel.getAttribute('aria-busy')) !== 'true', 'the plan', 30_000);
    await visible(panel.getByTestId('panel-sync'));

    // Tab to the panel's Sync now, with a visible focus ring, and press Enter.
    const reached = await tabTo(page, 'panel-sync');
    expect(reached.outline, 'a visible focus indicator on Sync now').not.toMatch(/^none 0px \| none$/);
    await page.keyboard.press('Enter');
    const summary = await visible(panel.getByTestId('result-summary'), 60_000);
    expect(await summary.getAttribute('data-wrote')).toBe('true');
    // Sync now is disabled by now: the outcome takes the focus, once it is on screen, so Tab and Esc stay in the panel.
    await until(page, () => summary.evaluate((el) => el === document.activeElement), 'the focus on the outcome');
    expect(readWithDotenv(readFileSync(path.join(dir, '.env'), 'utf8'))).toEqual(DEV_EXPECTED);

    // Close the panel from the keyboard (Sync now is disabled once the file matches, so Tab to the close button);
    // then / focuses the filter, ↓ enters the table, and Enter reveals the row's value.
    await tabTo(page, 'panel-close');
    await page.keyboard.press('Enter');
    await panel.waitFor({ state: 'detached' });
    await page.keyboard.press('/');
    expect((await focused(page)).testId).toBe('filter-input');
    await page.keyboard.type('JWT');
    await keysTable(page, 1);
    await page.keyboard.press('ArrowDown');
    expect((await focused(page)).testId).toBe('key-row-JWT_SECRET');
    await page.keyboard.press('Enter');
    const value = await visible(page.getByTestId('value-JWT_SECRET'));
    expect(await value.innerText()).toBe(API_DEV['jwt-secret']);
    await page.keyboard.press('Enter');
    await page.getByTestId('value-JWT_SECRET').waitFor({ state: 'detached' });

    // The sidebar is reachable too: Tab from the top of the page reaches Settings.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, 'sidebar-settings', 40);
    await page.keyboard.press('Enter');
    await visible(page.getByTestId('theme-choice'));
  });

  it('moves the focus into the page on navigation, and the palette with no results passes axe', async () => {
    const app = await e2e.launch();
    const { page } = app;
    await app.open();
    for (const [screen, heading] of [
      ['audit', 'Audit'],
      ['rotation', 'Rotation'],
      ['settings', 'Settings'],
      ['projects', 'Projects'],
    ] as const) {
      await page.getByTestId(`sidebar-${screen}`).click();
      await until(
        page,
        () =>
          page.evaluate(
            (h) => document.activeElement?.matches('h1') === true && document.activeElement.textContent === h,
            heading,
          ),
        `the focus on the ${heading} heading`,
      );
    }

    await page.keyboard.press('Control+k');
    await visible(page.getByTestId('command-palette'));
    await page.keyboard.type('zzz-nothing-is-called-this');
    await visible(page.getByRole('status').filter({ hasText: 'Nothing matches' }));
    expect(describeFindings('palette (no results)', await axeViolations(page))).toEqual([]);
  });
});
