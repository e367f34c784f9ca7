import type { MenuCommand } from '../../contract/ipc';
import type { DesktopApp } from '../app';
// The app's own refresher, not through '../app': the CLI loads that module and never refreshes a session.
import { createSessionRefreshing } from '../app/aws/refresh';
import { createClipboardGuard } from '../core/clipboard-guard';
import type { DesktopNotice } from '../core/notifications';
import { handlersOver, type HandlerDeps } from './handlers';
import { createContext } from './handlers/context';
import { trackCalls } from './calls-under-way';
import { createRouter, type Router } from './router';
import { createSenderCheck } from './sender';
import { createPlanWatcher } from './watch';

export type { HandlerDeps } from './handlers';

/** How long quitting waits for calls under way (a sync writing, a plan saving its cache) to answer. */
const CALLS_SETTLE_MS = 5_000;

export interface IpcBackend {
  router: Router;
  /**
   * Stops watching files, stops refreshing AWS sessions, lets the calls under way answer (for up to
   * CALLS_SETTLE_MS) and takes back a copied login still on the clipboard; call it when the app quits.
   */
  dispose(): Promise<void>;
}

/** The backend with the use cases behind its router, for the main process's own needs (the menu's Recent list). */
export interface DesktopBackend extends IpcBackend {
  app: DesktopApp;
  /**
   * A native menu item (or a folder from the command line) for the window: sent now if its page listens, or kept
   * until the page asks for it (window-inbox.ts).
   */
  postMenuCommand(command: MenuCommand): void;
  /** The window's page is reloading or gone: commands wait again until the new page asks. */
  pageGone(): void;
  /** The minute timer's session check, now: the notices it sent (a test drives it with the deps' clock). */
  checkSessions(): Promise<DesktopNotice[]>;
}

/** The main side of the bridge, with no Electron in it: the app and the e2e harness both build it this way. */
export function createIpcBackend(deps: HandlerDeps & { allowedOrigins: string[] }): DesktopBackend {
  // Each is called from a timer too: a window that is gone must not become an uncaught exception.
  const emitQuietly: HandlerDeps['emit'] = (event, payload) => {
    try {
      deps.emit(event, payload);
    } catch {
      // The renderer is gone or reloading.
    }
  };
  const watcher = createPlanWatcher({ emit: (payload) => emitQuietly('plan.invalidated', payload) });
  const clipboardGuard = createClipboardGuard(deps.clipboard, { emit: emitQuietly });
  // Latchkey's AWS sessions are refreshed before they expire while the app runs; the renderer hears of each.
  const sessionRefresher = createSessionRefreshing(deps, (news) => {
    emitQuietly('aws.session', news);
    void ctx.state.refresh().catch(() => undefined);
  });
  const ctx = createContext(deps, { watcher, clipboardGuard, sessionRefresher });
  // The state also follows what nobody tells us of: the CLI or an editor changing the AWS files, and the clock.
  ctx.state.follow(() => process.env);
  const firstScan = sessionRefresher.scan().catch(() => undefined);
  // Once a minute: an AWS session ending within 10 minutes is notified (opt-in, once per session), from the
  // sessions the state store derived (one derivation; it re-derives on file changes and at each expiry).
  const checkSessions = async () => ctx.app.notifications.checkSessions(await ctx.state.sessions());
  const sessionCheck = setInterval(() => void checkSessions().catch(() => undefined), 60_000);
  sessionCheck.unref();
  // Every 15 minutes, while notifications are on: the Rotation scan for drift and overdue keys, metadata only.
  const driftCheck = setInterval(
    () => void ctx.app.notifications.scanInBackground().catch(() => undefined),
    15 * 60_000,
  );
  driftCheck.unref();
  const router = trackCalls(
    createRouter(handlersOver(ctx), { isTrustedSender: createSenderCheck(deps.allowedOrigins) }),
  );
  return {
    router,
    app: ctx.app,
    checkSessions,
    postMenuCommand: (command) => ctx.menuCommands.post(command),
    pageGone: () => ctx.menuCommands.pageGone(),
    async dispose() {
      watcher.dispose();
      ctx.state.dispose();
      clearInterval(sessionCheck);
      clearInterval(driftCheck);
      await firstScan;
      sessionRefresher.stop();
      await sessionRefresher.idle();
      await router.settled(CALLS_SETTLE_MS);
      await clipboardGuard.dispose();
    },
  };
}
