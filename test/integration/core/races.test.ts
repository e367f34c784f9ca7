import { describe, expect, it } from 'vitest';
import { raceEditorSaves, raceParentSwap } from '../../support/races';

// Issue 10, items 2 and 3, as races against another process. `npm run bench` runs the same races 300 times and
// more (test/bench/hardening-bench.ts, figures in bench-results/hardening.md); here a smaller count keeps the
// suite fast.

const RUNS = Number(process.env.LATCHKEY_RACE_RUNS ?? 40);

describe('races with another process', () => {
  it(`a parent folder swapped for a symlink during ${RUNS} syncs: not a byte outside the project`, async () => {
    const counts = await raceParentSwap(RUNS);
    expect(counts.syncs).toBe(RUNS);
    expect(counts.swaps, JSON.stringify(counts)).toBeGreaterThan(0);
    expect(counts, JSON.stringify(counts)).toMatchObject({ filesOutside: 0, bytesOutside: 0, wroteElsewhere: 0 });
  }, 120_000);

  for (const how of ['inplace', 'rename'] as const) {
    it(`an editor saving ${how === 'inplace' ? 'in place' : 'by rename'} during ${RUNS} syncs: no save lost`, async () => {
      const counts = await raceEditorSaves(RUNS, how);
      expect(counts.syncs).toBe(RUNS);
      // The race really happened: some syncs wrote between saves, some collided with one and were refused.
      expect(counts.wrote, JSON.stringify(counts)).toBeGreaterThan(0);
      expect(counts.refused, JSON.stringify(counts)).toBeGreaterThan(0);
      expect(counts.lostEdits, JSON.stringify(counts)).toBe(0);
    }, 120_000);
  }
});
