import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths';

// The shipped bundles the tests run (never the sources they are built from), and what each is built from, so a
// test can tell a missing or stale build from a real failure.

export const OUT_MAIN = path.join(REPO_ROOT, 'out/main/index.js');
export const OUT_PRELOAD = path.join(REPO_ROOT, 'out/preload/index.cjs');
export const OUT_RENDERER = path.join(REPO_ROOT, 'out/renderer');

export type BundleName = 'main' | 'preload' | 'renderer';

const SHARED_INPUTS = ['contract', 'electron.vite.config.ts', 'package-lock.json'];
const BUNDLES: Record<BundleName, { output: string; inputs: string[] }> = {
  main: { output: OUT_MAIN, inputs: ['main', ...SHARED_INPUTS] },
  preload: { output: OUT_PRELOAD, inputs: ['preload', ...SHARED_INPUTS] },
  renderer: { output: path.join(OUT_RENDERER, 'index.html'), inputs: ['renderer', ...SHARED_INPUTS] },
};

/** Why `name` cannot be used as built (missing, or older than a file it is built from), or undefined. */
export function staleBundle(name: BundleName): string | undefined {
  const { output, inputs } = BUNDLES[name];
  const relative = path.relative(REPO_ROOT, output);
  if (!existsSync(output)) return `${relative} is missing`;
  const built = statSync(output).mtimeMs;
  const newer = inputs.find((input) => newestMtime(path.join(REPO_ROOT, input)) > built);
  return newer ? `${relative} is older than its sources (${newer})` : undefined;
}

/** The path of a built bundle, or a clear error: these tests are about the build, so they never run a stale one. */
export function freshBundle(name: BundleName): string {
  const problem = staleBundle(name);
  if (problem) throw new Error(`${problem}: run \`npx electron-vite build\` first (npm test does)`);
  return BUNDLES[name].output;
}

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(p)) {
    if (name === 'node_modules' || name === 'out') continue;
    newest = Math.max(newest, newestMtime(path.join(p, name)));
  }
  return newest;
}
