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

describe('file secrets in the plan', () => {
  it('lists each file with its source, size, version, age, mode and what happens to a conflict', () => {
    const counts = Object.fromEntries(KEY_STATUSES.map((s) => [s, 0])) as Plan['counts'];
    counts.add = 1;
    counts.conflict = 1;
    const origin = (file: string) => ({
      id: `s3:s3://b/${file}#${file}`,
      kind: 's3' as const,
      ref: `s3://b/${file}`,
      sourceKey: file,
      sourceIndex: 0,
    });
    const plan: Plan = {
      profile: 'dev',
      manifestPath: '/p/latchkey.yml',
      target: '/p/.env',
      dialect: 'portable',
      entries: [],
      files: [
        {
          path: 'certs/dev.key',
          status: 'add',
          origin: origin('dev.key'),
          meta: { version: 'v-123', size: 5 * 1024 * 1024 },
          mode: '0600',
          rotation: { status: 'ok', maxAgeDays: 90, ageDays: 3.5 },
          reused: false,
        },
        {
          path: 'certs/dev.crt',
          status: 'conflict',
          origin: origin('dev.crt'),
          meta: { version: 'v-9', size: 1536 },
          mode: '0644',
          reason: 'edited locally since the last sync',
          resolution: 'keep-local',
          reused: false,
        },
      ],
      counts,
      warnings: [],
      gitignoreNeeded: false,
      writes: true,
    };
    const lines = renderPlan(plan, false).split('\n');
    expect(lines.find((l) => l.includes('certs/dev.key'))).toMatch(
      /^\+ add\s+certs\/dev\.key\s+s3:\/\/b\/dev\.key\s+5\.0 MiB\s+v-123\s+3d\s+0600\s*$/,
    );
    const crt = lines.findIndex((l) => l.includes('certs/dev.crt'));
    expect(lines[crt]).toMatch(/certs\/dev\.crt\s+s3:\/\/b\/dev\.crt\s+1\.5 KiB\s+v-9\s+0644$/);
    // The note goes on its own indented line under its row, not in a column that widens the whole table.
    expect(lines[crt + 1]).toBe(
      '    edited locally since the last sync; keeping the local value (--take-remote certs/dev.crt to replace it)',
    );
    expect(lines.at(-1)).toBe('1 add, 1 conflict');
  });
});
