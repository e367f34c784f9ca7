import type { S3Client } from '@aws-sdk/client-s3';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKmsKey, createVersionedBucket, putObject, testS3Client } from '../support/s3-seed';
import type { Plan } from '../../contract/plan';
import { axeBothThemes, axeViolations, describeFindings } from './harness/axe';
import { SEED } from './harness/fixtures';
import { keysTable, openKnownProject, openPlan, syncFromPanel, visible } from './harness/flows';
import { makeProjectDir, resetAndSeed } from './harness/project';
import { useE2eSuite } from './harness/suite';

const e2e = useE2eSuite();
const CANARY = 'canary_e2e_s3_file_content_4411';
const MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  dev:
    target: .env
    sources:
      - set: { LOG_LEVEL: debug }
      - s3: s3://acme-secrets/tls/dev.key
        file: certs/dev.key
`;

let s3: S3Client;
beforeAll(() => {
  s3 = testS3Client();
});
afterAll(() => s3.destroy());
beforeEach(async () => {
  await resetAndSeed(e2e.ssm(), SEED.chamber, SEED.parameters);
  await createVersionedBucket(s3, 'acme-secrets');
});

describe('file secrets in the profile', () => {
  it('lists each file with path, size, version and age, and never its content', async () => {
    const body = `-----BEGIN KEY-----\n${CANARY}\n-----END KEY-----\n`;
    const version = await putObject(s3, 'acme-secrets', 'tls/dev.key', body, { kmsKeyId: await createKmsKey() });
    const dir = makeProjectDir(MANIFEST);
    const app = await e2e.launch();

    const projectId = await openKnownProject(app, dir, 'acme-api');
    await keysTable(app.page, 1);
    const section = await visible(app.page.getByTestId('files-section'), 15_000);
    const row = section.getByTestId('file-row');
    expect(await row.count()).toBe(1);
    const text = await row.innerText();
    expect(text).toContain('certs/dev.key');
    expect(text).toContain('s3://acme-secrets/tls/dev.key');
    expect(text).toContain(`${body.length} B`);
    expect(text).toContain(version!.slice(0, 12));
    expect(text).toContain('today');

    await app.call('sync', { projectId, profile: 'dev' });
    expect(readFileSync(path.join(dir, 'certs/dev.key'), 'utf8')).toBe(body);
    // Neither the page nor any IPC reply carried the object's bytes.
    expect(await app.page.content()).not.toContain(CANARY);
    expect(JSON.stringify(app.exchanges)).not.toContain(CANARY);
  });

  it('lists files in the plan; a file edited here is a conflict, and Take remote writes the remote bytes', async () => {
    const kmsKeyId = await createKmsKey();
    const first = `-----BEGIN KEY-----\n${CANARY}-v1\n-----END KEY-----\n`;
    await putObject(s3, 'acme-secrets', 'tls/dev.key', first, { kmsKeyId });
    const dir = makeProjectDir(MANIFEST);
    const file = path.join(dir, 'certs/dev.key');
    const app = await e2e.launch();
    const { page } = app;

    const projectId = await openKnownProject(app, dir, 'acme-api');
    await keysTable(page, 1);
    // Before the first sync the file is missing: the plan lists it as one to add.
    let panel = await openPlan(page);
    expect(await panel.getByTestId('plan-file-certs/dev.key').getAttribute('data-status')).toBe('add');
    await page.getByTestId('panel-close').click();
    await app.call('sync', { projectId, profile: 'dev' });
    expect(readFileSync(file, 'utf8')).toBe(first);

    // Edited here, and rotated in S3 since: a conflict whose default keeps the local bytes.
    writeFileSync(file, 'my local edit\n');
    const second = Buffer.from(`-----BEGIN KEY-----\n${CANARY}-v2\n\u0000binary\n-----END KEY-----\n`);
    await putObject(s3, 'acme-secrets', 'tls/dev.key', second, { kmsKeyId });
    panel = await openPlan(page);
    const item = panel.getByTestId('plan-file-certs/dev.key');
    expect(await item.getAttribute('data-status')).toBe('conflict');
    expect(await item.innerText()).toContain('edited locally, and the source changed too');
    const keep = item.getByTestId('file-conflict-certs/dev.key-keep-local');
    expect(await keep.getAttribute('aria-checked')).toBe('true');
    // Nothing else would be written: the footer offers no sync until a choice takes the remote bytes.
    expect(await panel.getByTestId('panel-sync').isDisabled()).toBe(true);

    await item.getByTestId('file-conflict-certs/dev.key-take-remote').click();
    expect(await item.getByTestId('file-conflict-certs/dev.key-take-remote').getAttribute('aria-checked')).toBe('true');
    const outcome = await syncFromPanel(page);
    expect(await outcome.getAttribute('data-wrote')).toBe('true');
    expect(await outcome.innerText()).toContain('1 conflict took the remote value');
    expect(readFileSync(file).equals(second)).toBe(true);

    // The fresh plan after the sync: in sync, no choice left over.
    await visible(panel.locator('[data-testid="plan-file-certs/dev.key"][data-status="unchanged"]'), 30_000);
    expect(await app.page.content()).not.toContain(CANARY);
    expect(JSON.stringify(app.exchanges)).not.toContain(CANARY);
  });

  it('reviews a file change as a key: sizes and fingerprints, unticked leaves the file byte-identical, small text compares', async () => {
    const kmsKeyId = await createKmsKey();
    const first = `-----BEGIN KEY-----\n${CANARY}-first\n-----END KEY-----\n`;
    await putObject(s3, 'acme-secrets', 'tls/dev.key', first, { kmsKeyId });
    const dir = makeProjectDir(MANIFEST);
    const file = path.join(dir, 'certs/dev.key');
    const app = await e2e.launch();
    const { page } = app;
    await app.call('settings.set', { settings: { revealSeconds: 5 } });
    const projectId = await openKnownProject(app, dir, 'acme-api');
    await keysTable(page, 1);
    await app.call('sync', { projectId, profile: 'dev' });
    const synced = readFileSync(file);

    // Rotated in S3: an update of the file, ticked by default, with each side's bytes and fingerprint.
    const rotated = `-----BEGIN KEY-----\n${CANARY}-rotated-longer\n-----END KEY-----\n`;
    await putObject(s3, 'acme-secrets', 'tls/dev.key', rotated, { kmsKeyId });
    const panel = await openPlan(page);
    const item = await visible(panel.getByTestId('plan-file-certs/dev.key'));
    expect(await item.getAttribute('data-status')).toBe('change');
    expect(await item.getAttribute('data-ticked')).toBe('true');
    const plan = app.exchanges
      .filter((x) => x.method === 'plan' && x.envelope.ok)
      .map((x) => (x.envelope as { value: { plan: Plan } }).value.plan)
      .at(-1)!;
    const planned = plan.files.find((f) => f.path === 'certs/dev.key')!;
    const t = 'file-change-certs/dev.key';
    const field = (line: string, name: string) => item.getByTestId(`${t}-${line}`).locator(`[data-field="${name}"]`);
    expect(await field('local', 'length').innerText()).toBe(`${synced.length} bytes`);
    expect(await field('remote', 'length').innerText()).toBe(`${Buffer.byteLength(rotated)} bytes`);
    const local = await field('local', 'fingerprint').innerText();
    const remote = await field('remote', 'fingerprint').innerText();
    expect([local, remote]).toEqual([planned.context?.local?.fingerprint, planned.context?.remote?.fingerprint]);
    expect(local).toMatch(/^[0-9a-f]{8}$/);
    expect(remote).not.toBe(local);
    // The file still holds what was synced: the last synced fingerprint is this file's.
    expect(await field('synced', 'fingerprint').innerText()).toBe(local);
    expect(await field('remote', 'when').getAttribute('datetime')).toBe(planned.meta?.modifiedAt);
    expect(await page.content()).not.toContain(CANARY);
    const findings = await axeBothThemes(page, 'the plan panel reviewing a file change');

    // Unticked, the sync leaves the file byte for byte as it was.
    await item.getByTestId('file-change-certs/dev.key-tick').uncheck();
    expect(await item.getAttribute('data-ticked')).toBe('false');
    expect(await item.innerText()).toContain('Left as it is');
    expect(await panel.getByTestId('panel-sync-reason').innerText()).toContain('0 of 1 change');
    await syncFromPanel(page);
    expect(readFileSync(file).equals(synced)).toBe(true);
    // The fresh plan shows the same change again, ticked.
    const again = await visible(panel.locator('[data-testid="plan-file-certs/dev.key"][data-ticked="true"]'), 30_000);
    expect(await again.getAttribute('data-status')).toBe('change');

    // Compare contents: small text, both sides, for revealSeconds; then gone from the page.
    await again.getByTestId(`${t}-reveal`).click();
    const compare = await visible(again.getByTestId(`${t}-compare`));
    // Line for line (a trailing line break may or may not be rendered).
    expect((await compare.getByTestId(`${t}-local-value`).innerText()).trimEnd()).toBe(first.trimEnd());
    expect((await compare.getByTestId(`${t}-remote-value`).innerText()).trimEnd()).toBe(rotated.trimEnd());
    findings.push(...describeFindings('the file contents compared', await axeViolations(page)));
    await compare.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await page.content()).not.toContain(CANARY);
    expect(findings).toEqual([]);
    const carriers = app.exchanges.filter((x) => JSON.stringify(x.envelope).includes(CANARY)).map((x) => x.method);
    expect(carriers).toEqual(['secrets.revealFileChange']);
    const { events } = await app.call('audit.tail', { limit: 50 });
    expect(events.filter((e) => e.action === 'reveal')).toMatchObject([
      { outcome: 'ok', profile: 'dev', keys: ['certs/dev.key'] },
    ]);

    // Open file: the file on disk, through the desktop's opener (no editor command set).
    await again.getByTestId(`${t}-open`).click();
    await expect.poll(() => app.openedFiles).toEqual([file]);
  });

  it('says why a binary file cannot be compared, and offers no reveal', async () => {
    const kmsKeyId = await createKmsKey();
    await putObject(s3, 'acme-secrets', 'tls/dev.key', 'text at first\n', { kmsKeyId });
    const dir = makeProjectDir(MANIFEST);
    const app = await e2e.launch();
    const projectId = await openKnownProject(app, dir, 'acme-api');
    await keysTable(app.page, 1);
    await app.call('sync', { projectId, profile: 'dev' });
    await putObject(s3, 'acme-secrets', 'tls/dev.key', Buffer.from(`${CANARY}\u0000\u0001binary`), { kmsKeyId });
    const panel = await openPlan(app.page);
    const item = await visible(panel.getByTestId('plan-file-certs/dev.key'));
    expect(await item.getByTestId('file-change-certs/dev.key-no-compare').innerText()).toContain('Not text');
    expect(await item.getByTestId('file-change-certs/dev.key-reveal').count()).toBe(0);
    const refused = await app
      .call('secrets.revealFileChange', { projectId, profile: 'dev', path: 'certs/dev.key' })
      .then(
        () => 'revealed',
        (error: Error) => error.message,
      );
    expect(refused).toContain('not text');
    expect(JSON.stringify(app.exchanges)).not.toContain(CANARY);
  });
});
