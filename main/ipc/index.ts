import { createSessionRefresher } from '../aws/refresher';
import { createClipboardGuard } from '../core/clipboard-guard';
import { createHandlers, type HandlerDeps } from './handlers';
import { sessionEventOf } from './handlers/aws';
import { createRouter, type Router } from './router';
import { createSenderCheck } from './sender';
import { createPlanWatcher } from './watch';

export type { HandlerDeps, Handlers } from './handlers';
export type { Router, SenderInfo } from './router';

export interface IpcBackend {
  router: Router;
  /**
   * Stops watching files, stops refreshing AWS sessions and takes back a copied login still on the clipboard;
   * call it when the app quits.
   */
  dispose(): Promise<void>;
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
  const clipboardGuard = createClipboardGuard(deps.clipboard, {
    emit: (event, payload) => {
      try {
        deps.emit(event, payload);
      } catch {
        // Called from a timer, like the watcher's events.
      }
    },
  });
  // Latchkey's AWS sessions are refreshed before they expire while the app runs; the renderer hears of each.
  const sessionRefresher = createSessionRefresher({
    keychain: deps.runtime.keychain,
    appDir: deps.runtime.appDir,
    onEvent: (event) => {
      const payload = sessionEventOf(event, new Date());
      try {
        if (payload) deps.emit('aws.session', payload);
      } catch {
        // Called from a timer, like the watcher's events.
      }
    },
  });
  const firstScan = sessionRefresher.scan().catch(() => undefined);
  const handlers = createHandlers(deps, { watcher, clipboardGuard, sessionRefresher });
  const router = createRouter(handlers, { isTrustedSender: createSenderCheck(deps.allowedOrigins) });
  return {
    router,
    async dispose() {
      watcher.dispose();
      await firstScan;
      sessionRefresher.stop();
      await sessionRefresher.idle();
      await clipboardGuard.dispose();
    },
  };
}
