import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shippingProblems } from '../../support/shipping';
import { freshBundle } from '../../support/built-bundles';
import { REPO_ROOT } from '../../support/paths';

// The shipping rules of scripts/check-packaging.mjs ("runtime modules", run by npm test): on the real build, and
// on small fake builds that break each rule once.

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const work = mkdtempSync(path.join(tmpdir(), 'latchkey-shipping-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A build folder with the three bundles holding `sources`, by default each loading only what it may. */
function fakeBuild(sources: Partial<Record<'main' | 'preload' | 'cli', string>>): string {
  const root = mkdtempSync(path.join(work, 'build-'));
  const files = {
    main: [
      'out/main/index.js',
      `import { app } from "electron";\nimport { z } from "zod";\nimport path from "node:path";`,
    ],
    preload: ['out/preload/index.cjs', `let e = require("electron");`],
    cli: [
      'out/cli/latchkey.mjs',
      Object.keys(pkg.dependencies)
        .map((d) => `import "${d}";`)
        .join('\n'),
    ],
  } as const;
  for (const [name, [file, source]] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), sources[name as keyof typeof sources] ?? source);
  }
  return root;
}

describe('what ships', () => {
  it('holds for the real build and package.json', () => {
    freshBundle('main');
    freshBundle('preload');
    const { problems, lines } = shippingProblems({ root: REPO_ROOT, pkg });
    expect(problems).toEqual([]);
    expect(lines.join('\n')).toMatch(/out\/preload\/index\.cjs: electron /);
  });

  it('fails when a test-only package is listed in dependencies', () => {
    const withTestOnly = {
      ...pkg,
      dependencies: { ...pkg.dependencies, 'fast-check': pkg.devDependencies['fast-check']! },
    };
    const { problems } = shippingProblems({ root: fakeBuild({}), pkg: withTestOnly });
    expect(problems).toEqual([expect.stringMatching(/dependencies lists fast-check, which no shipped bundle loads/)]);
  });

  it('fails when the main bundle loads a devDependency, or a package not listed at all', () => {
    const root = fakeBuild({
      main: `import { app } from "electron";\nimport { chromium } from "playwright-core";\nconst k = createRequire(import.meta.url)("left-pad");`,
    });
    const { problems } = shippingProblems({ root, pkg });
    expect(problems).toEqual([
      expect.stringMatching(/out\/main\/index\.js loads playwright-core \(a devDependency\), left-pad at run time/),
    ]);
  });

  it('fails when the preload requires anything a sandboxed preload cannot load, Node built-ins included', () => {
    const root = fakeBuild({
      preload: `let e = require("electron");\nlet z = require("zod");\nlet p = require("node:path");`,
    });
    const { problems } = shippingProblems({ root, pkg });
    expect(problems).toEqual([
      expect.stringMatching(/out\/preload\/index\.cjs requires zod, node:path: a sandboxed preload/),
    ]);
  });

  it('fails when the CLI imports electron', () => {
    const root = fakeBuild({
      cli: `${Object.keys(pkg.dependencies)
        .map((d) => `import "${d}";`)
        .join('\n')}\nimport "electron";`,
    });
    expect(shippingProblems({ root, pkg }).problems).toEqual([
      expect.stringMatching(/out\/cli\/latchkey\.mjs loads electron/),
    ]);
  });
});
