import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/paths';

// Issue 10, item 15: `Math.max(...rows)` crashed plan, sync and status at about 125k lines, because every spread
// argument is one argument on the stack. The class is refused by lint in the product code.

const eslint = new ESLint({ cwd: REPO_ROOT });

async function spreadProblems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('no spread arguments in product code', () => {
  it.each([
    ['main/core/x.ts', 'export const m = (xs: number[]) => Math.max(...xs);'],
    ['main/cli/x.ts', 'export const f = (a: number[], b: number[]) => a.push(...b);'],
    ['renderer/x.tsx', 'export const g = (xs: number[]) => new Set(...[xs]);'],
    ['contract/x.ts', 'export const h = (xs: string[]) => String.fromCharCode(...xs.map(Number));'],
  ])('refuses it in %s', async (file, code) => {
    expect((await spreadProblems(file, code)).join('\n')).toMatch(/spread argument/);
  });

  it('allows spread into array and object literals, which have no such limit', async () => {
    expect(
      await spreadProblems('main/core/x.ts', 'export const a = (x: number[], o: object) => [...x, { ...o }];'),
    ).toEqual([]);
  });
});
