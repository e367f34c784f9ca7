import type { S3Client } from '@aws-sdk/client-s3';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../../../main/app/runtime';
import { parseManifest } from '../../../main/core/manifest';
import { preparePlan } from '../../../main/core/sync';
import { motoEndpoint, resetMoto, useAwsTestEnv } from '../../support/aws-env';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { binaryBytes, createKmsKey, createVersionedBucket, putObject, testS3Client } from '../../support/s3-seed';

const BUCKET = 'team-secrets';
const CANARY = 'canary-s3-object-7f3a9c';
const FIVE_MB = 5 * 1024 * 1024;

let s3: S3Client;
let proxy: FaultProxy;
let undoEnv: () => void;
let kmsKeyId: string;

beforeAll(async () => {
  s3 = testS3Client();
  // Counts requests by method: HEAD (HeadObject) and GET (GetObject, the download).
  proxy = await startFaultProxy({ target: motoEndpoint(), operationOf: (req) => req.method ?? '?' });
  undoEnv = useAwsTestEnv(proxy.url);
});
afterAll(async () => {
  undoEnv();
  s3.destroy();
  await proxy.stop();
});
beforeEach(async () => {
  await resetMoto();
  kmsKeyId = await createKmsKey();
  await createVersionedBucket(s3, BUCKET);
});

interface FileSource {
  key: string;
  file: string;
  extra?: string;
}

function project(files: FileSource[], opts: { set?: string } = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'latchkey-s3-'));
  const manifestPath = path.join(root, 'latchkey.yml');
  const sources = files
    .map((f) => `      - s3: s3://${BUCKET}/${f.key}\n        file: ${f.file}\n${f.extra ?? ''}`)
    .join('');
  const text = `version: 1
profiles:
  dev:
    target: .env
    sources:
      - set:
          LOG_LEVEL: ${opts.set ?? 'debug'}
${sources}`;
  writeFileSync(manifestPath, text);
  const runtime = createRuntime({ appDir: mkdtempSync(path.join(tmpdir(), 'latchkey-s3-home-')) });
  const manifest = parseManifest(text, manifestPath);
  return {
    root,
    appDir: runtime.appDir,
    at: (rel: string) => path.join(root, rel),
    plan: (takeRemote: string[] = [], keepLocalFiles: string[] = []) =>
      preparePlan(manifest, 'dev', runtime.syncEnvironment(manifest), { takeRemote, keepLocalFiles }),
  };
}

/** Every file under `dir`, as text, for canary scans. */
function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => readFileSync(path.join(d.parentPath, d.name), 'latin1'))
    .join('\n');
}

describe('s3: file sources against moto', () => {
  it('writes SSE-KMS and SSE-S3 objects byte for byte, 0600 by default, in a new 0700 folder', async () => {
    const keyText = `-----KEY ${CANARY}-----\n`;
    const kmsVersion = await putObject(s3, BUCKET, 'tls/dev.key', keyText, { kmsKeyId });
    await putObject(s3, BUCKET, 'tls/dev.crt', 'certificate\n', 'AES256');
    const p = project([
      { key: 'tls/dev.key', file: 'certs/dev.key' },
      { key: 'tls/dev.crt', file: 'certs/dev.crt', extra: '        mode: "0644"\n' },
    ]);

    const prepared = await p.plan();
    expect(prepared.plan.files).toEqual([
      expect.objectContaining({ path: 'certs/dev.key', status: 'add', mode: '0600' }),
      expect.objectContaining({ path: 'certs/dev.crt', status: 'add', mode: '0644' }),
    ]);
    expect(prepared.plan.files[0]!.meta).toMatchObject({ version: kmsVersion, size: keyText.length });
    expect(prepared.plan.counts.add).toBe(3);
    expect(JSON.stringify(prepared.plan)).not.toContain(CANARY);

    const result = await prepared.apply();
    expect(result.files).toEqual([p.at('certs/dev.key'), p.at('certs/dev.crt')]);
    expect(readFileSync(p.at('certs/dev.key'), 'utf8')).toBe(`-----KEY ${CANARY}-----\n`);
    expect(readFileSync(p.at('certs/dev.crt'), 'utf8')).toBe('certificate\n');
    expect(statSync(p.at('certs/dev.key')).mode & 0o777).toBe(0o600);
    expect(statSync(p.at('certs/dev.crt')).mode & 0o777).toBe(0o644);
    expect(statSync(p.at('certs')).mode & 0o777).toBe(0o700);
    expect(readFileSync(p.at('.env'), 'utf8')).toBe('LOG_LEVEL=debug\n');
    // The state and the audit log name the files and their versions, never their bytes.
    const appData = allText(p.appDir);
    expect(appData).toContain('certs/dev.key');
    expect(appData).not.toContain(CANARY);
  });

  it('refuses an unencrypted object unless the source allows it, writing nothing', async () => {
    await putObject(s3, BUCKET, 'plain.txt', 'plain', 'none');
    const refused = project([{ key: 'plain.txt', file: 'plain.txt' }]);
    const error = await refused.plan().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SOURCE_FAILED' });
    expect((error as Error).message).toContain(`s3://${BUCKET}/plain.txt is stored without server-side encryption`);
    expect((error as { hint?: string }).hint).toContain('allowUnencrypted: true');
    expect(existsSync(refused.at('plain.txt'))).toBe(false);
    expect(existsSync(refused.at('.env'))).toBe(false);

    const allowed = project([{ key: 'plain.txt', file: 'plain.txt', extra: '        allowUnencrypted: true\n' }]);
    await (await allowed.plan()).apply();
    expect(readFileSync(allowed.at('plain.txt'), 'utf8')).toBe('plain');
  });

  it('writes a 5 MB binary object with NULs exactly', async () => {
    const bytes = binaryBytes(FIVE_MB);
    await putObject(s3, BUCKET, 'blob.bin', bytes, { kmsKeyId });
    const p = project([{ key: 'blob.bin', file: 'data/blob.bin' }]);
    const prepared = await p.plan();
    expect(prepared.plan.files[0]!.meta?.size).toBe(FIVE_MB);
    await prepared.apply();
    expect(readFileSync(p.at('data/blob.bin')).equals(bytes)).toBe(true);
  });

  it('fails clearly on a missing object, and writes neither the target nor any file', async () => {
    await putObject(s3, BUCKET, 'present.key', 'present', { kmsKeyId });
    const p = project([
      { key: 'present.key', file: 'present.key' },
      { key: 'absent.key', file: 'absent.key' },
    ]);
    const error = await p.plan().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SOURCE_FAILED' });
    expect((error as Error).message).toContain(`s3://${BUCKET}/absent.key does not exist`);
    expect(readdirSync(p.root)).toEqual(['latchkey.yml']);
  });

  it('does not download an unchanged object again, and re-downloads a new VersionId', async () => {
    await putObject(s3, BUCKET, 'app.key', 'first', { kmsKeyId });
    const p = project([{ key: 'app.key', file: 'app.key' }]);
    await (await p.plan()).apply();

    proxy.resetStats();
    const again = await p.plan();
    expect(again.plan.files[0]).toMatchObject({ status: 'unchanged', reused: true });
    expect(again.plan.writes).toBe(false);
    expect(proxy.stats().byOperation.HEAD).toBe(1);
    expect(proxy.stats().byOperation.GET ?? 0).toBe(0);

    const second = await putObject(s3, BUCKET, 'app.key', 'second', { kmsKeyId });
    proxy.resetStats();
    const moved = await p.plan();
    expect(moved.plan.files[0]).toMatchObject({ status: 'change', reused: false, meta: { version: second } });
    expect(proxy.stats().byOperation.GET).toBe(1);
    await moved.apply();
    expect(readFileSync(p.at('app.key'), 'utf8')).toBe('second');
  });

  it('shows a local edit as a conflict, keeps it, and takes the remote on request', async () => {
    await putObject(s3, BUCKET, 'app.key', 'remote', { kmsKeyId });
    const p = project([{ key: 'app.key', file: 'app.key' }]);
    await (await p.plan()).apply();
    writeFileSync(p.at('app.key'), 'edited');

    const kept = await p.plan();
    expect(kept.plan.files[0]).toMatchObject({
      status: 'conflict',
      resolution: 'keep-local',
      remoteChanged: false,
      reason: 'edited locally since the last sync',
    });
    await kept.apply();
    expect(readFileSync(p.at('app.key'), 'utf8')).toBe('edited');
    // Still a conflict: the record of what Latchkey wrote was kept.
    expect((await p.plan()).plan.files[0]!.status).toBe('conflict');

    await (await p.plan(['app.key'])).apply();
    expect(readFileSync(p.at('app.key'), 'utf8')).toBe('remote');
  });

  it('leaves an unticked change byte-identical and an unticked add unwritten, and plans them again', async () => {
    const binary = binaryBytes(4096);
    await putObject(s3, BUCKET, 'app.key', binary, { kmsKeyId });
    await putObject(s3, BUCKET, 'new.pem', `${CANARY}-new`, { kmsKeyId });
    const p = project([
      { key: 'app.key', file: 'app.key' },
      { key: 'new.pem', file: 'certs/new.pem' },
    ]);
    const first = await p.plan([], ['certs/new.pem']);
    expect(first.plan.files.find((f) => f.path === 'certs/new.pem')).toMatchObject({
      status: 'add',
      resolution: 'keep-local',
      context: { remote: { length: `${CANARY}-new`.length } },
      compare: 'text',
    });
    await first.apply();
    expect(existsSync(p.at('certs/new.pem'))).toBe(false);
    const before = readFileSync(p.at('app.key'));
    expect(before.equals(binary)).toBe(true);

    await putObject(s3, BUCKET, 'app.key', `${CANARY}-rotated`, { kmsKeyId });
    const unticked = await p.plan([], ['app.key', 'certs/new.pem']);
    const change = unticked.plan.files.find((f) => f.path === 'app.key')!;
    expect(change).toMatchObject({ status: 'change', resolution: 'keep-local', compare: 'binary' });
    expect(change.context?.local?.length).toBe(4096);
    expect(change.context?.synced?.fingerprint).toBe(change.context?.local?.fingerprint);
    expect(unticked.plan.writes).toBe(false);
    await unticked.apply();
    expect(readFileSync(p.at('app.key')).equals(before)).toBe(true);
    expect(existsSync(p.at('certs/new.pem'))).toBe(false);
    // The record of the last sync stayed: ticked again, both are a plain add and change.
    const again = await p.plan();
    expect(again.plan.files.map((f) => [f.path, f.status, f.resolution])).toEqual([
      ['app.key', 'change', undefined],
      ['certs/new.pem', 'add', undefined],
    ]);
    expect(JSON.stringify(again.plan)).not.toContain(CANARY);
    await again.apply();
    expect(readFileSync(p.at('app.key'), 'utf8')).toBe(`${CANARY}-rotated`);
  });

  it('is all or nothing: a file that fails at the last moment leaves the target and the other files as they were', async () => {
    await putObject(s3, BUCKET, 'a.key', 'a1', { kmsKeyId });
    await putObject(s3, BUCKET, 'b.key', 'b1', { kmsKeyId });
    const first = project([
      { key: 'a.key', file: 'a.key' },
      { key: 'b.key', file: 'b.key' },
    ]);
    await (await first.plan()).apply();
    const envBefore = readFileSync(first.at('.env'), 'utf8');

    await putObject(s3, BUCKET, 'a.key', 'a2', { kmsKeyId });
    await putObject(s3, BUCKET, 'b.key', 'b2', { kmsKeyId });
    // The same project with a changed `set:` value: the target has a change too.
    const text = readFileSync(first.at('latchkey.yml'), 'utf8').replace('LOG_LEVEL: debug', 'LOG_LEVEL: info');
    writeFileSync(first.at('latchkey.yml'), text);
    const manifest = parseManifest(text, first.at('latchkey.yml'));
    const runtime = createRuntime({ appDir: first.appDir });
    const prepared = await preparePlan(manifest, 'dev', runtime.syncEnvironment(manifest));
    expect(prepared.plan.files.map((f) => f.status)).toEqual(['change', 'change']);
    expect(prepared.plan.entries[0]).toMatchObject({ name: 'LOG_LEVEL', status: 'change' });

    // b.key is edited after the plan: its rename is refused after the target's and a.key's went through.
    writeFileSync(first.at('b.key'), 'b-edited');
    await expect(prepared.apply()).rejects.toMatchObject({ code: 'WRITE_FAILED' });
    expect(readFileSync(first.at('.env'), 'utf8')).toBe(envBefore);
    expect(readFileSync(first.at('a.key'), 'utf8')).toBe('a1');
    expect(readFileSync(first.at('b.key'), 'utf8')).toBe('b-edited');
    expect(statSync(first.at('a.key')).mode & 0o777).toBe(0o600);

    // The state was not advanced either: a fresh plan still sees both remote changes, and b.key's edit.
    const after = await preparePlan(manifest, 'dev', runtime.syncEnvironment(manifest));
    expect(after.plan.files.map((f) => f.status)).toEqual(['change', 'conflict']);
  });

  it('refuses files outside the project, in refused places and through symlinks', async () => {
    await putObject(s3, BUCKET, 'x.key', 'x', { kmsKeyId });
    // The manifest itself refuses a named refused place; a symlink is only found on disk.
    expect(() => project([{ key: 'x.key', file: '.git/hooks/post-checkout' }])).toThrow(/version-control metadata/);
    const disguised = project([{ key: 'x.key', file: 'conf/hooks/post-checkout' }]);
    mkdirSync(disguised.at('.git'));
    symlinkSync(disguised.at('.git'), disguised.at('conf'));
    await expect(disguised.plan()).rejects.toMatchObject({ code: 'TARGET_UNSAFE' });
    expect(readdirSync(disguised.at('.git'))).toEqual([]);

    const linked = project([{ key: 'x.key', file: 'link.key' }]);
    writeFileSync(linked.at('real.key'), 'real');
    symlinkSync(linked.at('real.key'), linked.at('link.key'));
    await expect(linked.plan()).rejects.toMatchObject({ code: 'TARGET_UNSAFE' });
    expect(readFileSync(linked.at('real.key'), 'utf8')).toBe('real');

    const outside = mkdtempSync(path.join(tmpdir(), 'latchkey-s3-outside-'));
    const escaping = project([{ key: 'x.key', file: 'out/x.key' }]);
    symlinkSync(outside, escaping.at('out'));
    await expect(escaping.plan()).rejects.toMatchObject({ code: 'TARGET_UNSAFE' });
    expect(readdirSync(outside)).toEqual([]);

    const sameAsTarget = project([{ key: 'x.key', file: '.env' }]);
    const plan = await sameAsTarget.plan();
    expect(plan.plan.files[0]).toMatchObject({ status: 'error', reason: "it is the profile's target .env" });
    await expect(plan.apply()).rejects.toMatchObject({ code: 'PLAN_HAS_ERRORS' });
    expect(existsSync(sameAsTarget.at('.env'))).toBe(false);
  });
});
