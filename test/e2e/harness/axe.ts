import axeCore from 'axe-core';
import type { Page } from 'playwright-core';
import { until } from './flows';

/** axe-core's browser build as a string: the page evaluates it, since the app's CSP allows no script tag. */
const AXE_SOURCE = axeCore.source;

/**
 * The rule sets a check runs: WCAG 2.1 A and AA, and axe's best practices (headings, landmarks, label-in-name),
 * which is where the findings that matter for a desktop app's keyboard and screen-reader users live.
 */
const RULE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  /** CSS selectors of up to five offending nodes, enough to find them in the code. */
  nodes: string[];
}

/** Runs axe-core over the whole document as it is now and returns its violations (none is the goal). */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    type AxeResult = {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
    };
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<AxeResult> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.map(String).join(' ')),
    }));
  }, RULE_TAGS);
}

/** One line per finding, for an assertion message a reader can act on. */
export function describeFindings(where: string, findings: AxeFinding[]): string[] {
  return findings.map((f) => `${where}: ${f.rule} (${f.impact}) ${f.help} at ${f.nodes.join(', ')}`);
}

/** axe-core over the page as it is, in the light and then the dark theme; the page is left light. */
export async function axeBothThemes(page: Page, where: string): Promise<string[]> {
  const findings: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await until(
      page,
      async () => (await page.evaluate(() => document.documentElement.dataset.theme)) === colorScheme,
      `the ${colorScheme} theme`,
    );
    findings.push(...describeFindings(`${where} (${colorScheme})`, await axeViolations(page)));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return findings;
}
