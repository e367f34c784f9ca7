import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './paths';

interface Shipping {
  SANDBOXED_PRELOAD_MODULES: string[];
  runtimePackages(file: string): string[];
  shippingProblems(opts: {
    root: string;
    pkg: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  }): { problems: string[]; lines: string[] };
}

/**
 * scripts/shipping.mjs (the shipping rules check-packaging.mjs applies in npm test), for the tests. Loaded by
 * path: scripts/ is plain JS run by node alone, outside the areas the process-boundary lint rule maps.
 */
export const { runtimePackages, shippingProblems, SANDBOXED_PRELOAD_MODULES } = (await import(
  pathToFileURL(path.join(REPO_ROOT, 'scripts/shipping.mjs')).href
)) as Shipping;
