import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { writeFileAtomic } from '../core/atomic-write';
import { ensurePrivateDir } from '../core/paths';

/**
 * How many parameters each chamber service had when it was last listed in full, remembered between runs so that the
 * next resolve can start the largest services first (issue 12: a plan over 1,000 keys).
 *
 * A large service is a chain of pages, each one round trip after the last; started last, as manifest order had it, it
 * was most of a plan's time while the other requests had long finished. Knowing the sizes, the SSM source starts the
 * largest first and lists a large one 50 names a page from its first request, not 10 values a page.
 *
 * A size is only a hint: a wrong, stale or missing one costs speed, never a value, so an unreadable file is no hints.
 * The file holds SSM paths (as the manifest does) and counts: never a name below a path, nor a value.
 */
export interface ListingSizes {
  /** Parameters under `path` when it was last listed in full, if it ever was here. */
  sizeOf(path: string): number | undefined;
  /** A listing of `path` ended with `count` parameters. */
  record(path: string, count: number): void;
  /** Writes what changed since the last save; never throws (a hint that could not be kept is only slower). */
  save(): Promise<void>;
}

/** The hints file in the app-data folder. */
export const LISTING_SIZES_FILE = 'ssm-listing-sizes.json';
const FILE_VERSION = 1;
/** Paths kept, the most recently listed first: a few hundred services is a large organisation. */
export const MAX_LISTING_SIZES = 1000;

const ListingSizesFileSchema = z.object({
  version: z.literal(FILE_VERSION),
  sizes: z.record(z.string(), z.number().int().nonnegative()),
});

/** Sizes held in memory only: a long-lived process, or a test. `persist` is how `save` keeps them, if at all. */
export function listingSizesInMemory(
  initial: Iterable<readonly [string, number]> = [],
  persist?: (sizes: ReadonlyMap<string, number>) => Promise<void>,
): ListingSizes {
  // Insertion order is recency: a path recorded again moves to the end, and the oldest are dropped first.
  const sizes = new Map<string, number>(initial);
  let changed = false;
  return {
    sizeOf: (at) => sizes.get(at),
    record(at, count) {
      if (sizes.get(at) === count) return;
      sizes.delete(at);
      sizes.set(at, count);
      changed = true;
    },
    async save() {
      if (!changed || !persist) return;
      changed = false;
      for (const oldest of [...sizes.keys()].slice(0, Math.max(0, sizes.size - MAX_LISTING_SIZES))) {
        sizes.delete(oldest);
      }
      try {
        await persist(sizes);
      } catch {
        // Left for the next change to write; nothing depends on the file but the order of requests.
      }
    },
  };
}

/** The sizes kept in `appDir`'s hints file, read once now; `save` replaces the file whole (atomic, 0600). */
export async function openListingSizes(appDir: string): Promise<ListingSizes> {
  const file = path.join(appDir, LISTING_SIZES_FILE);
  return listingSizesInMemory(Object.entries(await readSizes(file)), async (sizes) => {
    await ensurePrivateDir(appDir);
    const body = { version: FILE_VERSION, sizes: Object.fromEntries(sizes) };
    await writeFileAtomic(file, `${JSON.stringify(body)}\n`);
  });
}

async function readSizes(file: string): Promise<Record<string, number>> {
  try {
    const parsed = ListingSizesFileSchema.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
    return parsed.success ? parsed.data.sizes : {};
  } catch {
    return {};
  }
}
