import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  assertSafeTarget,
  cleanStaleTemps,
  ensureParentDir,
  ensureFileMode,
  isOurTempFile,
  TEMP_FOLDER,
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
/** What writes left behind: our temp names in the private folder, and anything temp-like beside the target. */
const tempsIn = async (folder: string) => [
  ...(await fs.readdir(path.join(folder, TEMP_FOLDER)).catch(() => [] as string[])).filter(isOurTempFile),
  ...(await fs.readdir(folder)).filter((name) => /latchkey.*\.tmp$/.test(name)),
];

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

  it('reports each step in order to the test hook, with the temp file in the private folder beside the target', async () => {
    const target = path.join(dir, '.env');
    const seen: { step: AtomicWriteStep; temp: string; targetNow: string | undefined }[] = [];
    await fs.writeFile(target, 'OLD');
    await writeFileAtomic(target, 'NEW', {
      onStep: async (step, temp) => {
        seen.push({ step, temp, targetNow: await fs.readFile(target, 'utf8').catch(() => undefined) });
      },
    });
    expect(seen.map((s) => s.step)).toEqual([
      'temp-created',
      'temp-written',
      'temp-synced',
      'checked',
      'renamed',
      'dir-synced',
    ]);
    expect(seen.map((s) => s.targetNow)).toEqual(['OLD', 'OLD', 'OLD', 'OLD', 'NEW', 'NEW']);
    const temp = seen[0]!.temp;
    expect(path.dirname(temp)).toBe(path.join(await fs.realpath(dir), TEMP_FOLDER));
    expect(path.basename(temp)).toMatch(new RegExp(`^${process.pid}-[0-9a-f]{12}\\.tmp$`));
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

  it('writes targets whose names are as long as the file system allows (temp names do not depend on them)', async () => {
    const target = path.join(dir, 'n'.repeat(250));
    await writeFileAtomic(target, 'x');
    expect(await fs.readFile(target, 'utf8')).toBe('x');
    expect(await tempsIn(dir)).toEqual([]);
  });

  it('survives many concurrent writers to one target: the result is exactly one of the contents', async () => {
    const target = path.join(dir, '.env');
    const contents = Array.from({ length: 20 }, (_, i) => `K=${String(i).repeat(1000)}\n`);
    await Promise.all(contents.map((c) => writeFileAtomic(target, c)));
    expect(contents).toContain(await fs.readFile(target, 'utf8'));
    expect(await tempsIn(dir)).toEqual([]);
  });
});

describe('temp files (issue 10, item 4)', () => {
  it('live in a private 0700 folder that git ignores whatever the user ignores', async () => {
    execFileSync('git', ['init', '-q', dir]);
    const target = path.join(dir, '.env');
    let ignored: string | undefined;
    await writeFileAtomic(target, 'A=secret\n', {
      onStep: (step, temp) => {
        if (step !== 'temp-synced') return;
        ignored = execFileSync('git', ['check-ignore', '--no-index', path.relative(dir, temp)], {
          cwd: dir,
        }).toString();
      },
    });
    expect(ignored?.trim()).toMatch(new RegExp(`^${TEMP_FOLDER}/\\d+-[0-9a-f]{12}\\.tmp$`));
    expect(await modeOf(path.join(dir, TEMP_FOLDER))).toBe(0o700);
    // Nothing of the folder shows up for git, not even its own .gitignore.
    expect(execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: dir }).toString()).toBe(
      '?? .env\n',
    );
  });

  it('the next write removes temps of processes that are gone, and leaves a live one alone', async () => {
    await fs.mkdir(path.join(dir, TEMP_FOLDER), { mode: 0o700 });
    const dead = path.join(dir, TEMP_FOLDER, '2147483646-0123456789ab.tmp');
    const deadAside = path.join(dir, TEMP_FOLDER, '2147483646-ba9876543210.old');
    const live = path.join(dir, TEMP_FOLDER, `${process.ppid}-aaaaaaaaaaaa.tmp`);
    const foreign = path.join(dir, TEMP_FOLDER, 'notes.txt');
    const legacyOld = path.join(dir, '..env.latchkey-0123456789ab.tmp');
    const legacyFresh = path.join(dir, '..env.latchkey-ba9876543210.tmp');
    for (const file of [dead, deadAside, live, foreign, legacyOld, legacyFresh]) await fs.writeFile(file, 'SECRET=x');
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await fs.utimes(legacyOld, twoMinutesAgo, twoMinutesAgo);

    await writeFileAtomic(path.join(dir, '.env'), 'A=1\n');
    const exists = async (file: string) => (await fs.stat(file).catch(() => undefined)) !== undefined;
    expect(await exists(dead)).toBe(false);
    expect(await exists(deadAside)).toBe(false);
    expect(await exists(legacyOld)).toBe(false);
    expect(await exists(live)).toBe(true);
    expect(await exists(foreign)).toBe(true);
    expect(await exists(legacyFresh)).toBe(true);
  });

  it('cleanStaleTemps does the same without writing, and treats a missing folder as empty', async () => {
    await fs.mkdir(path.join(dir, TEMP_FOLDER), { mode: 0o700 });
    const dead = path.join(dir, TEMP_FOLDER, '2147483646-0123456789ab.tmp');
    await fs.writeFile(dead, 'x');
    await fs.mkdir(path.join(dir, TEMP_FOLDER, '2147483646-000000000000.tmp'));
    expect(await cleanStaleTemps(dir)).toEqual([path.join(await fs.realpath(dir), TEMP_FOLDER, path.basename(dead))]);
    expect(await cleanStaleTemps(path.join(dir, 'nope'))).toEqual([]);
  });

  it('refuses a temp folder that is a symlink, and writes nothing through it', async () => {
    const elsewhere = path.join(dir, 'elsewhere');
    await fs.mkdir(elsewhere);
    await fs.mkdir(path.join(dir, 'project'));
    await fs.symlink(elsewhere, path.join(dir, 'project', TEMP_FOLDER));
    const error = await rejection(writeFileAtomic(path.join(dir, 'project', '.env'), 'A=secret\n'));
    expect(error.code).toBe('TARGET_UNSAFE');
    expect(await fs.readdir(elsewhere)).toEqual([]);
  });
});

describe('a change to the target during the write (issue 10, item 3)', () => {
  const target = () => path.join(dir, '.env');
  const write = (at: AtomicWriteStep, edit: () => Promise<void>) =>
    writeFileAtomic(target(), 'A=ours\n', {
      expected: Buffer.from('A=1\n'),
      onStep: async (step) => {
        if (step === at) await edit();
      },
    });

  beforeEach(async () => {
    await fs.writeFile(target(), 'A=1\n');
  });

  it('is caught before the rename: an in-place save, a rename save, a deletion', async () => {
    const inPlace = await rejection(write('temp-synced', () => fs.writeFile(target(), 'A=mine\n')));
    expect(inPlace.code).toBe('WRITE_FAILED');
    expect(inPlace.message).toMatch(/was changed while Latchkey was writing it/);
    expect(await fs.readFile(target(), 'utf8')).toBe('A=mine\n');

    await fs.writeFile(target(), 'A=1\n');
    await rejection(
      write('temp-synced', async () => {
        await fs.writeFile(path.join(dir, '.env.swp'), 'A=saved\n');
        await fs.rename(path.join(dir, '.env.swp'), target());
      }),
    );
    expect(await fs.readFile(target(), 'utf8')).toBe('A=saved\n');

    await fs.writeFile(target(), 'A=1\n');
    expect((await rejection(write('temp-synced', () => fs.rm(target())))).message).toMatch(/was deleted/);
    expect(await fs.stat(target()).catch(() => undefined)).toBeUndefined();
    expect(await tempsIn(dir)).toEqual([]);
  });

  it('an in-place save into the replaced file, right before the rename, is put back', async () => {
    const error = await rejection(write('checked', () => fs.writeFile(target(), 'A=mine\n')));
    expect(error.message).toMatch(/^conflict: .* changed while Latchkey was writing; your version is back in place$/);
    expect(error.hint).toBe('Look at the file, then try again.');
    expect(await fs.readFile(target(), 'utf8')).toBe('A=mine\n');
    expect(await tempsIn(dir)).toEqual([]);
  });

  it('a save by rename after the last comparison, right before the rename, is kept and the write refused', async () => {
    // The window a save by rename used to be lost in: after the target was compared and linked aside.
    const error = await rejection(
      write('checked', async () => {
        await fs.writeFile(path.join(dir, '.env.swp'), 'A=mine\n');
        await fs.rename(path.join(dir, '.env.swp'), target());
      }),
    );
    expect(error.message).toMatch(
      /^conflict: .* was replaced while Latchkey was writing it; nothing was written over it$/,
    );
    expect(await fs.readFile(target(), 'utf8')).toBe('A=mine\n');
    expect(await tempsIn(dir)).toEqual([]);
  });

  it('an in-place save before the rename, then a save by rename after it: the newest save stays', async () => {
    const error = await rejection(
      writeFileAtomic(target(), 'A=ours\n', {
        expected: Buffer.from('A=1\n'),
        onStep: async (step) => {
          // Into the file about to be replaced (and kept aside), then over ours once it is in place.
          if (step === 'checked') await fs.writeFile(target(), 'A=first\n');
          if (step === 'renamed') {
            await fs.writeFile(path.join(dir, '.env.swp'), 'A=second\n');
            await fs.rename(path.join(dir, '.env.swp'), target());
          }
        },
      }),
    );
    // The put-back of the first save must not go over the second.
    expect(error.message).toMatch(/the file there now is the other program's$/);
    expect(await fs.readFile(target(), 'utf8')).toBe('A=second\n');
  });

  it('a save right after the rename wins, and the write says it did not stick', async () => {
    const error = await rejection(
      write('renamed', async () => {
        await fs.writeFile(path.join(dir, '.env.swp'), 'A=later\n');
        await fs.rename(path.join(dir, '.env.swp'), target());
      }),
    );
    expect(error.message).toMatch(/was replaced right after Latchkey wrote it/);
    expect(await fs.readFile(target(), 'utf8')).toBe('A=later\n');
  });

  it('a file created where none was expected is never replaced', async () => {
    await fs.rm(target());
    const error = await rejection(
      writeFileAtomic(target(), 'A=ours\n', {
        expected: null,
        onStep: async (step) => {
          if (step === 'checked') await fs.writeFile(target(), 'A=theirs\n');
        },
      }),
    );
    expect(error.message).toMatch(/was created/);
    expect(await fs.readFile(target(), 'utf8')).toBe('A=theirs\n');
  });

  it('waits out an in-place save that has truncated the file and not yet written it', async () => {
    // The plan read the file between the editor's truncate and its write: what it expects is the empty file.
    await fs.writeFile(target(), '');
    const error = await rejection(
      writeFileAtomic(target(), 'A=ours\n', {
        expected: Buffer.alloc(0),
        onStep: async (step) => {
          if (step !== 'temp-synced') return;
          const editor = await fs.open(target(), 'w');
          setTimeout(() => void editor.writeFile('A=mine\n').finally(() => editor.close()), 20);
        },
      }),
    );
    expect(error.message).toMatch(/was changed while Latchkey was writing it/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await fs.readFile(target(), 'utf8')).toBe('A=mine\n');
  });

  it('writes when nothing changed, and leaves no aside behind', async () => {
    await write('temp-synced', async () => undefined);
    expect(await fs.readFile(target(), 'utf8')).toBe('A=ours\n');
    expect(await tempsIn(dir)).toEqual([]);
  });
});

describe('a parent folder swapped during the write (issue 10, item 2)', () => {
  let root: string;
  let outside: string;
  const swap = async () => {
    await fs.rename(path.join(root, 'sub'), path.join(root, 'sub.moved'));
    await fs.symlink(outside, path.join(root, 'sub'));
  };
  const outsideFiles = async () => (await fs.readdir(outside, { recursive: true })).map(String);

  beforeEach(async () => {
    root = path.join(dir, 'project');
    outside = path.join(dir, 'outside');
    await fs.mkdir(path.join(root, 'sub'), { recursive: true });
    await fs.mkdir(outside);
    await fs.writeFile(path.join(root, 'sub', '.env'), 'A=old\n');
  });

  for (const step of ['temp-created', 'temp-synced', 'checked', 'renamed'] as const) {
    it(`at '${step}': not a byte outside, and the write is refused`, async () => {
      const error = await rejection(
        writeFileAtomic(path.join(root, 'sub', '.env'), 'A=secret-canary\n', {
          root,
          onStep: async (s) => {
            if (s === step) await swap();
          },
        }),
      );
      expect(error.code).toBe('TARGET_UNSAFE');
      expect(await outsideFiles()).toEqual([]);
      // The held folder keeps the old file: an undone write leaves what was there.
      expect(await fs.readFile(path.join(root, 'sub.moved', '.env'), 'utf8')).toBe('A=old\n');
      expect(await tempsIn(path.join(root, 'sub.moved'))).toEqual([]);
    });
  }

  it('creates missing folders without following a symlink put in their place', async () => {
    const error = await rejection(
      writeFileAtomic(path.join(root, 'new', 'deeper', 'dev.key'), 'KEY', {
        root,
        createFolders: true,
        onStep: async (s) => {
          if (s === 'temp-created') {
            await fs.rename(path.join(root, 'new'), path.join(root, 'new.moved'));
            await fs.symlink(outside, path.join(root, 'new'));
          }
        },
      }),
    );
    expect(error.code).toBe('TARGET_UNSAFE');
    expect(await outsideFiles()).toEqual([]);
  });
});

describe('ensureFileMode (issue 10, item 14)', () => {
  it('tightens a world-readable file and says what it was, without following a symlink', async () => {
    const target = path.join(dir, '.env');
    await fs.writeFile(target, 'A=1\n');
    await fs.chmod(target, 0o644);
    expect(await ensureFileMode(target, 0o600, dir)).toBe(0o644);
    expect(await modeOf(target)).toBe(0o600);
    expect(await ensureFileMode(target, 0o600, dir)).toBeUndefined();
    await fs.writeFile(path.join(dir, 'real.env'), '');
    await fs.chmod(path.join(dir, 'real.env'), 0o644);
    await fs.symlink(path.join(dir, 'real.env'), path.join(dir, 'link.env'));
    await expect(ensureFileMode(path.join(dir, 'link.env'), 0o600, dir)).rejects.toThrow();
    expect(await modeOf(path.join(dir, 'real.env'))).toBe(0o644);
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

  it('refuses refused locations by their real path: a folder linked into .git, a root inside .git (item 1)', async () => {
    await fs.mkdir(path.join(root, '.git', 'hooks'), { recursive: true });
    await fs.symlink(path.join(root, '.git'), path.join(root, 'conf'));
    expect(await refusal(path.join(root, 'conf', 'config'))).toMatch(/version-control metadata \(\.git\)/);
    expect(await refusal(path.join(root, 'conf', 'hooks', 'pre-commit'))).toMatch(/version-control metadata/);
    const insideGit = path.join(root, '.git', 'sub');
    await fs.mkdir(insideGit);
    expect(await refusal(path.join(insideGit, '.env'), insideGit)).toMatch(/version-control metadata/);
    await fs.mkdir(path.join(root, 'home'));
    await fs.symlink(path.join(root, 'home'), path.join(root, '.ssh'));
    expect(await refusal(path.join(root, '.ssh', 'authorized_keys'))).toMatch(/credential/);
    expect(await refusal(path.join(root, '.bashrc'))).toMatch(/shell reads/);
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
