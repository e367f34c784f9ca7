import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { writeKeptKey } from '../../../main/core/local-overrides';
import { writeProfileToFile } from '../../../main/core/manifest-edit';
import { rejection, useTempDir } from '../../support/temp';
import type * as AtomicWrite from '../../../main/core/atomic-write';

// latchkey.yml and latchkey.local.yml are edited by the app (a profile, a kept key) and by the user in an editor.
// An edit reads the file, changes it and writes it back: a save the user makes in between must not be written over.
// The save is made from inside the call to writeFileAtomic, the last moment before the write begins.
const seam = vi.hoisted(() => ({ beforeNextWrite: undefined as (() => Promise<void>) | undefined }));

vi.mock('../../../main/core/atomic-write', async (importOriginal) => {
  const real = await importOriginal<typeof AtomicWrite>();
  return {
    ...real,
    writeFileAtomic: async (...args: Parameters<typeof real.writeFileAtomic>) => {
      const save = seam.beforeNextWrite;
      seam.beforeNextWrite = undefined;
      await save?.();
      return real.writeFileAtomic(...args);
    },
  };
});

const dir = useTempDir('latchkey-edits-');

beforeEach(() => {
  seam.beforeNextWrite = undefined;
});

const MANIFEST = `version: 1
profiles:
  dev:
    target: .env
    sources:
      - set: { LOG_LEVEL: debug }
`;

describe("the app's edits of files the user edits too", () => {
  it('a profile edit does not write over a save made to latchkey.yml since it was read', async () => {
    const file = path.join(dir.path, 'latchkey.yml');
    await fs.writeFile(file, MANIFEST);
    const saved = `${MANIFEST}# the user's note\n`;
    seam.beforeNextWrite = () => fs.writeFile(file, saved);
    const draft = { name: 'dev', target: '.env.local', sources: [{ kind: 'set' as const, values: { A: '1' } }] };
    const error = await rejection(writeProfileToFile(file, draft));
    expect(error.code).toBe('WRITE_FAILED');
    expect(error.message).toMatch(/latchkey\.yml was changed while Latchkey was writing it; nothing was written/);
    expect(await fs.readFile(file, 'utf8')).toBe(saved);
    // With nothing in between, the same edit goes through.
    expect((await writeProfileToFile(file, draft)).wrote).toBe(true);
    expect(await fs.readFile(file, 'utf8')).toMatch(/target: \.env\.local/);
  });

  it('keeping a key does not write over a save made to latchkey.local.yml since it was read', async () => {
    const file = path.join(dir.path, 'latchkey.local.yml');
    await fs.writeFile(file, 'profiles:\n  dev:\n    keep: [A]\n');
    const saved = 'profiles:\n  dev:\n    keep: [A, B]\n';
    seam.beforeNextWrite = () => fs.writeFile(file, saved);
    const error = await rejection(writeKeptKey(dir.path, 'dev', 'C', true));
    expect(error.message).toMatch(/latchkey\.local\.yml was changed while Latchkey was writing it/);
    expect(await fs.readFile(file, 'utf8')).toBe(saved);

    // A file the user created meanwhile, where there was none, is not replaced either.
    await fs.rm(file);
    seam.beforeNextWrite = () => fs.writeFile(file, saved);
    const created = await rejection(writeKeptKey(dir.path, 'dev', 'C', true));
    expect(created.message).toMatch(/was created while Latchkey was writing it/);
    expect(await fs.readFile(file, 'utf8')).toBe(saved);
  });
});
