import { appHandlers } from './handlers/app';
import { awsHandlers } from './handlers/aws';
import { chamberHandlers } from './handlers/chamber';
import { createContext, type HandlerContext, type HandlerServices } from './handlers/context';
import { manifestHandlers } from './handlers/manifest';
import { opHandlers } from './handlers/op';
import { projectHandlers } from './handlers/projects';
import { rotationHandlers } from './handlers/rotation';
import { secretHandlers } from './handlers/secrets';
import { sharedSecretHandlers } from './handlers/shared-secrets';
import { syncHandlers } from './handlers/sync';
import type { HandlerDeps, Handlers } from './types';

export type { HandlerDeps, Handlers } from './types';
export type { HandlerServices } from './handlers/context';

/**
 * One handler per contract method, each a thin adapter over the app's use cases. Each receives its input already
 * parsed by the router and returns plain data that the router parses again against the contract.
 */
export function createHandlers(deps: HandlerDeps, services: HandlerServices = {}): Handlers {
  return handlersOver(createContext(deps, services));
}

/** The handlers over an existing context (the backend keeps the context to share its app with the menu). */
export function handlersOver(ctx: HandlerContext): Handlers {
  return {
    ...projectHandlers(ctx),
    ...manifestHandlers(ctx),
    ...syncHandlers(ctx),
    ...secretHandlers(ctx),
    ...sharedSecretHandlers(ctx),
    ...appHandlers(ctx),
    ...opHandlers(ctx),
    ...awsHandlers(ctx),
    ...chamberHandlers(ctx),
    ...rotationHandlers(ctx),
  };
}
