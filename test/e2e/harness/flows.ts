import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { E2eApp } from './app';

/** Waits until `locator` is visible (Playwright's own auto-wait, with a readable timeout). */
export async function visible(locator: Locator, timeout = 15_000): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout });
  return locator;
}

/** Polls the page until `predicate` holds, for conditions that are not one element. */
export async function until(
  page: Page,
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeout = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await page.waitForTimeout(50);
  }
}

/**
 * Registers `dir` as a recent project through the real router (as an earlier session would have), then opens the
 * app and clicks the project in the list. Lands on its first profile. Returns the project's id for direct calls.
 */
export async function openKnownProject(app: E2eApp, dir: string, name: string): Promise<string> {
  const projectId = await app.openFolder(dir);
  await app.open();
  await (await visible(app.page.getByRole('button', { name: `Open ${name}` }))).click();
  return projectId;
}

/** The profile view of `profile` is showing its keys table with `count` rows (or at least one when omitted). */
export async function keysTable(page: Page, count?: number): Promise<Locator> {
  const table = await visible(page.getByTestId('keys-table'), 30_000);
  if (count !== undefined)
    await until(
      page,
      async () => (await table.getAttribute('data-count')) === String(count),
      `${count} keys in the table`,
      30_000,
    );
  return table;
}

/** Opens the plan panel with the action bar's Plan button and waits for a finished plan. */
export async function openPlan(page: Page): Promise<Locator> {
  await page.getByTestId('plan-button').click();
  const panel = await visible(page.getByTestId('plan-panel'));
  await until(page, async () => (await panel.getAttribute('aria-busy')) !== 'true', 'the plan to finish', 30_000);
  return panel;
}

/** Presses the panel's Sync now and waits for the result (a summary or an error). */
export async function syncFromPanel(page: Page): Promise<Locator> {
  const panel = page.getByTestId('plan-panel');
  await panel.getByTestId('panel-sync').click();
  const outcome = panel.getByTestId('result-summary').or(panel.getByTestId('error-panel'));
  await visible(outcome.first(), 60_000);
  return outcome.first();
}

/** Every string the page shows or holds: the serialized DOM, the rendered text, and input values. */
export async function everythingInPage(page: Page): Promise<string> {
  const html = await page.content();
  const text = await page.evaluate(() => {
    const inputs = [...document.querySelectorAll('input, textarea, select')].map(
      (el) => (el as HTMLInputElement).value,
    );
    return [document.body.innerText, document.title, ...inputs].join('\n');
  });
  return `${html}\n${text}`;
}

export function expectNoCanary(haystack: string, canaries: string[], where: string): void {
  for (const canary of canaries)
    expect(haystack.includes(canary), `${where} contains the canary ${JSON.stringify(canary.slice(0, 12))}…`).toBe(
      false,
    );
}
