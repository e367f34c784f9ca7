import { describe, expect, it } from 'vitest';
import {
  PLAN_CHUNK_ENTRIES,
  PLAN_HEAD_ENTRIES,
  PackedPlanSchema,
  packPlan,
  splitHead,
  unpackPlan,
} from '../../../contract/plan-packing';
import { KEY_STATUSES, PlanSchema, type Plan, type PlanEntry } from '../../../contract/plan';

function planOf(keyCount: number): Plan {
  const entries: PlanEntry[] = Array.from({ length: keyCount }, (_, i) => ({
    name: `KEY_${i}`,
    status: i % 7 === 0 ? 'change' : 'unchanged',
    origin: { id: `chamber:app/dev#key_${i}`, kind: 'chamber', ref: 'app/dev', sourceKey: `key_${i}`, sourceIndex: 0 },
    overrides: [],
    meta: { version: String(i), modifiedAt: '2026-11-20T10:00:00.000Z' },
    reused: i % 7 !== 0,
    ...(i % 7 === 0 && { context: { local: { length: 4, fingerprint: '0a1b2c3d' } } }),
  }));
  return PlanSchema.parse({
    profile: 'dev',
    manifestPath: '/p/latchkey.yml',
    target: '.env',
    dialect: 'portable',
    entries,
    counts: { ...Object.fromEntries(KEY_STATUSES.map((s) => [s, 0])), unchanged: keyCount },
    warnings: ['a warning'],
    gitignoreNeeded: false,
    writes: true,
  });
}

/** A screenful first, then full chunks. */
const chunkCount = (n: number) =>
  n === 0 ? 0 : 1 + Math.ceil(Math.max(0, n - PLAN_HEAD_ENTRIES) / PLAN_CHUNK_ENTRIES);

describe('a packed plan', () => {
  it.each([
    0,
    1,
    PLAN_HEAD_ENTRIES,
    PLAN_HEAD_ENTRIES + 1,
    PLAN_HEAD_ENTRIES + PLAN_CHUNK_ENTRIES,
    PLAN_HEAD_ENTRIES + PLAN_CHUNK_ENTRIES + 1,
    5_000,
  ])('comes back whole, %i entries', async (n) => {
    const plan = planOf(n);
    const packed = packPlan(plan);
    expect(packed.entryChunks).toHaveLength(chunkCount(n));
    expect(PackedPlanSchema.parse(packed)).toEqual(packed);
    expect(await unpackPlan(packed)).toEqual(plan);
  });

  it('crosses as a few strings, not an object per entry', () => {
    const packed = packPlan(planOf(5_000));
    expect(packed.entryChunks.every((chunk) => typeof chunk === 'string')).toBe(true);
    expect(packed.entryChunks).toHaveLength(11);
    expect('entries' in packed).toBe(false);
  });

  it('starts with a small chunk, a screenful of rows that can paint before the rest has crossed', async () => {
    const plan = planOf(5_000);
    const { head, rest } = splitHead(packPlan(plan));
    expect(head.entryChunks).toHaveLength(1);
    expect(rest).toHaveLength(10);
    const first = await unpackPlan(head);
    expect(first.entries).toEqual(plan.entries.slice(0, PLAN_HEAD_ENTRIES));
    expect({ ...first, entries: [] }).toEqual({ ...plan, entries: [] });
    const whole = [...first.entries, ...rest.flatMap((chunk) => JSON.parse(chunk) as Plan['entries'])];
    expect(whole).toEqual(plan.entries);
  });

  it('splits an empty plan into an empty head and nothing more', () => {
    const { head, rest } = splitHead(packPlan(planOf(0)));
    expect(head.entryChunks).toEqual([]);
    expect(rest).toEqual([]);
  });

  it('is what the contract lets through: a field the plan schema does not name is stripped before packing', () => {
    const plan = planOf(3);
    const smuggled = {
      ...plan,
      value: 'canary-head',
      entries: plan.entries.map((e) => ({ ...e, value: 'canary-entry' })),
    } as Plan;
    const packed = packPlan(smuggled);
    expect(JSON.stringify(packed)).not.toContain('canary');
  });

  it('refuses what is not a plan', () => {
    expect(() => packPlan({ profile: 'dev' } as unknown as Plan)).toThrow();
  });

  it('yields between chunks, never before the first nor after the last', async () => {
    const packed = packPlan(planOf(PLAN_CHUNK_ENTRIES * 3));
    const seen: number[] = [];
    const entries: number[] = [];
    let parsed = 0;
    const original = JSON.parse;
    JSON.parse = ((text: string) => {
      const out = original(text) as unknown[];
      parsed += out.length;
      return out;
    }) as typeof JSON.parse;
    try {
      await unpackPlan(packed, async () => {
        seen.push(parsed);
      });
    } finally {
      JSON.parse = original;
    }
    entries.push(parsed);
    expect(seen).toEqual([
      PLAN_HEAD_ENTRIES,
      PLAN_HEAD_ENTRIES + PLAN_CHUNK_ENTRIES,
      PLAN_HEAD_ENTRIES + PLAN_CHUNK_ENTRIES * 2,
    ]);
    expect(entries).toEqual([PLAN_CHUNK_ENTRIES * 3]);
  });
});
