import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { writeKeptKey } from '../../../main/core/local-overrides';
import { parseManifest } from '../../../main/core/manifest';
import { writeProfileToFile } from '../../../main/core/manifest-edit';
import { preparePlan } from '../../../main/core/sync';
import { memoryKeychain, offlineRuntime } from '../../support/ipc-sandbox';
import { rejection, useTempDir } from '../../support/temp';
import type * as AtomicWrite from '../../../main/core/atomic-write';

// latchkey.yml and latchkey.local.yml are edited by the app (a profile, a kept key) and by the user in an editor,
// and a sync rewrites the target the user may be editing. Each reads the file, changes it and writes it back: a save
// the user makes in between must not be written over, and the error says what to do next.
// The save is made from inside the call to writeFileAtomic, the last moment before the write begins.
const seam = vi.hoisted(() => ({ beforeNextWrite: undefined as (() => Promise<void>) | undefined }));

async function takeSave() {
  const save = seam.beforeNextWrite;
  seam.beforeNextWrite = undefined;
  await save?.();
}

vi.mock('../../../main/core/atomic-write', async (importOriginal) => {
  const real = await importOriginal<typeof AtomicWrite>();
  return {
    ...real,
    writeFileAtomic: async (...args: Parameters<typeof real.writeFileAtomic>) => {
      await takeSave();
      return real.writeFileAtomic(...args);
    },
    prepareAtomicWrite: async (...args: Parameters<typeof real.prepareAtomicWrite>) => {
      await takeSave();
      return real.prepareAtomicWrite(...args);
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
    expect(error.hint).toBe('Look at the file, then try again.');
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

  it("a sync's write keeps a save made after the plan was checked, and says to plan again", async () => {
    const target = path.join(dir.path, '.env');
    await fs.writeFile(target, 'MINE=1\n');
    const text = `version: 1\nprofiles:\n  dev:\n    target: .env\n    sources: [{ set: { SYNCED: "new" } }]\n`;
    const manifest = parseManifest(text, path.join(dir.path, 'latchkey.yml'));
    const env = offlineRuntime(path.join(dir.path, 'home'), memoryKeychain()).syncEnvironment(manifest);
    const prepared = await preparePlan(manifest, 'dev', env);
    // After apply's own look at the target (which would say "changed after the plan was made"), before the write.
    seam.beforeNextWrite = () => fs.writeFile(target, 'MINE=2\n');
    const error = await rejection(prepared.apply());
    expect(error.message).toMatch(/\.env was changed while Latchkey was writing it; nothing was written over it/);
    expect(error.hint).toBe('Look at the file, then run plan again.');
    expect(await fs.readFile(target, 'utf8')).toBe('MINE=2\n');
  });
});
