import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/paths';

// Issue 10, item 15: `Math.max(...rows)` crashed plan, sync and status at about 125k lines, because every spread
// argument is one argument on the stack. The class is refused by lint in the product code.

const RULE = 'no-restricted-syntax';
const repository = new ESLint({ cwd: REPO_ROOT });

/**
 * The rule as the repository's config sets it for `file`, run alone over the TypeScript parser: the synthetic files
 * exist on no disk, which the repository's type-aware config would refuse with a parsing error.
 */
async function spreadProblems(file: string, code: string): Promise<string[]> {
  const filePath = path.join(REPO_ROOT, file);
  const config: { rules?: Linter.RulesRecord } = await repository.calculateConfigForFile(filePath);
  const setting = config.rules?.[RULE];
  if (setting === undefined) return [];
  const ruleOnly = new ESLint({
    cwd: REPO_ROOT,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.{ts,tsx}'],
        languageOptions: { parser: tseslint.parser, sourceType: 'module' },
        rules: { [RULE]: setting },
      },
    ],
  });
  const [result] = await ruleOnly.lintText(code, { filePath });
  const fatal = result?.messages.filter((m) => m.fatal) ?? [];
  if (fatal.length > 0) throw new Error(`could not parse the probe for ${file}: ${fatal[0]?.message}`);
  return (result?.messages ?? []).filter((m) => m.ruleId === RULE).map((m) => m.message);
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
