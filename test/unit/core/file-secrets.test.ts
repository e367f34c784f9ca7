import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareAtomicWrite } from '../../../main/core/atomic-write';
import { computeFilePlan, fileCompareOf, type FileSlot, type PreviousFile } from '../../../main/core/file-plan';
import { parseManifest } from '../../../main/core/manifest';
import type { Profile, ResolvedSecret, S3Spec } from '../../../main/core/types';

const FILE = '/work/project/latchkey.yml';

function s3Source(lines: string): S3Spec {
  const text = `version: 1\nprofiles:\n  dev:\n    target: .env\n    sources:\n      - s3: s3://bucket/key\n${lines}`;
  const spec = parseManifest(text, FILE).profiles.get('dev')!.sources[0]!;
  if (spec.kind !== 's3') throw new Error('not an s3 source');
  return spec;
}

describe('s3 file sources in latchkey.yml', () => {
  it('reads mode as octal digits, quoted or bare, and defaults it', () => {
    expect(s3Source('        file: a.key\n').mode).toBeUndefined();
    expect(s3Source('        file: a.key\n        mode: 0600\n').mode).toBe(0o600);
    expect(s3Source('        file: a.key\n        mode: "0640"\n').mode).toBe(0o640);
    expect(s3Source('        file: a.key\n        mode: 444\n').mode).toBe(0o444);
    expect(s3Source('        file: a.key\n        allowUnencrypted: true\n').allowUnencrypted).toBe(true);
  });

  it.each([
    ['        file: a.key\n        mode: 0o600\n', /expected an octal mode such as "0600"; found 384/],
    [
      '        file: a.key\n        mode: "0666"\n',
      /must let the owner read, and neither execute nor let others write/,
    ],
    ['        file: a.key\n        mode: "0700"\n', /must let the owner read, and neither execute/],
    ['        file: a.key\n        mode: "0200"\n', /must let the owner read/],
    ['        as: KEY\n        mode: "0600"\n', /mode applies to a file: add file, or remove mode/],
    ['        file: a.key\n        allowUnencrypted: yes please\n', /allowUnencrypted/],
  ])('refuses %j', (lines, message) => {
    expect(() => s3Source(lines)).toThrow(message);
  });
});

const KEY = Buffer.alloc(32, 7);
const mac = (filePath: string, bytes: Uint8Array) =>
  createHmac('sha256', KEY).update(`file:${filePath}`).update('\0').update(bytes).digest('hex');

function plan(opts: {
  local?: string;
  remote?: string;
  reused?: boolean;
  prior?: string;
  localMode?: number;
  takeRemote?: boolean;
  keepLocal?: boolean;
  fingerprints?: boolean;
  mode?: number;
  remoteBytes?: Uint8Array;
}) {
  const spec = {
    kind: 's3',
    index: 0,
    url: 's3://bucket/key',
    file: 'certs/a.key',
    aws: {},
    ...(opts.mode !== undefined && { mode: opts.mode }),
  } satisfies S3Spec;
  const slot: FileSlot = {
    spec,
    abs: '/work/project/certs/a.key',
    current: opts.local === undefined ? undefined : { bytes: Buffer.from(opts.local), mode: opts.localMode ?? 0o600 },
  };
  const secret: ResolvedSecret = {
    spec,
    sourceKey: spec.file,
    meta: { version: 'v2', size: 1 },
    ...(opts.reused ? { reused: true } : { bytes: opts.remoteBytes ?? Buffer.from(opts.remote ?? '') }),
  };
  const previous = new Map<string, PreviousFile>(
    opts.prior === undefined
      ? []
      : [
          [
            'certs/a.key',
            {
              origin: 's3:s3://bucket/key#certs/a.key',
              version: 'v1',
              hmac: mac('certs/a.key', Buffer.from(opts.prior)),
              modifiedAt: '2025-12-01T00:00:00Z',
              syncedAt: '2025-12-02T00:00:00Z',
            },
          ],
        ],
  );
  const profile = { name: 'dev', rotation: { maxAgeDays: 90 } } as Profile;
  return computeFilePlan({
    profile,
    files: [{ secret, slot }],
    previous,
    mac,
    takeRemote: new Set(opts.takeRemote ? ['certs/a.key'] : []),
    keepLocal: new Set(opts.keepLocal ? ['certs/a.key'] : []),
    fingerprints: opts.fingerprints ?? false,
    now: new Date('2026-01-01T00:00:00Z'),
  });
}

describe('the plan of a file secret', () => {
  it('adds a missing file, changes an untouched one, and leaves an equal one', () => {
    expect(plan({ remote: 'new' }).files[0]).toMatchObject({ item: { status: 'add', mode: '0600' } });
    const changed = plan({ local: 'old', remote: 'new', prior: 'old' }).files[0]!;
    expect(changed.item.status).toBe('change');
    expect(Buffer.from(changed.write!).toString()).toBe('new');
    expect(plan({ local: 'same', remote: 'same', prior: 'same' }).files[0]).toMatchObject({
      item: { status: 'unchanged' },
      write: undefined,
    });
    expect(plan({ local: 'kept', reused: true }).files[0]).toMatchObject({
      item: { status: 'unchanged', reused: true },
    });
  });

  it('keeps a local edit as a conflict unless the remote is taken', () => {
    const edited = plan({ local: 'mine', remote: 'old', prior: 'old' }).files[0]!;
    expect(edited).toMatchObject({
      item: { status: 'conflict', remoteChanged: false, resolution: 'keep-local' },
      write: undefined,
      managed: undefined,
    });
    expect(plan({ local: 'mine', remote: 'new', prior: 'old' }).files[0]!.item.reason).toBe(
      'edited locally, and the source changed too',
    );
    expect(plan({ local: 'theirs', remote: 'new' }).files[0]!.item.reason).toBe(
      'the file exists with other content, not written by Latchkey',
    );
    const taken = plan({ local: 'mine', remote: 'new', prior: 'old', takeRemote: true }).files[0]!;
    expect(taken.item.resolution).toBe('take-remote');
    expect(Buffer.from(taken.write!).toString()).toBe('new');
  });

  it('tightens the mode of an unchanged file to the manifest, with a warning', () => {
    const result = plan({ local: 'same', remote: 'same', prior: 'same', localMode: 0o644 });
    expect(result.files[0]!.fixMode).toBe(true);
    expect(result.warnings).toEqual(['certs/a.key has mode 0644; sync makes it 0600, as latchkey.yml says']);
  });
});

describe('the review of a file change (issue 14, item 3)', () => {
  const fp = (bytes: string) => mac('certs/a.key', Buffer.from(bytes)).slice(0, 8);

  it('leaves an unticked add or change unwritten, and keeps the record of the last sync', () => {
    const add = plan({ remote: 'new', keepLocal: true }).files[0]!;
    expect(add).toMatchObject({ item: { status: 'add', resolution: 'keep-local' }, write: undefined });
    expect(add.managed).toBeUndefined();
    const change = plan({ local: 'old', remote: 'new', prior: 'old', keepLocal: true }).files[0]!;
    expect(change).toMatchObject({ item: { status: 'change', resolution: 'keep-local' }, write: undefined });
    expect(change.managed).toBeUndefined();
    // keepLocal is a conflict's default already; takeRemote still wins there.
    const taken = plan({ local: 'mine', remote: 'new', prior: 'old', takeRemote: true, keepLocal: true }).files[0]!;
    expect(taken.item.resolution).toBe('take-remote');
  });

  it('gives each side its byte length and keyed fingerprint, and the last synced record, never the bytes', () => {
    const item = plan({ local: 'mine-π', remote: 'theirs', prior: 'old', fingerprints: true }).files[0]!.item;
    expect(item.context).toEqual({
      local: { length: Buffer.byteLength('mine-π'), fingerprint: fp('mine-π') },
      remote: { length: 6, fingerprint: fp('theirs') },
      synced: {
        fingerprint: fp('old'),
        version: 'v1',
        modifiedAt: '2025-12-01T00:00:00Z',
        syncedAt: '2025-12-02T00:00:00Z',
      },
    });
    expect(item.compare).toBe('text');
    expect(JSON.stringify(item)).not.toContain('mine');
    expect(plan({ remote: 'new', fingerprints: true }).files[0]!.item.context).toEqual({
      remote: { length: 3, fingerprint: fp('new') },
    });
    // Without the drift key (an untracked sync) no fingerprint exists: no context at all.
    expect(plan({ local: 'old', remote: 'new', prior: 'old' }).files[0]!.item.context).toBeUndefined();
    expect(plan({ local: 'same', remote: 'same', prior: 'same', fingerprints: true }).files[0]!.item.context).toBe(
      undefined,
    );
  });

  it('offers to compare only small text: binary and large sides say why not', () => {
    const compareOf = (remoteBytes: Uint8Array, local = 'text\n') =>
      plan({ local, remoteBytes, prior: 'x', fingerprints: true }).files[0]!.item.compare;
    expect(compareOf(Buffer.from('-----BEGIN KEY-----\r\n\tabc\n'))).toBe('text');
    expect(compareOf(Buffer.from([0x41, 0x00, 0x42]))).toBe('binary');
    expect(compareOf(Buffer.from([0xc3, 0x28]))).toBe('binary');
    expect(compareOf(Buffer.alloc(16 * 1024, 'a'))).toBe('text');
    expect(compareOf(Buffer.alloc(16 * 1024 + 1, 'a'))).toBe('too-large');
    expect(compareOf(Buffer.from('fine'), 'a\u0007bell')).toBe('binary');
    expect(fileCompareOf([Buffer.alloc(20_000, 0)])).toBe('too-large');
  });
});

describe('revert of a committed atomic write', () => {
  it('puts the replaced file back, or removes a file that was new', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-revert-'));
    const existing = path.join(dir, 'existing.key');
    writeFileSync(existing, 'before', { mode: 0o600 });
    const replace = await prepareAtomicWrite(existing, 'after', { root: dir, expected: Buffer.from('before') });
    const create = await prepareAtomicWrite(path.join(dir, 'new.key'), 'new', { root: dir, expected: null });
    await replace.commit();
    await create.commit();
    expect(readFileSync(existing, 'utf8')).toBe('after');

    expect(await create.revert()).toBe(true);
    expect(await replace.revert()).toBe(true);
    await replace.abort();
    await create.abort();
    expect(readFileSync(existing, 'utf8')).toBe('before');
    expect(readdirSync(dir).sort()).toEqual(['.latchkey-tmp', 'existing.key']);
    expect(readdirSync(path.join(dir, '.latchkey-tmp'))).toEqual(['.gitignore']);
  });

  it('cannot undo a write that looked at nothing before its rename', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-revert-'));
    const write = await prepareAtomicWrite(path.join(dir, 'state.json'), '{}');
    await write.commit();
    expect(await write.revert()).toBe(false);
    await write.abort();
    expect(readFileSync(path.join(dir, 'state.json'), 'utf8')).toBe('{}');
  });
});
