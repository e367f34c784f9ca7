import { appendFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startConnectServer, type ConnectServer } from '../support/connect-server';
import { axeViolations, describeFindings } from './harness/axe';
import { keysTable, openPlan, visible } from './harness/flows';
import { makeProjectDir, resetAndSeed } from './harness/project';
import { useE2eSuite } from './harness/suite';

// Issue 14, items 6 and 7: at 1024 px two AWS profiles both read "acme-…", a source "shared/d…", a login title was
// cut even at 1440, and a side panel squeezed the main pane to one word a line. Every name here is long and shares a
// long start with a sibling, so an identifier cut at its end is ambiguous at once.
const e2e = useE2eSuite();

const SERVICE_A = 'payments-platform/webhooks-primary';
const SERVICE_B = 'payments-platform/webhooks-secondary';
const KEY_A = 'provider_webhook_signing_secret_for_settlements';
const KEY_B = 'provider_webhook_signing_secret_for_chargebacks';
const PROFILE_A = 'payments-integration-eu-west-1';
const PROFILE_B = 'payments-integration-us-east-1';
const PROJECT = 'acme-payments-platform-settlement-service';
const AWS_A = 'acme-platform-engineering-sandbox-administrator';
const AWS_B = 'acme-platform-engineering-sandbox-readonly';
const LOGIN_A = 'Acme production payments database administrator (eu-west-1)';
const LOGIN_B = 'Acme production payments database administrator (us-east-1)';

const MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  ${PROFILE_A}:
    description: The payments integration against the European settlement stack, with both webhook services
    target: .env
    sources:
      - chamber: ${SERVICE_A}
      - chamber: ${SERVICE_B}
  ${PROFILE_B}:
    target: us.env
    sources:
      - chamber: ${SERVICE_B}
`;

const VIEWPORTS = [
  { width: 880, height: 560 },
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
];

/** The narrowest the main pane may get with a panel open and still show a keys table with names and statuses. */
const USABLE_MAIN_WIDTH = 480;

const TOKEN = 'e2e-identifiers-connect-token';
let connect: ConnectServer;
beforeAll(async () => {
  const login = (title: string) => ({
    title,
    category: 'LOGIN',
    urls: [{ href: 'https://db.acme.example/', primary: true }],
    fields: [{ label: 'username', value: 'dba@acme.example', purpose: 'USERNAME' as const, type: 'STRING' as const }],
  });
  connect = await startConnectServer({
    token: TOKEN,
    vaults: [{ name: 'Engineering', items: [login(LOGIN_A), login(LOGIN_B)] }],
  });
});
afterAll(async () => {
  await connect?.stop();
});

beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), {
    [SERVICE_A]: { [KEY_A]: 'canary-e2e-ident-a', [KEY_B]: 'canary-e2e-ident-b' },
    [SERVICE_B]: { [KEY_A]: 'canary-e2e-ident-c', [KEY_B]: 'canary-e2e-ident-d' },
  });
});

interface IdentifierReport {
  /** Identifiers cut with no tooltip holding the whole name. */
  clipped: string[];
  /** Identifiers whose visible text is the visible text of a sibling with another name. */
  ambiguous: string[];
  /** How many identifiers were looked at, so an empty report cannot come from an empty page. */
  checked: number;
}

/**
 * Runs in the page. For every visible element marked data-identifier: is it cut, by its own overflow or by a clipping
 * ancestor, and if so what does it still show? An identifier cut at its end by CSS shows the characters that fit; one
 * that MiddleText shortened shows its text without the screen-reader copy. Shortened is fine with the whole name in
 * the title and a visible text no sibling of its family shares.
 */
function inspectIdentifiers(): IdentifierReport {
  const report: IdentifierReport = { clipped: [], ambiguous: [], checked: 0 };
  const shown = new Map<string, Map<string, Set<string>>>();
  const clipsX = (el: Element) => {
    const o = getComputedStyle(el).overflowX;
    return o === 'hidden' || o === 'clip';
  };
  const ownText = (el: Element) => {
    let text = '';
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode())
      if (!n.parentElement?.closest('.sr-only')) text += n.textContent ?? '';
    return text.trim();
  };
  /** The start of the text that fits in `width` px of `el`, as a CSS end-ellipsis would leave it. */
  const fittingPrefix = (el: Element, right: number) => {
    const range = document.createRange();
    let text = '';
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement?.closest('.sr-only')) continue;
      const value = n.textContent ?? '';
      for (let i = 0; i < value.length; i++) {
        range.setStart(n, i);
        range.setEnd(n, i + 1);
        if (range.getBoundingClientRect().right > right) return `${text}…`;
        text += value[i];
      }
    }
    return text;
  };

  for (const el of document.querySelectorAll<HTMLElement>('[data-identifier]')) {
    if (!el.checkVisibility({ visibilityProperty: true }) || el.getClientRects().length === 0) continue;
    report.checked++;
    const family = el.dataset.identifier ?? '';
    const title = el.getAttribute('title');
    const full = title ?? ownText(el);
    let visibleText = ownText(el);
    const box = el.getBoundingClientRect();
    let cutAt: number | null = null;
    if (clipsX(el) && el.scrollWidth > el.clientWidth + 1) cutAt = box.left + el.clientWidth;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (!clipsX(a)) continue;
      const r = a.getBoundingClientRect();
      if (box.right > r.right + 1) cutAt = Math.min(cutAt ?? Infinity, r.right);
    }
    if (cutAt !== null) visibleText = fittingPrefix(el, cutAt);
    if (visibleText !== full && title !== full) {
      report.clipped.push(`${family}: "${full}" shows "${visibleText}" with no tooltip`);
      continue;
    }
    const byText = shown.get(family) ?? new Map<string, Set<string>>();
    shown.set(family, byText);
    const names = byText.get(visibleText) ?? new Set<string>();
    byText.set(visibleText, names.add(full));
  }
  for (const [family, byText] of shown)
    for (const [text, names] of byText)
      if (names.size > 1) report.ambiguous.push(`${family}: "${text}" stands for ${[...names].join(' and ')}`);
  return report;
}

async function expectIdentifiersIntact(page: Page, where: string, findings: string[]): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  // MiddleText fits itself after layout, and panels slide in: let both settle.
  await page.waitForTimeout(300);
  const report = await page.evaluate(inspectIdentifiers);
  expect(report.checked, `identifiers on ${where}`).toBeGreaterThan(0);
  expect(report.clipped, `identifiers cut on ${where}`).toEqual([]);
  expect(report.ambiguous, `identifiers that look alike on ${where}`).toEqual([]);
  findings.push(...describeFindings(where, await axeViolations(page)));
}

async function expectMainUsable(page: Page, where: string): Promise<void> {
  const width = await page.locator('.profile-main').evaluate((el) => el.getBoundingClientRect().width);
  expect(width, `the main pane's width with ${where} open`).toBeGreaterThanOrEqual(USABLE_MAIN_WIDTH);
}

describe('identifiers at every window size', () => {
  for (const viewport of VIEWPORTS) {
    it(`no identifier is cut to ambiguity at ${viewport.width}×${viewport.height}, on any screen`, async () => {
      appendFileSync(
        process.env.AWS_CONFIG_FILE!,
        `\n[profile ${AWS_A}]\nregion = eu-west-1\n\n[profile ${AWS_B}]\nregion = eu-west-1\n`,
      );
      const dir = makeProjectDir(MANIFEST, PROJECT);
      const app = await e2e.launch({ viewport });
      const { page } = app;
      const findings: string[] = [];
      await app.call('op.configure', { host: connect.url, token: TOKEN });
      await app.openFolder(dir);
      await app.open();
      const at = (screen: string) => `${screen} at ${viewport.width}×${viewport.height}`;

      await visible(page.getByRole('button', { name: `Open ${PROJECT}` }));
      await expectIdentifiersIntact(page, at('projects'), findings);

      await page.getByRole('button', { name: `Open ${PROJECT}` }).click();
      await keysTable(page, 2);
      await expectIdentifiersIntact(page, at('profile'), findings);

      await openPlan(page);
      await expectIdentifiersIntact(page, at('profile with the plan open'), findings);
      await expectMainUsable(page, 'the plan');
      await page.getByTestId('plan-panel').getByTestId('panel-close').click();

      await page.getByTestId('edit-profile').click();
      await visible(page.getByTestId('editor-panel'));
      await expectIdentifiersIntact(page, at('profile with the editor open'), findings);
      await expectMainUsable(page, 'the editor');
      await page.getByTestId('editor-panel').getByTestId('panel-close').click();

      await page.getByTestId('sidebar-aws').click();
      await (await visible(page.getByTestId(`aws-profile-${AWS_B}`))).click();
      await visible(page.getByTestId('aws-detail').getByRole('heading', { name: AWS_B }));
      await expectIdentifiersIntact(page, at('AWS'), findings);

      await page.getByTestId('sidebar-logins').click();
      await (await visible(page.getByTestId('logins-list').getByText(LOGIN_A))).click();
      await visible(page.getByTestId('login-detail').getByRole('heading', { name: LOGIN_A }));
      await expectIdentifiersIntact(page, at('Logins'), findings);

      // Services: the two services share a long start, and a search shows each key under both of them.
      await page.getByTestId('sidebar-services').click();
      const services = await visible(page.getByTestId('services-list'), 30_000);
      await page.getByTestId(`service-${SERVICE_A}`).click();
      await visible(page.getByTestId(`service-key-${SERVICE_A}/${KEY_A}`), 30_000);
      await expectIdentifiersIntact(page, at('Services'), findings);
      await page.getByTestId('services-search').fill('provider_webhook_*');
      await visible(page.getByTestId(`service-key-${SERVICE_B}/${KEY_B}`), 30_000);
      await expectIdentifiersIntact(page, at('Services, searching'), findings);
      // The keys' columns fit beside the services: none is pushed out of its pane or too narrow for its heading.
      const cutColumns = await page.getByTestId('services-keys').evaluate((grid) => {
        const right = grid.getBoundingClientRect().right;
        return [...grid.querySelectorAll('[role="columnheader"]')]
          .filter((h) => h.getBoundingClientRect().right > right + 1 || h.scrollWidth > h.clientWidth + 1)
          .map((h) => h.textContent);
      });
      expect(cutColumns, 'columns of the keys cut off').toEqual([]);
      for (const where of [services, page.getByTestId('services-keys')])
        expect(await where.locator('[data-identifier]').count(), 'names marked as identifiers').toBeGreaterThan(1);

      for (const screen of ['rotation', 'audit', 'settings'] as const) {
        await page.getByTestId(`sidebar-${screen}`).click();
        await visible(page.locator(`main[data-screen="${screen}"] h1`));
        await expectIdentifiersIntact(page, at(screen), findings);
      }
      expect(findings).toEqual([]);
    });
  }
});
