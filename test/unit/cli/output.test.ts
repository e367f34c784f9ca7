import { describe, expect, it } from 'vitest';
import { KEY_STATUSES, type Plan } from '../../../contract/plan';
import { renderPlan, renderTable } from '../../../main/cli/output';

// Issue 10, item 15: a plan of 130,000 keys crashed `plan`, `sync` and `status` in the table's width computation.

describe('tables of any length', () => {
  it('renders 200,000 rows', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => [`KEY_${i}`, 'x'.repeat(i % 17)]);
    const text = renderTable(rows, ['NAME', 'VALUE'], false);
    expect(text.split('\n')).toHaveLength(200_001);
    expect(text.split('\n')[0]).toBe(`NAME${' '.repeat('KEY_199999'.length - 4)}  VALUE`);
  });

  it('renders a plan of 130,000 keys', () => {
    const counts = Object.fromEntries(KEY_STATUSES.map((s) => [s, 0])) as Plan['counts'];
    counts.add = 130_000;
    const plan: Plan = {
      profile: 'dev',
      manifestPath: '/p/latchkey.yml',
      target: '/p/.env',
      dialect: 'portable',
      entries: Array.from({ length: 130_000 }, (_, i) => ({
        name: `KEY_${i}`,
        status: 'add' as const,
        overrides: [],
        reused: false,
      })),
      files: [],
      counts,
      warnings: [],
      gitignoreNeeded: false,
      writes: true,
    };
    expect(renderPlan(plan, false)).toContain('KEY_129999');
  });
});
