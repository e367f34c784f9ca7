import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { LAYERS, layerOf, processBoundaries, type LayerRules } from '../../../tools/eslint/process-boundaries.js';
import { REPO_ROOT } from '../../support/paths';

// Every case below is generated from the rule's own table, so a layer added there is tested here without a new line.
type Layer = string;
const TABLE = LAYERS;
const LAYER_NAMES = Object.keys(TABLE);

const RULE = 'latchkey/process-boundaries';
// The rule alone over the TypeScript parser: the synthetic files below exist on no disk, which the repository's
// type-aware config would refuse. That the repository's config turns the rule on is proven separately.
const ruleOnly = new ESLint({
  cwd: REPO_ROOT,
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.{js,mjs,ts,tsx}'],
      languageOptions: { parser: tseslint.parser, sourceType: 'module' },
      plugins: { latchkey: { rules: { 'process-boundaries': processBoundaries } } },
      rules: { [RULE]: 'error' },
    },
  ],
});

/** A file that stands for a layer: its exact file, or a new file in its first folder. */
function sampleFile(layer: Layer): string {
  const [first] = rulesOf(layer).paths;
  if (first === undefined) throw new Error(`layer ${layer} has no path`);
  if (first === '*') return 'probe.config.ts';
  return first.endsWith('/') ? `${first}probe.ts` : first;
}

function rulesOf(layer: Layer): LayerRules {
  const rules = TABLE[layer];
  if (!rules) throw new Error(`no layer ${layer}`);
  return rules;
}

function relativeSpec(fromFile: string, toFile: string): string {
  const spec = path.posix.relative(path.posix.dirname(fromFile), toFile).replace(/\.tsx?$/, '');
  return spec.startsWith('.') ? spec : `./${spec}`;
}

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await ruleOnly.lintText(code, { filePath: path.join(REPO_ROOT, file) });
  const fatal = result?.messages.filter((m) => m.fatal) ?? [];
  if (fatal.length > 0) throw new Error(`could not parse the probe for ${file}: ${fatal[0]?.message}`);
  return (result?.messages ?? []).filter((m) => m.ruleId === RULE).map((m) => m.message);
}

/** Each expectation that the rule does not meet, as one readable line. */
async function mismatches(
  cases: { label: string; file: string; code: string; allowed: boolean; refusal: RegExp }[],
): Promise<string[]> {
  const wrong: string[] = [];
  for (const c of cases) {
    const found = await problems(c.file, c.code);
    if (c.allowed && found.length > 0)
      wrong.push(`${c.label}: allowed by the table, but lint says ${found.join('; ')}`);
    if (!c.allowed && !found.some((m) => c.refusal.test(m))) {
      wrong.push(
        `${c.label}: forbidden by the table, but lint says ${found.length > 0 ? found.join('; ') : 'nothing'}`,
      );
    }
  }
  return wrong;
}

function packageAllowed(rules: LayerRules, spec: string): boolean {
  if (rules.packages === '*') return true;
  return rules.packages.some((p) => (p.endsWith('/') ? spec.startsWith(p) : spec === p || spec.startsWith(`${p}/`)));
}

/** Every package some layer owns (a scope as one of its packages), and one that no layer names. */
const PACKAGES = [
  ...new Set(
    LAYER_NAMES.flatMap((l) => {
      const p = rulesOf(l).packages;
      return p === '*' ? [] : p;
    }).map((p) => (p.endsWith('/') ? `${p}probe` : p)),
  ),
  'left-pad',
].sort();

describe('the layer table', () => {
  it('names only layers that exist, and its arrows have no cycle', () => {
    for (const layer of LAYER_NAMES) {
      const imports = rulesOf(layer).imports;
      if (imports !== '*') for (const target of imports) expect(LAYER_NAMES, `${layer} -> ${target}`).toContain(target);
    }
    // Depth-first over the named arrows ('*' layers, tests, import everything and are imported by nothing).
    const visiting = new Set<string>();
    const done = new Set<string>();
    const cycle = (layer: string, trail: string[]): string[] | undefined => {
      if (done.has(layer)) return undefined;
      if (visiting.has(layer)) return [...trail, layer];
      visiting.add(layer);
      const imports = rulesOf(layer).imports;
      for (const next of imports === '*' ? [] : imports) {
        const found = cycle(next, [...trail, layer]);
        if (found) return found;
      }
      visiting.delete(layer);
      done.add(layer);
      return undefined;
    };
    for (const layer of LAYER_NAMES) expect(cycle(layer, [])).toBeUndefined();
  });

  it('places every source file of the repository in a layer', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => /\.(ts|tsx|js|mjs|cjs)$/.test(f));
    expect(files.length).toBeGreaterThan(100);
    const homeless = files.filter((f) => layerOf(path.join(REPO_ROOT, f)) === undefined);
    expect(homeless).toEqual([]);
  });

  it('puts preload/index.ts in its own layer and the rest of preload/ in preload', () => {
    expect(layerOf(path.join(REPO_ROOT, 'preload/index.ts'))).toBe('preload-entry');
    expect(layerOf(path.join(REPO_ROOT, 'preload/api.ts'))).toBe('preload');
    expect(layerOf(path.join(REPO_ROOT, 'main/app'))).toBe('app');
    expect(layerOf(path.join(REPO_ROOT, 'eslint.config.js'))).toBe('tooling');
    expect(layerOf(path.join(REPO_ROOT, '../elsewhere.ts'))).toBeUndefined();
  });

  it('is switched on, as an error, by the repository config for a file of every layer', async () => {
    const eslint = new ESLint({ cwd: REPO_ROOT });
    for (const layer of LAYER_NAMES) {
      const file = sampleFile(layer).replace(/\.ts$/, layer === 'tooling' ? '.js' : '.ts');
      const config = (await eslint.calculateConfigForFile(path.join(REPO_ROOT, file))) as {
        rules?: Record<string, unknown>;
      };
      const setting = config.rules?.[RULE];
      expect([setting, Array.isArray(setting) ? setting[0] : setting], `${layer} (${file})`).toContainEqual(2);
    }
  });
});

describe.each(LAYER_NAMES)('the lint rule, for a file of layer %s', (from) => {
  const file = sampleFile(from);
  const rules = rulesOf(from);

  it('imports exactly the layers the table names', async () => {
    const cases = LAYER_NAMES.map((to) => ({
      label: `${from} -> ${to}`,
      file,
      code: `import { x } from '${relativeSpec(file, sampleFile(to))}';\nexport const y = x;\n`,
      allowed: to === from || rules.imports === '*' || rules.imports.includes(to),
      refusal: new RegExp(`^${from} may not import from ${to} `),
    }));
    expect(await mismatches(cases)).toEqual([]);
  });

  it('imports exactly the packages the table gives it', async () => {
    const cases = PACKAGES.map((spec) => ({
      label: `${from} -> package ${spec}`,
      file,
      code: `import x from '${spec}';\nexport const y = x;\n`,
      allowed: packageAllowed(rules, spec),
      refusal: new RegExp(`^${from} may not import the package '${spec}'`),
    }));
    expect(await mismatches(cases)).toEqual([]);
  });

  it('uses Node built-ins and electron only where the table says', async () => {
    const cases = [
      { spec: 'node:fs', allowed: rules.node === true, refusal: /may not use Node built-ins/ },
      { spec: 'fs/promises', allowed: rules.node === true, refusal: /may not use Node built-ins/ },
      { spec: 'electron', allowed: rules.electron === true, refusal: /'electron' may only be imported/ },
    ].map((c) => ({
      label: `${from} -> ${c.spec}`,
      file,
      code: `import x from '${c.spec}';\nexport const y = x;\n`,
      allowed: c.allowed,
      refusal: c.refusal,
    }));
    expect(await mismatches(cases)).toEqual([]);
  });
});

describe('every way of importing is checked', () => {
  const forbidden = "'../sources/probe'";
  it.each([
    ['import', `import { a } from ${forbidden};\nexport const b = a;`],
    ['import type', `import type { A } from ${forbidden};\nexport type B = A;`],
    ['export from', `export { a } from ${forbidden};`],
    ['export * from', `export * from ${forbidden};`],
    ['dynamic import', `export const a = () => import(${forbidden});`],
    ['require', `export const a = require(${forbidden});`],
    [
      'createRequire',
      `import { createRequire } from 'node:module';\nexport const a = createRequire(import.meta.url)(${forbidden});`,
    ],
  ])('%s', async (_form, code) => {
    expect(await problems('main/core/probe.ts', code)).toEqual(['core may not import from sources (../sources/probe)']);
  });

  it('refuses an import that leaves the repository', async () => {
    expect(await problems('main/core/probe.ts', "import a from '../../../elsewhere';\nexport const b = a;")).toEqual([
      'core imports from outside the source tree (../../../elsewhere)',
    ]);
  });
});
