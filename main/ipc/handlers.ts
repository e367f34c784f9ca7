import { appHandlers } from './handlers/app';
import { createAwsAccess } from './handlers/aws';
import { createContext, type HandlerServices } from './handlers/context';
import { manifestHandlers } from './handlers/manifest';
import { createOpAccess } from './handlers/op';
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
  const app = appHandlers(ctx);
  // A login's URL goes through the same https-only handler as every other link the app opens.
  const op = createOpAccess(ctx, async (url) => void (await app['shell.openExternal']({ url })));
  const aws = createAwsAccess(ctx);
  return {
    ...projectHandlers(ctx),
    ...manifestHandlers(ctx),
    ...syncHandlers(ctx, op.readiness, aws.sessionStatus),
    ...secretHandlers(ctx),
    ...app,
    ...op.handlers,
    ...aws.handlers,
  };
}
