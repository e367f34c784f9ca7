import type { TestProject } from 'vitest/node';
import startSharedMoto from '../support/global-setup';
import { bundlePageMirror, ensureBuilt } from './harness/build';

// Once per e2e run: the renderer and preload builds (cached while their sources are unchanged), the page end of the
// preload carrier, and one moto.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const build = ensureBuilt(['renderer', 'preload'], (line) => console.log(line));
  console.log(
    `e2e: ${build.built.length ? `built ${build.built.join(' and ')} in ${(build.ms / 1000).toFixed(1)} s` : 'renderer and preload up to date'}`,
  );
  project.provide('e2ePageMirror', await bundlePageMirror());
  return startSharedMoto(project);
}
