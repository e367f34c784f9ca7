import { promises as fs, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { isOurTempFile, TEMP_FOLDER, writeFileAtomic, type AtomicWriteOptions } from '../../../main/core/atomic-write';
import { canExchangeEntries, exchangeEntries } from '../../../main/core/exchange-entries';
import { rejection, useTempDir } from '../../support/temp';
import type * as ExchangeEntries from '../../../main/core/exchange-entries';

// The instant between the last look at the target and the swap (or rename) that replaces it is one system call
// wide, so no step hook reaches it. These tests put another program's save there: the real swap runs, right after
// a save made from inside the call to it.
const seam = vi.hoisted(() => ({
  /** Runs once, inside the next call to exchangeEntries, before the real swap. */
  beforeNextSwap: undefined as (() => void) | undefined,
  /** Makes exchangeEntries answer as on a system that cannot swap. */
  off: false,
}));

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
});
