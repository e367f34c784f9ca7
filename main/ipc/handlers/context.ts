import { MAX_PENDING_MENU_COMMANDS, type EventName, type EventPayload, type MenuCommand } from '../../../contract/ipc';
import { createDesktopApp, createStateStore, type AwsAccessResult, type DesktopApp, type StateStore } from '../../app';
import type { SessionRefresher } from '../../app/aws/refresh';
import { LatchkeyError } from '../../core/errors';
import { createClipboardGuard, type ClipboardGuard } from '../../core/clipboard-guard';
import type { Manifest } from '../../core/types';
import type { HandlerDeps } from '../types';
import type { PlanWatcher } from '../watch';
import { createWindowInbox, type WindowInbox } from '../window-inbox';

/** Services the handlers share beyond HandlerDeps; each has a default, tests and the backend may replace them. */
export interface HandlerServices {
  /** Live invalidation of shown plans; without one, nothing is watched. */
  watcher?: PlanWatcher;
  /** The readiness AWS probe (STS GetCallerIdentity by default). */
  probeAws?: (aws: Manifest['aws']) => Promise<AwsAccessResult>;
  /** Copies logins and takes them back; by default one over HandlerDeps.clipboard with real timers. */
  clipboardGuard?: ClipboardGuard;
  /** Where OP_CONNECT_HOST / OP_CONNECT_TOKEN are read (default: process.env). */
  opEnv?: NodeJS.ProcessEnv;
  /** How long a login search reuses the vault and summary lists (default 30 s). */
  loginsCacheMs?: number;
  /** Where the aws.* methods read AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and endpoints (default: process.env). */
  awsEnv?: NodeJS.ProcessEnv;
  /** Told to rescan after a login or logout, so the new session is refreshed before it expires. */
  sessionRefresher?: Pick<SessionRefresher, 'scan'>;
}

/** What every handler works with: the app's use cases, and the window's own services. */
export interface HandlerContext {
  app: DesktopApp;
  /**
   * The one state model: every session and checklist derivation goes through it, every successful plan and sync
   * is told to it, and it pushes `state.changed`.
   */
  state: StateStore;
  /** emit that never throws: a window gone mid-sync must not fail the sync. */
  send<E extends EventName>(event: E, payload: EventPayload<E>): void;
  pickFolder: HandlerDeps['pickFolder'];
  pickSaveFile: HandlerDeps['pickSaveFile'];
  /** Menu commands for the window, kept until its page listens (window-inbox.ts). */
  menuCommands: WindowInbox<MenuCommand>;
}

/** Wiring only: the desktop app's use cases over the window's ports. */
export function createContext(deps: HandlerDeps, services: HandlerServices): HandlerContext {
  const send: HandlerContext['send'] = (event, payload) => {
    try {
      deps.emit(event, payload);
    } catch {
      // The renderer is gone or reloading: progress is a courtesy, the work goes on.
    }
  };
  const menuCommands = createWindowInbox<MenuCommand>((command) => send('menu.command', command), {
    keep: MAX_PENDING_MENU_COMMANDS,
  });
  const app = createDesktopApp({
    runtime: deps.runtime,
    ...(deps.now && { now: deps.now }),
    ...(services.awsEnv && { awsEnv: services.awsEnv }),
    ...(services.opEnv && { opEnv: services.opEnv }),
    ...(services.probeAws && { probeAws: services.probeAws }),
    ...(services.watcher && { projectWatch: services.watcher }),
    ...(services.loginsCacheMs !== undefined && { loginsCacheMs: services.loginsCacheMs }),
    // A click shows the screen the notice is about: kept, like a menu command, while the page does not listen (a
    // reload, a window still starting), so it is not lost.
    ...(deps.notify && {
      notify: (notice) =>
        deps.notify!(notice, () => menuCommands.post({ command: 'show-screen', screen: notice.screen })),
    }),
    clipboardGuard: services.clipboardGuard ?? createClipboardGuard(deps.clipboard, { emit: send }),
    // The https check is the app's (links); this is only the door to the user's browser.
    openInBrowser: deps.openExternal,
    openFile:
      deps.openFile ??
      (() => Promise.reject(new LatchkeyError('INTERNAL', 'This window cannot open files in another app.'))),
    ...(deps.launchEditor && { launchEditor: deps.launchEditor }),
    confirmConnectHost: (host) => deps.confirmConnectHost(host),
    // The window shows a code prompt; after a session changed, it hears of it and the refresher reschedules.
    signalMfa: true,
    onSessionChange: async (change) => {
      deps.runtime.forgetAwsClients?.();
      send('aws.session', change);
      await state.refresh().catch(() => undefined);
      // A failure to reschedule must not fail the login that has already happened.
      await services.sessionRefresher?.scan().catch(() => undefined);
    },
  });
  const state = createStateStore({
    readSessions: () => app.aws.views(),
    readReadiness: ({ dir, profile }) => app.sync.readiness({ dir }, profile),
    emit: (change) => send('state.changed', change),
    ...(deps.now && { now: () => deps.now!().getTime() }),
  });
  return { app, state, send, pickFolder: deps.pickFolder, pickSaveFile: deps.pickSaveFile, menuCommands };
}
