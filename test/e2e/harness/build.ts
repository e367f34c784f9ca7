import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';
import { OUT_RENDERER, staleBundle, type BundleName } from '../../support/built-bundles';
import { REPO_ROOT } from '../../support/paths';

export const ROOT = REPO_ROOT;
export const RENDERER_OUT = OUT_RENDERER;

/**
 * Builds each of `names` (out/renderer, out/preload) that is missing or older than its sources, with the app's own
 * electron-vite config. Vite takes seconds on two cores, and the suite needs one build, not one per run while the
 * sources are unchanged. E2E_REBUILD=1 forces it.
 */
export function ensureBuilt(
  names: BundleName[],
  log: (line: string) => void = () => {},
): { built: BundleName[]; ms: number } {
  const started = performance.now();
  const stale = names.filter((name) => process.env.E2E_REBUILD === '1' || staleBundle(name) !== undefined);
  if (stale.length === 0) return { built: [], ms: performance.now() - started };
  log(`e2e: building ${stale.map((name) => `out/${name}`).join(', ')}`);
  const run = spawnSync(process.execPath, [path.join(import.meta.dirname, 'build-bundles.mjs'), ...stale], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`the build failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  for (const name of stale) {
    const problem = staleBundle(name);
    if (problem) throw new Error(`after the build, ${problem}`);
  }
  return { built: stale, ms: performance.now() - started };
}

/** The renderer alone (the UI benchmark needs no preload). */
export function ensureRendererBuilt(log: (line: string) => void = () => {}): { built: boolean; ms: number } {
  const result = ensureBuilt(['renderer'], log);
  return { built: result.built.length > 0, ms: result.ms };
}

/** The page end of the preload carrier (page-mirror.ts), bundled into one script for addInitScript. */
export async function bundlePageMirror(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(import.meta.dirname, 'page-mirror.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  return result.outputFiles[0]!.text;
}
