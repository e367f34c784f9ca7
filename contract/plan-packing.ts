import * as z from 'zod';
import { PlanSchema, type Plan } from './plan';

/**
 * How a plan crosses from main to the window (issue 14, item 5). A 5,000-key plan is about 100,000 objects; copied
 * across the bridge as objects, the window rebuilt all of them in one task of seconds. Packed, the plan's head
 * (counts, warnings, files, offline sources) crosses as it is and its entries cross as a few JSON texts of
 * PLAN_CHUNK_ENTRIES entries each: a string crosses as one piece, and the window parses one chunk per task.
 * What is packed is what PlanSchema lets through (unknown fields stripped), so the packing is no way around the
 * contract's guard: a plan still never carries a value.
 */

export const PLAN_CHUNK_ENTRIES = 500;
/**
 * The first chunk is smaller: a screenful of rows and some, so a cached picture can paint from it while the rest
 * crosses (plan.cached, then plan.cachedChunk).
 */
export const PLAN_HEAD_ENTRIES = 100;

export const PackedPlanSchema = PlanSchema.omit({ entries: true }).extend({
  /** The entries, in order, as JSON arrays of at most PLAN_CHUNK_ENTRIES entries each. */
  entryChunks: z.array(z.string()),
});
export type PackedPlan = z.infer<typeof PackedPlanSchema>;

/** The plan as it crosses: checked and stripped by PlanSchema, its entries in JSON chunks (the first one smaller). */
export function packPlan(plan: Plan): PackedPlan {
  const { entries, ...head } = PlanSchema.parse(plan);
  const entryChunks: string[] = [];
  for (let at = 0; at < entries.length;) {
    const size = at === 0 ? PLAN_HEAD_ENTRIES : PLAN_CHUNK_ENTRIES;
    entryChunks.push(JSON.stringify(entries.slice(at, at + size)));
    at += size;
  }
  return { ...head, entryChunks };
}

/** A packed plan cut to its first chunk (what crosses first), and the chunks that follow it. */
export function splitHead(packed: PackedPlan): { head: PackedPlan; rest: string[] } {
  const [first, ...rest] = packed.entryChunks;
  return { head: { ...packed, entryChunks: first === undefined ? [] : [first] }, rest };
}

/**
 * The plan back from its packing, a chunk at a time; `between` runs after each chunk but the last (the window
 * yields to its event loop there, so no task parses more than one chunk).
 */
export async function unpackPlan(packed: PackedPlan, between?: () => Promise<void>): Promise<Plan> {
  const { entryChunks, ...head } = packed;
  const entries: Plan['entries'] = [];
  for (let i = 0; i < entryChunks.length; i++) {
    if (i > 0 && between) await between();
    for (const entry of JSON.parse(entryChunks[i]!) as Plan['entries']) entries.push(entry);
  }
  return { ...head, entries };
}
