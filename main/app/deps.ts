import type { PlanHandover } from './plan-handover';
import type { Runtime } from './runtime';

/**
 * What the use cases take from the process around them. Only the runtime is required: the CLI passes just that,
 * and the app (or a test) replaces the environment and the clock where it needs to.
 */
export interface AppDeps {
  runtime: Runtime;
  /** Where AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and endpoints are read (default: process.env). */
  awsEnv?: NodeJS.ProcessEnv;
  /** Where OP_CONNECT_HOST / OP_CONNECT_TOKEN are read (default: process.env). */
  opEnv?: NodeJS.ProcessEnv;
  /** The clock (default: the system's). */
  now?: () => Date;
  /** The app's only: a plan's remote answers kept for the sync started from it (plan-handover.ts). */
  handover?: PlanHandover;
}

// Read at call time, not captured: tests and the CLI may change process.env between calls.
export const awsEnvOf = (deps: AppDeps): NodeJS.ProcessEnv => deps.awsEnv ?? process.env;
export const opEnvOf = (deps: AppDeps): NodeJS.ProcessEnv => deps.opEnv ?? process.env;
export const nowOf = (deps: AppDeps): Date => deps.now?.() ?? new Date();
