import type { TestProject } from 'vitest/node';
import startSharedMoto from '../support/global-setup';
import { bundlePreloadShim, ensureRendererBuilt } from './harness/build';

// Once per e2e run: the renderer build (cached while renderer/ is unchanged), the preload shim bundle, and one moto.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const build = ensureRendererBuilt((line) => console.log(line));
  console.log(`e2e: renderer ${build.built ? `built in ${(build.ms / 1000).toFixed(1)} s` : 'up to date'}`);
  project.provide('e2ePreloadShim', await bundlePreloadShim());
  return startSharedMoto(project);
}
