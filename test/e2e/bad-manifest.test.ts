import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { axeViolations, describeFindings } from './harness/axe';
import { GITHUB, MANIFEST, SEED } from './harness/fixtures';
import { keysTable, openKnownProject, until, visible } from './harness/flows';
import { makeProjectDir, resetAndSeed } from './harness/project';
import { useE2eSuite } from './harness/suite';

const e2e = useE2eSuite();

beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), SEED.chamber, SEED.parameters);
});

/** MANIFEST with the description of `dev` (line 7) opened by a quote that never closes. */
const UNTERMINATED = MANIFEST.replace(
  'description: Local development against the shared dev stack',
  'description: "Local development against the shared dev stack',
);
const QUOTE_LINE = UNTERMINATED.split('\n').findIndex((l) => l.includes('description: "Local')) + 1;
const QUOTE_COL = UNTERMINATED.split('\n')[QUOTE_LINE - 1]!.indexOf('"') + 1;

/** The character the excerpt's caret points at, in the problem's line as shown (gutter included). */
async function caretTarget(error: Locator): Promise<string> {
  const shown = await error.locator('.excerpt-line.is-problem').first().innerText();
  const [code, caretRow] = shown.split('\n') as [string, string];
  return code.charAt(caretRow.indexOf('^'));
}

describe('a bad manifest', () => {
  it('is shown with its line and column, what was expected, and is never rewritten', async () => {
    // Line 14 gets a second kind key in one source entry.
    const broken = MANIFEST.replace(
      '      - ssm: /legacy/stripe_key\n',
      '      - ssm: /legacy/stripe_key\n        chamber: oops\n',
    );
    const dir = makeProjectDir(broken);
    const app = await e2e.launch();
    const { page } = app;
    await openKnownProject(app, dir, 'acme-api');

    const error = await visible(page.getByTestId('error-panel'));
    expect(await error.getAttribute('data-code')).toBe('MANIFEST_INVALID');
    const problems = await visible(error.getByTestId('manifest-problems'));
    const text = await problems.innerText();
    const lineOfEntry = broken.split('\n').findIndex((l) => l.includes('- ssm: /legacy/stripe_key')) + 1;
    expect(text).toMatch(new RegExp(`line ${lineOfEntry}:\\d+`));
    expect(text).toMatch(/profiles\.dev\.sources\[2\]/);
    expect(text).toMatch(/exactly one/);

    // The same problems crossed the bridge with their positions.
    const read = app.exchanges.find((x) => x.method === 'manifest.read');
    expect(read?.envelope).toMatchObject({ ok: false, error: { code: 'MANIFEST_INVALID' } });
    const envelope = read!.envelope as { ok: false; error: { problems?: { line: number; col: number }[] } };
    expect(envelope.error.problems?.[0]).toMatchObject({ line: lineOfEntry });
    expect(envelope.error.problems?.[0]?.col).toBeGreaterThan(0);

    expect(readFileSync(path.join(dir, 'latchkey.yml'), 'utf8')).toBe(broken);
  });

  it('shows a YAML syntax error with its position', async () => {
    const dir = makeProjectDir(
      'version: 1\nprofiles:\n  dev:\n    target: .env\n    sources: [ { chamber: api/dev }\n',
    );
    const app = await e2e.launch();
    await openKnownProject(app, dir, 'acme-api');
    const error = await visible(app.page.getByTestId('error-panel'));
    expect(await error.getAttribute('data-code')).toBe('MANIFEST_INVALID');
    expect(await error.getByTestId('manifest-problems').innerText()).toMatch(/line \d+:\d+/);
  });

  // Issue 14, item 11: an unterminated quote opened on line 5 was reported at 23:1, with no excerpt and no way to the file.
  it('points at the quote that never closed, in an excerpt with a caret, and opens the file in the editor', async () => {
    const dir = makeProjectDir(UNTERMINATED);
    const app = await e2e.launch();
    const { page } = app;
    await openKnownProject(app, dir, 'acme-api');

    const error = await visible(page.getByTestId('error-panel'));
    expect(await error.getByTestId('manifest-problems').innerText()).toContain(`line ${QUOTE_LINE}:${QUOTE_COL}`);
    const excerpt = await visible(error.getByTestId('problem-excerpt'));
    expect(await excerpt.innerText()).toContain('description: "Local development');
    expect(await caretTarget(error)).toBe('"');
    expect(await error.innerText()).not.toMatch(/`|latchkey [a-z]/);

    await error.getByTestId('error-action-open-manifest').click();
    await until(page, () => app.openedFiles.length > 0, 'latchkey.yml to be opened');
    expect(app.openedFiles).toEqual([path.join(dir, 'latchkey.yml')]);
    expect(describeFindings('the manifest error', await axeViolations(page))).toEqual([]);
  });

  it('keeps the last good view under an error banner when the file breaks while it is open', async () => {
    const dir = makeProjectDir(MANIFEST);
    const app = await e2e.launch();
    const { page } = app;
    const projectId = await app.openFolder(dir);
    await app.call('secrets.setPersonal', { projectId, name: 'GITHUB_TOKEN', value: GITHUB });
    await openKnownProject(app, dir, 'acme-api');
    await keysTable(page, 12);

    writeFileSync(path.join(dir, 'latchkey.yml'), UNTERMINATED);
    const banner = await visible(page.getByTestId('manifest-banner'));
    expect(await banner.innerText()).toContain(`line ${QUOTE_LINE}:${QUOTE_COL}`);
    expect(await caretTarget(banner)).toBe('"');
    // The profile is still there: its tabs, its keys.
    await visible(page.getByTestId('profile-tab-dev'));
    await visible(page.getByTestId('keys-table'));
    await visible(banner.getByTestId('error-action-open-manifest'));
    expect(describeFindings('the kept view', await axeViolations(page))).toEqual([]);

    // Fixed on disk: the banner goes, the view stays.
    writeFileSync(path.join(dir, 'latchkey.yml'), MANIFEST);
    await page.getByTestId('manifest-banner').waitFor({ state: 'detached', timeout: 15_000 });
    await visible(page.getByTestId('keys-table'));
    expect(readFileSync(path.join(dir, 'latchkey.yml'), 'utf8')).toBe(MANIFEST);
  });
});
