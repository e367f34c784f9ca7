import { createHandlers, type HandlerDeps } from './handlers';
import { createRouter, type Router } from './router';
import { createSenderCheck } from './sender';
import { createPlanWatcher } from './watch';

export type { HandlerDeps, Handlers } from './handlers';
export type { Router, SenderInfo } from './router';

export interface IpcBackend {
  router: Router;
  /** Stops watching files; call it when the window closes or the app quits. */
  dispose(): void;
}

/** The main side of the bridge, with no Electron in it: the app and the e2e harness both build it this way. */
export function createIpcBackend(deps: HandlerDeps & { allowedOrigins: string[] }): IpcBackend {
  const watcher = createPlanWatcher({
    emit: (payload) => {
      try {
        deps.emit('plan.invalidated', payload);
      } catch {
        // Called from a timer: a window that is gone must not become an uncaught exception.
      }
    },
  });
  const handlers = createHandlers(deps, { watcher });
  const router = createRouter(handlers, { isTrustedSender: createSenderCheck(deps.allowedOrigins) });
  return { router, dispose: () => watcher.dispose() };
}
