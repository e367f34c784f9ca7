import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { PlanSchema, type Plan } from '../../contract/plan';
import { PackedPlanSchema, packPlan, type PackedPlan } from '../../contract/plan-packing';
import { writeFileAtomic } from './atomic-write';
import { ensurePrivateDir } from './paths';

/**
 * The last plan the app made of a profile, kept so that opening the profile shows its table at once (names, sources,
 * versions, ages, statuses as of that plan) while the live plan is made (issue 14, items 1 and 5). A plan never holds
 * a value (contract/plan.ts), and its keyed fingerprints are left out here, so this file holds neither. It is only ever a first picture: a file
 * that is missing, unreadable, of another version, with a digest that does not match or of another profile is
 * simply no picture, never an error.
 *
 * It is kept packed (contract/plan-packing.ts), as the window receives it: checked against PlanSchema when it is
 * written and sealed with a SHA-256 of its entry chunks, so reading it back for the first paint is a JSON.parse and a
 * digest, not a schema pass over 5,000 entries (that pass took most of a second on a busy machine).
 */

const CACHE_DIR_NAME = 'plan-cache';
const CACHE_VERSION = 2;

const PlanCacheSchema = z.object({
  version: z.literal(CACHE_VERSION),
  /** ISO time the plan was made. */
  savedAt: z.string(),
  plan: PackedPlanSchema,
  /** SHA-256 (hex) of the entry chunks as written: a file changed or cut since is no picture. */
  digest: z.string(),
});

export interface CachedPlan {
  plan: PackedPlan;
  savedAt: string;
}

function shortDigest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
}

/**
 * One folder per project folder, so that forgetting a project can drop its pictures without reading any file, and
 * one file per profile of a manifest in it, named by a hash of both (paths can hold anything; file names cannot).
 */
export function planCachePath(appDir: string, manifestPath: string, profile: string): string {
  const manifest = path.resolve(manifestPath);
  return path.join(
    appDir,
    CACHE_DIR_NAME,
    projectFolderKey(path.dirname(manifest)),
    `${shortDigest(`${manifest}\u0000${profile}`)}.json`,
  );
}

function projectFolderKey(dir: string): string {
  return shortDigest(path.resolve(dir));
}

/**
 * A change's context (lengths and keyed fingerprints of each side) is for reviewing a live plan; the first picture
 * needs none of it, and a file on disk is no place for anything derived from a value.
 */
function withoutFingerprints(plan: Plan): Plan {
  return { ...plan, entries: plan.entries.map(({ context: _context, ...entry }) => entry) };
}

function digestOf(chunks: readonly string[]): string {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(`${chunk.length}:`, 'utf8').update(chunk, 'utf8');
  return hash.digest('hex');
}

/** Replaces the profile's cached plan (atomic, 0600, in a 0700 folder). */
export async function savePlanCache(appDir: string, plan: Plan, savedAt: Date): Promise<void> {
  const packed = packPlan(withoutFingerprints(PlanSchema.parse(plan)));
  const file = planCachePath(appDir, packed.manifestPath, packed.profile);
  await ensurePrivateDir(path.join(appDir, CACHE_DIR_NAME));
  await ensurePrivateDir(path.dirname(file));
  const body = {
    version: CACHE_VERSION,
    savedAt: savedAt.toISOString(),
    plan: packed,
    digest: digestOf(packed.entryChunks),
  } satisfies z.input<typeof PlanCacheSchema>;
  await writeFileAtomic(file, JSON.stringify(body), { mode: 0o600 });
}

/** The profile's cached plan, or undefined when there is none that can be trusted to be this profile's. */
export async function loadPlanCache(
  appDir: string,
  manifestPath: string,
  profile: string,
): Promise<CachedPlan | undefined> {
  let text: string;
  try {
    text = await fs.readFile(planCachePath(appDir, manifestPath, profile), 'utf8');
  } catch {
    return undefined;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = PlanCacheSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const { plan, savedAt, digest } = parsed.data;
  if (digestOf(plan.entryChunks) !== digest) return undefined;
  // A hash collision or a hand-copied file must not show another profile's keys.
  if (plan.profile !== profile || path.resolve(plan.manifestPath) !== path.resolve(manifestPath)) return undefined;
  return { plan, savedAt };
}

/**
 * Drops the pictures of every project folder not in `keptDirs` (a forgotten project, one that fell off the recent
 * list, and files of the earlier flat layout): names, versions and ages of a project the user let go of have no
 * business staying on disk. Best effort: a cache that cannot be pruned now is pruned next time.
 */
export async function prunePlanCaches(appDir: string, keptDirs: readonly string[]): Promise<void> {
  const root = path.join(appDir, CACHE_DIR_NAME);
  let names: string[];
  try {
    names = await fs.readdir(root);
  } catch {
    return;
  }
  const kept = new Set(keptDirs.map(projectFolderKey));
  await Promise.all(
    names
      .filter((name) => !kept.has(name))
      .map((name) => fs.rm(path.join(root, name), { recursive: true, force: true }).catch(() => undefined)),
  );
}
