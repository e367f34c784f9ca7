import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../../contract/errors';
import { EXIT, exitCodeFor } from '../../../main/cli/exit-codes';
import { REPO_ROOT } from '../../support/paths';

// Issue 10, item 24: the README's exit-code table is the contract with scripts and CI. Every row must name the
// error codes that end with it, and the code must agree with every row.

interface Row {
  exit: number;
  meaning: string;
  codes: ErrorCode[];
}

function readmeRows(): Row[] {
  const text = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = text.split('### Exit codes')[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => /^\|\s*\d+\s*\|/.test(line))
    .map((line) => {
      const cells = line.split('|').map((cell) => cell.trim());
      const codes = [...(cells[3] ?? '').matchAll(/`([A-Z_]+)`/g)].map((m) => m[1] as ErrorCode);
      return { exit: Number(cells[1]), meaning: cells[2] ?? '', codes };
    });
}

describe('exit codes', () => {
  const rows = readmeRows();

  it('the README lists every exit code the CLI defines, once, in order', () => {
    expect(rows.map((r) => r.exit)).toEqual([...new Set(Object.values(EXIT))].sort((a, b) => a - b));
  });

  it('every error code appears in exactly one README row', () => {
    const listed = rows.flatMap((r) => r.codes);
    expect([...listed].sort()).toEqual([...ERROR_CODES].sort());
  });

  for (const code of ERROR_CODES) {
    it(`${code} exits with the code its README row says`, () => {
      const row = rows.find((r) => r.codes.includes(code));
      expect(row, `${code} is not in the README table`).toBeDefined();
      expect(exitCodeFor(code)).toBe(row!.exit);
    });
  }
});
