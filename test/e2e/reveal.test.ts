import { beforeEach, describe, expect, it } from 'vitest';
import { API_DEV, GITHUB, MANIFEST, SEED } from './harness/fixtures';
import { keysTable, openKnownProject, visible } from './harness/flows';
import { makeProjectDir, resetAndSeed } from './harness/project';
import { useE2eSuite } from './harness/suite';

const e2e = useE2eSuite();

beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), SEED.chamber, SEED.parameters);
});

describe('an audited reveal', () => {
  it('shows the value on request, hides it by itself, and audits the key name without the value', async () => {
    const dir = makeProjectDir(MANIFEST);
    const app = await e2e.launch();
    const { page } = app;
    const projectId = await app.openFolder(dir);
    await app.call('secrets.setPersonal', { projectId, name: 'GITHUB_TOKEN', value: GITHUB });
    await app.call('sync', { projectId, profile: 'dev' });
    // The shortest auto-hide the settings allow, so the test sees it happen.
    await app.call('settings.set', { settings: { revealSeconds: 5 } });

    await openKnownProject(app, dir, 'acme-api');
    const table = await keysTable(page, 12);
    const row = table.getByTestId('key-row-JWT_SECRET');
    const secret = API_DEV['jwt-secret']!;
    expect(await row.innerText()).not.toContain(secret);

    await row.getByRole('button', { name: 'Reveal JWT_SECRET' }).click();
    const shown = await visible(row.getByTestId('value-JWT_SECRET'));
    expect(await shown.innerText()).toBe(secret);
    const revealedAt = Date.now();
    // Not in the window title, nor in any tooltip.
    expect(await page.title()).not.toContain(secret);
    expect(await page.locator(`[title*="${secret}"]`).count()).toBe(0);

    // It hides itself after revealSeconds (5 s), and the mask is back.
    await row.getByTestId('value-JWT_SECRET').waitFor({ state: 'detached', timeout: 10_000 });
    const hiddenAfter = Date.now() - revealedAt;
    expect(hiddenAfter).toBeGreaterThan(3_500);
    expect(await page.content()).not.toContain(secret);
    await visible(row.getByRole('button', { name: 'Reveal JWT_SECRET' }));

    // The audit trail names the key and the action, never the value.
    const { events } = await app.call('audit.tail', { limit: 50 });
    const reveal = events.filter((e) => e.action === 'reveal');
    expect(reveal).toHaveLength(1);
    expect(reveal[0]).toMatchObject({ outcome: 'ok', profile: 'dev', keys: ['JWT_SECRET'] });
    expect(JSON.stringify(events)).not.toContain(secret);

    // Exactly one envelope carried the value: the reveal the user asked for.
    const carriers = app.exchanges.filter((x) => JSON.stringify(x.envelope).includes(secret));
    expect(carriers.map((x) => x.method)).toEqual(['secrets.reveal']);

    // The Audit screen shows the event too.
    await page.getByTestId('sidebar-audit').click();
    const timeline = await visible(page.getByTestId('audit-timeline'));
    expect(await timeline.innerText()).toMatch(/JWT_SECRET/);
    expect(await timeline.innerText()).not.toContain(secret);
  });
});
