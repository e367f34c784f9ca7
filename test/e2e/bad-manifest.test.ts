import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST } from './harness/fixtures';
import { openKnownProject, visible } from './harness/flows';
import { makeProjectDir } from './harness/project';
import { useE2eSuite } from './harness/suite';

const e2e = useE2eSuite();

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
});
