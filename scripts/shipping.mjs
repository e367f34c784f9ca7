// What ships, read from the built bundles: the bare module names each one imports or requires at run time, and
// whether package.json's `dependencies` says exactly what they need. Used by scripts/check-packaging.mjs (in
// npm test) and by the tests that load the bundles (which check that this reading misses nothing they really load).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** The shipped bundles: the app's main and preload (in app.asar) and the CLI (published through npm). */
export const SHIPPED_BUNDLES = {
  main: 'out/main/index.js',
  preload: 'out/preload/index.cjs',
  cli: 'out/cli/latchkey.mjs',
};

/** What a sandboxed preload's require() can load (Electron 45, lib/sandboxed_renderer/init.ts). */
export const SANDBOXED_PRELOAD_MODULES = [
  'electron',
  'electron/common',
  'electron/renderer',
  'events',
  'node:events',
  'timers',
  'node:timers',
  'url',
  'node:url',
];

// import ... from 'x'; import 'x'; import('x'); export ... from 'x'; require('x');
// createRequire(import.meta.url)('x') (how the main bundle loads keytar). Quotes only: a bundler never writes a
// specifier as a template literal, and comments in the bundle often put names in backticks.
const PATTERN =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+|\bcreateRequire\([^)]*\)\s*\(\s*)["']([^"']+)["']/gm;

/** Every non-relative specifier in `file`, in order of first appearance. */
export function bareSpecifiers(file) {
  const found = [];
  for (const match of readFileSync(file, 'utf8').matchAll(PATTERN)) {
    const spec = match[1];
    if (spec.startsWith('.') || spec.startsWith('/') || /^[a-z]+:\/\//.test(spec)) continue;
    if (!found.includes(spec)) found.push(spec);
  }
  return found;
}

export function isNodeBuiltin(spec) {
  return BUILTINS.has(spec) || spec.startsWith('node:');
}

export function isElectron(spec) {
  return spec === 'electron' || spec.startsWith('electron/');
}

/**
 * `file` and the chunks beside it: the CLI (and main, where the bundler splits it) loads some of its code through
 * dynamic import() from files in the same folder, so what the bundle loads at run time is what all of them load.
 */
function bundleFiles(file) {
  const folder = path.dirname(file);
  const chunks = readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(m|c)?js$/.test(name))
    .map((name) => path.join(folder, name))
    .filter((chunk) => chunk !== file);
  return [file, ...chunks.sort()];
}

/**
 * Every non-relative specifier `file` and its chunks load. A bundle that bundles its dependencies (the CLI) says
 * so itself in runtime-imports.json, written by its build from esbuild's metafile: its text holds the bundled
 * packages' own code, whose strings and messages name modules it never loads.
 */
function bundleSpecifiers(file) {
  const declared = path.join(path.dirname(file), 'runtime-imports.json');
  if (existsSync(declared)) return JSON.parse(readFileSync(declared, 'utf8'));
  return [...new Set(bundleFiles(file).flatMap((f) => bareSpecifiers(f)))];
}

/** The npm package a specifier loads: `@scope/name` or `name`. */
export function packageOf(spec) {
  return spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
}

/** The packages `file` and its chunks load from node_modules (neither Node built-ins nor electron), sorted. */
export function runtimePackages(file) {
  const packages = bundleSpecifiers(file)
    .filter((spec) => !isNodeBuiltin(spec) && !isElectron(spec))
    .map(packageOf);
  return [...new Set(packages)].sort();
}

/**
 * The shipping rules, for package.json `pkg` and the bundles under `root`:
 *   - the preload loads nothing a sandboxed preload cannot (SANDBOXED_PRELOAD_MODULES);
 *   - main loads only Node built-ins, electron and `dependencies`; the CLI only built-ins and `dependencies`;
 *   - every entry in `dependencies` is loaded by main or the CLI: anything else there (a test-only package, one
 *     nothing uses any more) would be installed with the CLI and packed into every app installer.
 * Returns the problems (empty when all hold) and a line per fact checked.
 */
export function shippingProblems({ root, pkg, bundles = SHIPPED_BUNDLES }) {
  const problems = [];
  const lines = [];
  const file = (name) => path.join(root, bundles[name]);
  for (const name of Object.keys(bundles)) {
    if (!existsSync(file(name))) problems.push(`${bundles[name]} is missing: build first (npm run build)`);
  }
  if (problems.length > 0) return { problems, lines };
  const dependencies = new Set(Object.keys(pkg.dependencies ?? {}));
  const devDependencies = new Set(Object.keys(pkg.devDependencies ?? {}));

  const preloadSpecs = bareSpecifiers(file('preload'));
  const outside = preloadSpecs.filter((spec) => !SANDBOXED_PRELOAD_MODULES.includes(spec));
  if (outside.length > 0) {
    problems.push(
      `${bundles.preload} requires ${outside.join(', ')}: a sandboxed preload can load only ` +
        `${SANDBOXED_PRELOAD_MODULES.join(', ')}; bundle it in (electron.vite.config.ts)`,
    );
  }
  lines.push(`${bundles.preload}: ${preloadSpecs.join(', ') || 'nothing'} (within the sandbox's allowlist)`);

  const loaded = new Set();
  for (const name of ['main', 'cli']) {
    const specs = bundleSpecifiers(file(name));
    const wrong = specs.filter(
      (spec) => !isNodeBuiltin(spec) && !(name === 'main' && isElectron(spec)) && !dependencies.has(packageOf(spec)),
    );
    if (wrong.length > 0) {
      const named = wrong.map((s) => (devDependencies.has(packageOf(s)) ? `${s} (a devDependency)` : s));
      problems.push(
        `${bundles[name]} loads ${named.join(', ')} at run time, and package.json dependencies lacks it: ` +
          'the installed app or CLI would not find it',
      );
    }
    const packages = runtimePackages(file(name));
    for (const p of packages) loaded.add(p);
    lines.push(`${bundles[name]}: Node built-ins${name === 'main' ? ', electron' : ''} and ${packages.join(', ')}`);
  }
  const unused = [...dependencies].filter((dep) => !loaded.has(dep));
  if (unused.length > 0) {
    problems.push(
      `package.json dependencies lists ${unused.join(', ')}, which no shipped bundle loads: a test-only or unused ` +
        'package would ship with the CLI and in every installer; move it to devDependencies',
    );
  }
  lines.push(`each of the ${dependencies.size} dependencies is loaded by ${bundles.main} or ${bundles.cli}`);
  return { problems, lines };
}
