import type { TestProject } from 'vitest/node';
import { startMoto } from './moto';

// One moto per integration run: starting it costs seconds, and the files run one at a time (fileParallelism is
// off), resetting it between tests.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const moto = await startMoto();
  project.provide('motoEndpoint', moto.endpoint);
  return async () => {
    await moto.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the suite's shared moto server, e.g. `http://127.0.0.1:40123`. */
    motoEndpoint: string;
  }
}
