import { describe, expect, it } from 'vitest';
import { KEY_STATUSES, type Plan, type PlanEntry } from '../../../contract/plan';
import { cutMiddle, renderPlan, renderTable, tableWidth } from '../../../main/cli/output';

const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

function planOf(entries: PlanEntry[]): Plan {
  const counts = Object.fromEntries(KEY_STATUSES.map((s) => [s, 0])) as Plan['counts'];
  for (const e of entries) counts[e.status] += 1;
  return {
    profile: 'dev',
    manifestPath: '/p/latchkey.yml',
    target: '/p/.env',
    dialect: 'portable',
    entries,
    files: [],
    counts,
    warnings: [],
    gitignoreNeeded: false,
    writes: true,
  };
}

const chamberOrigin = (service: string, key: string, index = 0) => ({
  id: `chamber:${service}#${key}`,
  kind: 'chamber' as const,
  ref: service,
  sourceKey: key,
  sourceIndex: index,
});

const LONG_SERVICE = 'platform/payments/eu-west-1/production/blue-green/primary';
const PLAN = planOf([
  {
    name: 'DB_POOL_SIZE',
    status: 'change',
    origin: chamberOrigin(LONG_SERVICE, 'database_connection_pool_size', 1),
    overrides: [chamberOrigin('shared/production/defaults/for-every-service', 'database_connection_pool_size')],
    meta: { version: '12' },
    rotation: { status: 'overdue', maxAgeDays: 90, ageDays: 412 },
    reused: false,
  },
  {
    name: 'API_KEY',
    status: 'conflict',
    origin: chamberOrigin('api/dev', 'api_key'),
    overrides: [],
    reason: 'edited locally since the last sync',
    resolution: 'keep-local',
    reused: false,
  },
]);

describe('tables that fit the terminal', () => {
  it('keeps every line of a plan within 80 columns, cutting the middle of the source, never the name', () => {
    const text = renderPlan(PLAN, false, { width: 80 });
    expect(widest(text)).toBeLessThanOrEqual(80);
    const row = text.split('\n').find((l) => l.includes('DB_POOL_SIZE'))!;
    const source = row.split(/\s{2,}/)[2]!;
    expect(source).toMatch(/^chamber platf.+….+_pool_size$/);
    expect(row).toContain('overdue');
  });

  it('puts each note on its own indented line under its row, wrapped to the width', () => {
    const lines = renderPlan(PLAN, false, { width: 60 }).split('\n');
    const at = lines.findIndex((l) => l.startsWith('! conflict'));
    expect(lines[at + 1]).toMatch(/^ {4}edited locally since the last sync; keeping/);
    expect(lines[at + 2]).toMatch(/^ {4}\S/);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(60);
    // A word longer than the line is broken, not cut: every character of the note is still there.
    const notes = lines.filter((l) => l.startsWith('    ')).map((l) => l.trim());
    expect(notes.join('')).toContain(
      'overridesshared/production/defaults/for-every-service/database_connection_pool_size',
    );
  });

  it('cuts nothing without a width (output piped into another program)', () => {
    const text = renderPlan(PLAN, false);
    expect(text).toContain(`chamber ${LONG_SERVICE}/database_connection_pool_size`);
    expect(text).not.toContain('…');
  });

  it('leaves a table that fits as it is', () => {
    const rows = [
      ['a', 'short'],
      ['bb', 'also short'],
    ];
    expect(renderTable(rows, ['K', 'V'], false, { width: 80 })).toBe(renderTable(rows, ['K', 'V'], false));
  });

  it('shares the cut between the columns named first before touching the others', () => {
    const rows = [['KEY_ONE', 'x'.repeat(60), 'y'.repeat(60), 'z'.repeat(10)]];
    const text = renderTable(rows, ['NAME', 'A', 'B', 'C'], false, { width: 80, cutFirst: [1, 2] });
    expect(widest(text)).toBeLessThanOrEqual(80);
    const cells = text.split('\n')[1]!.split(/\s{2,}/);
    expect(cells[0]).toBe('KEY_ONE');
    expect(cells[3]).toBe('z'.repeat(10));
    expect(Math.abs(cells[1]!.length - cells[2]!.length)).toBeLessThanOrEqual(1);
  });

  it('cuts the middle and keeps both ends', () => {
    expect(cutMiddle('abcdefghij', 10)).toBe('abcdefghij');
    expect(cutMiddle('abcdefghij', 7)).toBe('abc…hij');
    expect(cutMiddle('abcdefghij', 6)).toBe('abc…ij');
    expect(cutMiddle('abcdefghij', 1)).toBe('…');
  });
});

describe('the width to fit', () => {
  const stream = (isTTY: boolean, columns?: number) => ({ isTTY, columns }) as unknown as NodeJS.WriteStream;

  it('is the terminal’s, or 80 when the terminal does not say', () => {
    expect(tableWidth(stream(true, 132), {})).toBe(132);
    expect(tableWidth(stream(true, 0), {})).toBe(80);
  });

  it('is COLUMNS when stdout is not a terminal, and no limit without it (piped output is never cut)', () => {
    expect(tableWidth(stream(false), { COLUMNS: '80' })).toBe(80);
    expect(tableWidth(stream(false), {})).toBeUndefined();
    expect(tableWidth(stream(false), { COLUMNS: 'wide' })).toBeUndefined();
  });
});
