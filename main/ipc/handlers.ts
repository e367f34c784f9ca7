import { appHandlers } from './handlers/app';
import { createContext, type HandlerServices } from './handlers/context';
import { manifestHandlers } from './handlers/manifest';
import { projectHandlers } from './handlers/projects';
import { secretHandlers } from './handlers/secrets';
import { syncHandlers } from './handlers/sync';
import type { HandlerDeps, Handlers } from './types';

export type { HandlerDeps, Handlers } from './types';
export type { HandlerServices } from './handlers/context';

/**
 * One handler per contract method, over the real core. Each receives its input already parsed by the router
 * and returns plain data that the router parses again against the contract.
 */
export function createHandlers(deps: HandlerDeps, services: HandlerServices = {}): Handlers {
  const ctx = createContext(deps, services);
  return {
    ...projectHandlers(ctx),
    ...manifestHandlers(ctx),
    ...syncHandlers(ctx),
    ...secretHandlers(ctx),
    ...appHandlers(ctx),
  };
}
