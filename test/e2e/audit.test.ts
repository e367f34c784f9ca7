import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAuditEvent, AUDIT_FILE, type AuditInput } from '../../main/core/audit';
import { axeViolations, describeFindings } from './harness/axe';
import { until, visible } from './harness/flows';
import { useE2eSuite } from './harness/suite';

const e2e = useE2eSuite();

const SEEDED: [string, AuditInput][] = [
  ['2026-11-20T12:00:00Z', { action: 'sync', profile: 'dev', keys: ['DB_URL', 'API_KEY'], outcome: 'ok' }],
  ['2026-11-21T12:00:00Z', { action: 'reveal', profile: 'dev', keys: ['JWT_SECRET'], outcome: 'error' }],
  ['2026-11-22T12:00:00Z', { action: 'copy', profile: 'dev', keys: ['API_KEY'], outcome: 'ok' }],
  ['2026-11-23T12:00:00Z', { action: 'sync', profile: 'staging', keys: ['DB_URL'], outcome: 'ok' }],
];

async function seedTrail(appDir: string): Promise<void> {
  for (const [time, input] of SEEDED) await appendAuditEvent(appDir, input, { now: new Date(time), user: 'dana' });
}

describe('the Audit screen as a worklist', () => {
  it('searches, filters by failure and date, exports what matches, and shows whether the chain holds', async () => {
    const app = await e2e.launch();
    const { page } = app;
    // As the app would have: a command that used the keychain seals each event it appends (the anchor). The suite's
    // keyring is shared, and an earlier test may have made the audit key; an unsealed trail would then rightly
    // read as broken.
    await app.call('audit.verify', {});
    await seedTrail(app.appDir);
    await app.open();
    await page.getByTestId('sidebar-audit').click();

    const chain = await visible(page.getByTestId('audit-chain'));
    await until(page, async () => (await chain.getAttribute('data-state')) === 'verified', 'the chain verified');
    expect(await chain.innerText()).toContain('Chain verified · 4 events');
    const events = page.locator('[data-testid^="audit-event-"]');
    expect(await events.count()).toBe(4);

    // Every word must match, in any field: a key name and the action.
    await page.getByTestId('audit-search').fill('jwt reveal');
    await until(page, async () => (await events.count()) === 1, 'one event matching "jwt reveal"');
    expect(await page.getByTestId('audit-match-count').innerText()).toBe('1 of 4 shown');
    await page.getByTestId('audit-search').fill('no such thing');
    await visible(page.getByTestId('audit-no-match'));
    await page.getByTestId('audit-clear-filter').click();
    await until(page, async () => (await events.count()) === 4, 'all four events back');

    await page.getByTestId('audit-problems-only').check();
    await until(page, async () => (await events.count()) === 1, 'only the failed reveal');
    expect(await events.first().getAttribute('data-outcome')).toBe('error');
    await page.getByTestId('audit-problems-only').uncheck();

    await page.getByTestId('audit-from').fill('2026-11-22');
    await until(page, async () => (await events.count()) === 2, 'the events from 22 November on');
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      const findings = await axeViolations(page);
      expect(findings, describeFindings(`audit, filtered (${theme})`, findings).join('\n')).toEqual([]);
    }

    // The export takes the same filter over the whole trail, into the file main's dialog chose.
    const file = path.join(app.appDir, 'exported.json');
    app.setSaveFile(file);
    await page.getByTestId('audit-export-json').click();
    await visible(page.getByText('Exported 2 events to exported.json'));
    expect(app.saveRequests.at(-1)?.defaultName).toBe('latchkey-audit.json');
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { events: { action: string; time: string }[] };
    expect(exported.events.map((e) => e.action)).toEqual(['copy', 'sync']);

    // An edit made outside Latchkey breaks the chain, and the screen says where.
    const log = path.join(app.appDir, AUDIT_FILE);
    const lines = readFileSync(log, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('"error"', '"ok"');
    writeFileSync(log, lines.join('\n'));
    await page.getByTestId('audit-refresh').click();
    const broken = await visible(page.getByRole('alert').filter({ hasText: 'Chain broken at line 2' }));
    expect(await broken.innerText()).toContain('cannot be trusted');
    const findings = await axeViolations(page);
    expect(findings, describeFindings('audit, broken chain', findings).join('\n')).toEqual([]);
  });
});
