import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const RENDERER_OUT = path.join(ROOT, 'out/renderer');

/** What the built renderer depends on: a change to any of these makes the cached build stale. */
const RENDERER_INPUTS = ['renderer', 'contract', 'electron.vite.config.ts', 'package-lock.json'];

/**
 * Builds out/renderer unless it is already newer than every renderer input. Vite takes seconds on two cores, and
 * the suite needs one build, not one per run while the renderer is unchanged.
 */
export function ensureRendererBuilt(log: (line: string) => void = () => {}): { built: boolean; ms: number } {
  const started = performance.now();
  const index = path.join(RENDERER_OUT, 'index.html');
  const newestInput = Math.max(...RENDERER_INPUTS.map((p) => newestMtime(path.join(ROOT, p))));
  if (existsSync(index) && statSync(index).mtimeMs > newestInput && process.env.E2E_REBUILD !== '1') {
    return { built: false, ms: performance.now() - started };
  }
  log('e2e: building the renderer (out/renderer)');
  const run = spawnSync(process.execPath, [path.join(import.meta.dirname, 'build-renderer.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    throw new Error(`the renderer build failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  if (!existsSync(index)) throw new Error(`the renderer build wrote no ${path.relative(ROOT, index)}`);
  return { built: true, ms: performance.now() - started };
}

/**
 * The real `createApi` from preload/api.ts, bundled into one IIFE that runs before any page script and defines
 * `window.latchkey`. Its ipc goes to Node through the `__latchkeyInvoke` binding; events come back through
 * `__latchkeyDispatch`, which the harness calls with page.evaluate.
 */
export async function bundlePreloadShim(): Promise<string> {
  const api = path.join(ROOT, 'preload/api.ts');
  if (!existsSync(api)) throw new Error('preload/api.ts does not exist yet: the e2e harness needs its createApi');
  const result = await build({
    entryPoints: [path.join(import.meta.dirname, 'preload-shim.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
    minify: true,
  });
  return result.outputFiles[0]!.text;
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
