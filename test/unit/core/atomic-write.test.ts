import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  assertSafeTarget,
  cleanStaleTemps,
  ensureParentDir,
  isOurTempFile,
  tempPathFor,
  writeFileAtomic,
  type AtomicWriteStep,
} from '../../../main/core/atomic-write';
import { rejection } from '../../support/temp';

let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'latchkey-aw-'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const modeOf = async (file: string) => (await fs.stat(file)).mode & 0o777;
const tempsIn = async (folder: string) => (await fs.readdir(folder)).filter(isOurTempFile);

describe('writeFileAtomic', () => {
  it('creates a new file with mode 0600 and leaves no temp file', async () => {
    const target = path.join(dir, '.env');
    await writeFileAtomic(target, 'A=1\n');
    expect(await fs.readFile(target, 'utf8')).toBe('A=1\n');
    expect(await modeOf(target)).toBe(0o600);
    expect(await tempsIn(dir)).toEqual([]);
  });

  it('replaces an existing file, including its looser mode', async () => {
    const target = path.join(dir, '.env');
    await fs.writeFile(target, 'OLD=1\n', { mode: 0o644 });
    await fs.chmod(target, 0o644);
    await writeFileAtomic(target, 'NEW=2\n');
    expect(await fs.readFile(target, 'utf8')).toBe('NEW=2\n');
    expect(await modeOf(target)).toBe(0o600);
  });

  it('writes bytes as given', async () => {
    const target = path.join(dir, 'key.bin');
    const bytes = new Uint8Array([0, 1, 2, 255, 10, 13]);
    await writeFileAtomic(target, bytes);
    expect(new Uint8Array(await fs.readFile(target))).toEqual(bytes);
  });

  it('applies the requested mode exactly, whatever the umask', async () => {
    const target = path.join(dir, 'shared.txt');
    const previous = process.umask(0o277); // would strip even the owner's write bit
    try {
      await writeFileAtomic(target, 'x', { mode: 0o640 });
      expect(await modeOf(target)).toBe(0o640);
      await writeFileAtomic(target, 'y');
      expect(await modeOf(target)).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('reports each step in order to the test hook, with the temp file beside the target', async () => {
    const target = path.join(dir, '.env');
    const seen: { step: AtomicWriteStep; temp: string; targetNow: string | undefined }[] = [];
    await fs.writeFile(target, 'OLD');
    await writeFileAtomic(target, 'NEW', {
      onStep: async (step, temp) => {
        seen.push({ step, temp, targetNow: await fs.readFile(target, 'utf8').catch(() => undefined) });
      },
    });
    expect(seen.map((s) => s.step)).toEqual(['temp-created', 'temp-written', 'temp-synced', 'renamed', 'dir-synced']);
    expect(seen.map((s) => s.targetNow)).toEqual(['OLD', 'OLD', 'OLD', 'NEW', 'NEW']);
    const temp = seen[0]!.temp;
    expect(path.dirname(temp)).toBe(dir);
    expect(path.basename(temp)).toMatch(/^\.\.env\.latchkey-[0-9a-f]{12}\.tmp$/);
    expect(isOurTempFile(path.basename(temp))).toBe(true);
  });

  it('removes its temp file and keeps the old content when a step fails', async () => {
    const target = path.join(dir, '.env');
    await fs.writeFile(target, 'OLD');
    const error = await rejection(
      writeFileAtomic(target, 'NEW', {
        onStep: (step) => {
          if (step === 'temp-synced') throw new Error('injected');
        },
      }),
    );
    expect(error.code).toBe('WRITE_FAILED');
    expect(error.message).toContain(target);
    expect(await fs.readFile(target, 'utf8')).toBe('OLD');
    expect(await tempsIn(dir)).toEqual([]);
  });

  it('fails with WRITE_FAILED naming the path when the target cannot be replaced, and cleans up', async () => {
    const target = path.join(dir, 'a-folder');
    await fs.mkdir(target);
    const error = await rejection(writeFileAtomic(target, 'SECRET_VALUE_123'));
    expect(error.code).toBe('WRITE_FAILED');
    expect(error.message).toContain(target);
    expect(error.message).not.toContain('SECRET_VALUE_123');
    expect(await tempsIn(dir)).toEqual([]);
  });

  it('fails with WRITE_FAILED when the folder does not exist', async () => {
    const target = path.join(dir, 'missing', '.env');
    const error = await rejection(writeFileAtomic(target, 'x'));
    expect(error.code).toBe('WRITE_FAILED');
    expect(error.message).toContain(target);
  });

  it('keeps temp names short for long target names', () => {
    const temp = tempPathFor(path.join(dir, 'n'.repeat(250)));
    expect(path.basename(temp).length).toBeLessThanOrEqual(255);
    expect(isOurTempFile(path.basename(temp))).toBe(true);
  });

  it('survives many concurrent writers to one target: the result is exactly one of the contents', async () => {
    const target = path.join(dir, '.env');
    const contents = Array.from({ length: 20 }, (_, i) => `K=${String(i).repeat(1000)}\n`);
    await Promise.all(contents.map((c) => writeFileAtomic(target, c)));
    expect(contents).toContain(await fs.readFile(target, 'utf8'));
    expect(await tempsIn(dir)).toEqual([]);
  });
});

describe('cleanStaleTemps', () => {
  it('removes only our own temp files older than a minute', async () => {
    const old = path.join(dir, '.env.latchkey-0123456789ab.tmp');
    const fresh = path.join(dir, '.env.latchkey-ba9876543210.tmp');
    const foreign = path.join(dir, 'notes.tmp');
    const lookalike = path.join(dir, '.env.latchkey-notours.tmp');
    for (const file of [old, fresh, foreign, lookalike]) await fs.writeFile(file, 'x');
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    for (const file of [old, foreign, lookalike]) await fs.utimes(file, twoMinutesAgo, twoMinutesAgo);

    expect(await cleanStaleTemps(dir)).toEqual([old]);
    expect((await fs.readdir(dir)).sort()).toEqual(
      [path.basename(fresh), path.basename(foreign), path.basename(lookalike)].sort(),
    );
    expect(await cleanStaleTemps(dir, { maxAgeMs: 0 })).toEqual([fresh]);
  });

  it('leaves a folder with our temp name alone, and treats a missing folder as empty', async () => {
    await fs.mkdir(path.join(dir, '.x.latchkey-0123456789ab.tmp'));
    expect(await cleanStaleTemps(dir, { maxAgeMs: 0 })).toEqual([]);
    expect(await cleanStaleTemps(path.join(dir, 'nope'))).toEqual([]);
  });
});

describe('assertSafeTarget', () => {
  let root: string;
  let outside: string;

  beforeEach(async () => {
    root = path.join(dir, 'project');
    outside = path.join(dir, 'elsewhere');
    await fs.mkdir(root);
    await fs.mkdir(outside);
  });

  const refusal = async (target: string, rootDir = root) => {
    const error = await rejection(assertSafeTarget(target, rootDir));
    expect(error.code).toBe('TARGET_UNSAFE');
    expect(error.message).toContain(path.resolve(target));
    return error.message;
  };

  it('accepts a regular file, a file that does not exist yet, and one in folders still to create', async () => {
    await fs.writeFile(path.join(root, '.env'), '');
    await expect(assertSafeTarget(path.join(root, '.env'), root)).resolves.toBeUndefined();
    await expect(assertSafeTarget(path.join(root, '.env.local'), root)).resolves.toBeUndefined();
    await expect(assertSafeTarget(path.join(root, 'certs', 'tls', 'dev.key'), root)).resolves.toBeUndefined();
  });

  it('refuses a symlink, even one pointing inside the root', async () => {
    await fs.writeFile(path.join(root, 'real.env'), '');
    await fs.symlink(path.join(root, 'real.env'), path.join(root, '.env'));
    expect(await refusal(path.join(root, '.env'))).toMatch(/symlink/);
    await fs.symlink(path.join(root, 'nowhere'), path.join(root, 'dangling.env'));
    expect(await refusal(path.join(root, 'dangling.env'))).toMatch(/symlink/);
  });

  it('refuses something that is not a regular file', async () => {
    await fs.mkdir(path.join(root, '.env'));
    expect(await refusal(path.join(root, '.env'))).toMatch(/not a regular file/);
  });

  it('refuses a target outside the root, and the root itself', async () => {
    expect(await refusal(path.join(root, '..', 'elsewhere', '.env'))).toMatch(/outside/);
    expect(await refusal(path.join(outside, '.env'))).toMatch(/outside/);
    expect(await refusal(path.join(`${root}-sibling`, '.env'))).toMatch(/outside/);
    expect(await refusal(root)).toMatch(/outside/);
  });

  it('refuses a target whose folder is a symlink leading outside the root', async () => {
    await fs.symlink(outside, path.join(root, 'linked'));
    expect(await refusal(path.join(root, 'linked', '.env'))).toMatch(/symlinked folder/);
    expect(await refusal(path.join(root, 'linked', 'deeper', 'dev.key'))).toMatch(/symlinked folder/);
  });

  it('accepts a symlinked folder that stays inside, and a root reached through a symlink', async () => {
    await fs.mkdir(path.join(root, 'config'));
    await fs.symlink(path.join(root, 'config'), path.join(root, 'cfg'));
    await expect(assertSafeTarget(path.join(root, 'cfg', '.env'), root)).resolves.toBeUndefined();
    const rootLink = path.join(dir, 'project-link');
    await fs.symlink(root, rootLink);
    await expect(assertSafeTarget(path.join(rootLink, '.env'), rootLink)).resolves.toBeUndefined();
  });

  it('refuses when a folder on the way is a file', async () => {
    await fs.writeFile(path.join(root, 'certs'), '');
    expect(await refusal(path.join(root, 'certs', 'dev.key'))).toMatch(/not a folder/);
  });

  it('refuses when the root does not exist', async () => {
    const missingRoot = path.join(dir, 'gone');
    expect(await refusal(path.join(missingRoot, '.env'), missingRoot)).toMatch(/root folder/);
  });
});

describe('ensureParentDir', () => {
  let root: string;

  beforeEach(async () => {
    root = path.join(dir, 'project');
    await fs.mkdir(root);
  });

  it('creates missing folders inside the root with mode 0700', async () => {
    const target = path.join(root, 'certs', 'tls', 'dev.key');
    await ensureParentDir(target, root);
    expect(await modeOf(path.join(root, 'certs'))).toBe(0o700);
    expect(await modeOf(path.join(root, 'certs', 'tls'))).toBe(0o700);
    await writeFileAtomic(target, 'key');
    await expect(assertSafeTarget(target, root)).resolves.toBeUndefined();
    await ensureParentDir(target, root); // idempotent
  });

  it('does nothing for a target directly in the root', async () => {
    await ensureParentDir(path.join(root, '.env'), root);
    expect(await fs.readdir(root)).toEqual([]);
  });

  it('refuses to create folders through a symlink leading outside', async () => {
    const outside = path.join(dir, 'elsewhere');
    await fs.mkdir(outside);
    await fs.symlink(outside, path.join(root, 'linked'));
    const error = await rejection(ensureParentDir(path.join(root, 'linked', 'certs', 'dev.key'), root));
    expect(error.code).toBe('TARGET_UNSAFE');
    expect(await fs.readdir(outside)).toEqual([]);
  });

  it('refuses a target outside the root', async () => {
    const error = await rejection(ensureParentDir(path.join(root, '..', 'x', 'dev.key'), root));
    expect(error.code).toBe('TARGET_UNSAFE');
    await expect(fs.stat(path.join(dir, 'x'))).rejects.toThrow();
  });
});
