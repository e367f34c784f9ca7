import { promises as fs, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { isOurTempFile, TEMP_FOLDER, writeFileAtomic, type AtomicWriteOptions } from '../../../main/core/atomic-write';
import { canExchangeEntries, exchangeEntries } from '../../../main/core/exchange-entries';
import { rejection, useTempDir } from '../../support/temp';
import type * as ExchangeEntries from '../../../main/core/exchange-entries';
import type * as NodeFs from 'node:fs';

// The instant between the last look at the target and the swap (or rename) that replaces it is one system call
// wide, so no step hook reaches it. These tests put another program's save there: the real swap runs, right after
// a save made from inside the call to it.
const seam = vi.hoisted(() => ({
  /** Runs once, inside the next call to exchangeEntries, before the real swap. */
  beforeNextSwap: undefined as (() => void) | undefined,
  /** Makes exchangeEntries answer as on a system that cannot swap. */
  off: false,
  /** Refuses the next rename of one of our temps (a held folder's entry on Linux: matched by name) as Windows
   * does for a file held open (EBUSY), and runs this first. */
  duringRenameRefusal: undefined as (() => void) | undefined,
  /** Makes every hard link fail as on a file system without them (FAT, some network shares; Windows here). */
  noHardLinks: false,
}));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof NodeFs>();
  const renameSync: typeof real.renameSync = (from, to) => {
    const refusal = seam.duringRenameRefusal;
    if (refusal && /\d+-[0-9a-f]{12}\.tmp$/.test(String(from))) {
      seam.duringRenameRefusal = undefined;
      refusal();
      throw Object.assign(new Error('EBUSY: resource busy or locked, rename'), { code: 'EBUSY' });
    }
    real.renameSync(from, to);
  };
  const link: typeof real.promises.link = (existing, created) =>
    seam.noHardLinks
      ? Promise.reject(Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' }))
      : real.promises.link(existing, created);
  const promises = { ...real.promises, link };
  return { ...real, renameSync, promises, default: { ...real, renameSync, promises } };
});

vi.mock('../../../main/core/exchange-entries', async (importOriginal) => {
  const real = await importOriginal<typeof ExchangeEntries>();
  return {
    ...real,
    exchangeEntries: (a: string, b: string) => {
      const hook = seam.beforeNextSwap;
      seam.beforeNextSwap = undefined;
      hook?.();
      return seam.off ? false : real.exchangeEntries(a, b);
    },
  };
});

const dir = useTempDir('latchkey-swap-');
const target = () => path.join(dir.path, '.env');
/** Another program's save by rename, as an editor makes it: a new file, renamed over the target. */
const saveByRename = (text: string) => {
  const swp = path.join(dir.path, '.env.swp');
  writeFileSync(swp, text);
  renameSync(swp, target());
};
const tempsLeft = async () => (await fs.readdir(path.join(dir.path, TEMP_FOLDER))).filter(isOurTempFile);

beforeEach(async () => {
  seam.beforeNextSwap = undefined;
  seam.off = false;
  seam.duringRenameRefusal = undefined;
  seam.noHardLinks = false;
  await fs.writeFile(target(), 'A=1\n');
});

describe('exchangeEntries', () => {
  it('swaps two files in one call, and changes nothing when a name is missing', async () => {
    expect(canExchangeEntries()).toBe(process.platform === 'linux' || process.platform === 'darwin');
    if (!canExchangeEntries()) return;
    const other = path.join(dir.path, 'other');
    await fs.writeFile(other, 'B=2\n');
    expect(exchangeEntries(other, target())).toBe(true);
    expect(await fs.readFile(target(), 'utf8')).toBe('B=2\n');
    expect(await fs.readFile(other, 'utf8')).toBe('A=1\n');
    expect(exchangeEntries(path.join(dir.path, 'missing'), target())).toBe(false);
    expect(await fs.readFile(target(), 'utf8')).toBe('B=2\n');
  });
});

const ours = (onStep: AtomicWriteOptions['onStep'] = () => undefined) =>
  writeFileAtomic(target(), 'A=ours\n', { expected: Buffer.from('A=1\n'), onStep });

describe.runIf(canExchangeEntries())('the swap, when another program saves in the same instant', () => {
  it('a save by rename right before the swap is swapped back: kept, and the write refused', async () => {
    seam.beforeNextSwap = () => saveByRename('A=mine\n');
    const error = await rejection(ours());
    expect(error.code).toBe('WRITE_FAILED');
    expect(error.message).toMatch(/was replaced while Latchkey was writing it; nothing was written over it$/);
    expect(await fs.readFile(target(), 'utf8')).toBe('A=mine\n');
    expect(await tempsLeft()).toEqual([]);
  });

  it('a newer save that replaces ours before the swap back stays, as if we had not been there', async () => {
    seam.beforeNextSwap = () => {
      saveByRename('A=mine\n');
      seam.beforeNextSwap = () => saveByRename('A=newer\n');
    };
    const error = await rejection(ours());
    expect(error.message).toMatch(/was replaced while Latchkey was writing it/);
    expect(await fs.readFile(target(), 'utf8')).toBe('A=newer\n');
    expect(await tempsLeft()).toEqual([]);
  });

  it('the put-back of an in-place save keeps a save by rename made in the instant before it', async () => {
    const error = await rejection(
      ours(async (step) => {
        if (step !== 'checked') return;
        // Into the file about to be replaced; then, at the put-back's swap (the second), a save by rename.
        await fs.writeFile(target(), 'A=first\n');
        seam.beforeNextSwap = () => (seam.beforeNextSwap = () => saveByRename('A=second\n'));
      }),
    );
    expect(error.message).toMatch(/the file there now is the other program's$/);
    expect(await fs.readFile(target(), 'utf8')).toBe('A=second\n');
    expect(await tempsLeft()).toEqual([]);
  });
});

describe('where the system cannot swap: the last look and a rename', () => {
  beforeEach(() => {
    seam.off = true;
  });

  it('replaces the file compared', async () => {
    await ours();
    expect(await fs.readFile(target(), 'utf8')).toBe('A=ours\n');
    expect(await tempsLeft()).toEqual([]);
  });

  it('a save by rename after the comparison is seen by the last look: kept, and the write refused', async () => {
    const error = await rejection(ours(async (step) => (step === 'checked' ? saveByRename('A=mine\n') : undefined)));
    expect(error.message).toMatch(/was replaced while Latchkey was writing it; nothing was written over it$/);
    expect(await fs.readFile(target(), 'utf8')).toBe('A=mine\n');
  });

  it('an in-place save into the replaced file is put back by rename', async () => {
    const error = await rejection(
      ours(async (step) => (step === 'checked' ? fs.writeFile(target(), 'A=mine\n') : undefined)),
    );
    expect(error.message).toMatch(/your version is back in place$/);
    expect(await fs.readFile(target(), 'utf8')).toBe('A=mine\n');
    expect(await tempsLeft()).toEqual([]);
  });

  /** Runs `test` as on Windows, where a refused rename is retried. */
  const asWindows = async (test: () => Promise<void>) => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { ...platform, value: 'win32' });
    try {
      await test();
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
  };
  /** The write, with its rename refused once (EBUSY) and `meanwhile` run during that refusal. */
  const refusedOnce = async <T>(write: () => Promise<T>, meanwhile: () => void): Promise<T> => {
    seam.duringRenameRefusal = meanwhile;
    const result = await write();
    expect(seam.duringRenameRefusal, 'the rename was refused once').toBeUndefined();
    return result;
  };

  it('on Windows, a save by rename while a refused rename waits to be retried is seen by the retry, and kept', () =>
    // Windows refuses a rename over a file another program holds open for a moment, and the write retries it. The
    // look at the target is made again before each retry: the wait is milliseconds, not a system call.
    asWindows(async () => {
      const error = await refusedOnce(
        () => rejection(ours()),
        () => saveByRename('A=mine\n'),
      );
      expect(error.message).toMatch(/was replaced while Latchkey was writing it; nothing was written over it$/);
      expect(await fs.readFile(target(), 'utf8')).toBe('A=mine\n');
    }));

  it('on Windows, a rename refused for a moment is retried, and the write goes through', () =>
    asWindows(async () => {
      await refusedOnce(
        () => ours(),
        () => undefined,
      );
      expect(await fs.readFile(target(), 'utf8')).toBe('A=ours\n');
    }));

  it('without hard links (as on Windows), a save during a refused rename is seen by the retry, and kept', () =>
    // Nothing is kept aside to check after the rename there, so the look before each attempt is all there is. The
    // save keeps the file's size: only its modification time gives it away. (Last in the file: the failed link
    // leaves the module believing that this file system has no hard links.)
    asWindows(async () => {
      seam.noHardLinks = true;
      const error = await refusedOnce(
        () => rejection(ours()),
        () => saveByRename('A=2\n'),
      );
      expect(error.message).toMatch(/was changed while Latchkey was writing it; nothing was written over it$/);
      expect(await fs.readFile(target(), 'utf8')).toBe('A=2\n');

      await fs.rm(target());
      const createNew = () => writeFileAtomic(target(), 'A=ours\n', { expected: null });
      const created = await refusedOnce(
        () => rejection(createNew()),
        () => saveByRename('A=new\n'),
      );
      expect(created.message).toMatch(/was created while Latchkey was writing it/);
      expect(await fs.readFile(target(), 'utf8')).toBe('A=new\n');
      expect(await tempsLeft()).toEqual([]);
    }));
});
