import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LISTING_SIZES_FILE,
  MAX_LISTING_SIZES,
  listingSizesInMemory,
  openListingSizes,
} from '../../../main/sources/listing-sizes';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'latchkey-sizes-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const fileOf = () => path.join(dir, LISTING_SIZES_FILE);
const readFile = () => JSON.parse(readFileSync(fileOf(), 'utf8')) as { version: number; sizes: object };

describe('listing sizes in memory', () => {
  it('answers what was recorded last for each path, and nothing for others', () => {
    const sizes = listingSizesInMemory([['/web/dev', 3]]);
    sizes.record('/web/dev', 40);
    sizes.record('/api/dev', 0);
    expect(sizes.sizeOf('/web/dev')).toBe(40);
    expect(sizes.sizeOf('/api/dev')).toBe(0);
    expect(sizes.sizeOf('/other')).toBeUndefined();
  });

  it('saves only after a change, and keeps the most recently listed paths', async () => {
    const saved: [string, number][][] = [];
    const initial = Array.from({ length: MAX_LISTING_SIZES }, (_, i) => [`/svc/${i}`, i] as const);
    const sizes = listingSizesInMemory(initial, async (all) => {
      saved.push([...all]);
    });
    await sizes.save();
    sizes.record('/svc/5', 5);
    await sizes.save();
    expect(saved).toHaveLength(0);

    sizes.record('/svc/0', 7);
    sizes.record('/new', 1);
    await sizes.save();
    expect(saved).toHaveLength(1);
    const kept = new Map(saved[0]);
    expect(kept.size).toBe(MAX_LISTING_SIZES);
    // /svc/1 was the oldest once /svc/0 was listed again.
    expect(kept.has('/svc/1')).toBe(false);
    expect(kept.get('/svc/0')).toBe(7);
    expect(kept.get('/new')).toBe(1);
  });

  it('a save that fails is not an error, and is tried again with the next change', async () => {
    let attempts = 0;
    const sizes = listingSizesInMemory([], async () => {
      attempts += 1;
      throw new Error('disk full');
    });
    sizes.record('/a', 1);
    await expect(sizes.save()).resolves.toBeUndefined();
    await sizes.save();
    sizes.record('/a', 2);
    await sizes.save();
    expect(attempts).toBe(2);
  });
});

describe('listing sizes in the app-data folder', () => {
  it('round-trips through a private file that holds paths and counts only', async () => {
    const first = await openListingSizes(dir);
    expect(first.sizeOf('/web/dev')).toBeUndefined();
    first.record('/web/dev', 12);
    first.record('/big', 300);
    await first.save();

    expect(readFile()).toEqual({ version: 1, sizes: { '/web/dev': 12, '/big': 300 } });
    expect(statSync(fileOf()).mode & 0o777).toBe(0o600);
    const second = await openListingSizes(dir);
    expect(second.sizeOf('/big')).toBe(300);
  });

  it('treats a missing, damaged or foreign file as no hints', async () => {
    for (const body of ['{"version":1,"sizes":{"/a":', '{"version":2,"sizes":{}}', '{"version":1,"sizes":{"/a":-1}}']) {
      writeFileSync(fileOf(), body);
      const sizes = await openListingSizes(dir);
      expect(sizes.sizeOf('/a')).toBeUndefined();
    }
    rmSync(fileOf());
    expect((await openListingSizes(dir)).sizeOf('/a')).toBeUndefined();
  });

  it('a file it cannot replace costs the hint only', async () => {
    const sizes = await openListingSizes(dir);
    // A folder in the file's place: no rename can replace it, even for root (CI runs as root).
    mkdirSync(fileOf());
    sizes.record('/a', 1);
    await expect(sizes.save()).resolves.toBeUndefined();
    expect(statSync(fileOf()).isDirectory()).toBe(true);
    expect((await openListingSizes(dir)).sizeOf('/a')).toBeUndefined();
  });
});
