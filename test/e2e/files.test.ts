import type { S3Client } from '@aws-sdk/client-s3';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKmsKey, createVersionedBucket, putObject, testS3Client } from '../support/s3-seed';
import { SEED } from './harness/fixtures';
import { keysTable, openKnownProject, visible } from './harness/flows';
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
});
