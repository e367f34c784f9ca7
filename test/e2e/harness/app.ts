import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inject } from 'vitest';
import {
  METHOD_NAMES,
  eventChannel,
  type Envelope,
  type EventName,
  type EventPayload,
  type MenuCommand,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from '../../../contract/ipc';
import { createIpcBackend } from '../../../main/ipc/index';
import type { SenderInfo } from '../../../main/ipc/router';
import type { SaveFileRequest } from '../../../main/ipc/types';
import { createRuntime } from '../../../main/app/runtime';
import { OUT_PRELOAD } from '../../support/built-bundles';
import { memoryClipboard } from '../../support/ipc-sandbox';
import { attachShippedPreload, type PreloadCarrier } from './preload';
import { APP_URL, serveRenderer } from './serve';

/** One IPC exchange as the page saw it: what the binding returned is exactly what crossed the bridge. */
interface Exchange {
  method: string;
  sender: SenderInfo;
  envelope: Envelope<unknown>;
}

export interface E2eApp {
  page: Page;
  context: BrowserContext;
  /** The app-data folder (state, settings, audit) of this test's backend. */
  appDir: string;
  /** Every envelope the binding handed to the page, in order. */
  exchanges: Exchange[];
  /** Every event the backend emitted, in order. */
  events: { event: EventName; payload: unknown }[];
  /** URLs the backend was asked to open in the user's browser. */
  openedExternal: string[];
  /** Files the backend was asked to open in their app (latchkey.yml in the user's editor). */
  openedFiles: string[];
  /** The editor commands started (Settings ▸ editor command), as program and arguments: none is run. */
  launchedEditors: { command: string; args: string[] }[];
  /** Desktop notifications main showed, in order; click() is the user clicking one. */
  notifications: { title: string; body: string; click(): void }[];
  /** The system clipboard, in memory: what a copied login put there, and every write in order. */
  clipboard: ReturnType<typeof memoryClipboard>;
  /**
   * Uncaught page errors, CSP violations, network requests outside the app origin, and preload failures (it did not
   * load, a listener threw, a call could not cross).
   */
  problems: {
    pageErrors: string[];
    cspViolations: string[];
    strayRequests: string[];
    consoleErrors: string[];
    preload: string[];
  };
  /** The shipped preload's worlds (one per document) and how main's events reach them. */
  preload: PreloadCarrier;
  /** What the native folder picker answers next (null = the user cancelled). */
  setPickedFolder(dir: string | null): void;
  /** What the native save dialog answers next (null = the user cancelled); the requests it was shown are kept. */
  setSaveFile(file: string | null): void;
  saveRequests: SaveFileRequest[];
  /**
   * Opens `dir` as the user would in an earlier session: main's folder dialog answers it (projects.pick), then
   * projects.open records it. Returns the id the window names the folder by (main takes no path from it).
   */
  openFolder(dir: string): Promise<string>;
  /**
   * What main's menu (or a folder on the command line) hands the window: sent at once if the page listens, kept
   * until it asks otherwise, as main/electron/menu.ts does.
   */
  postMenuCommand(command: MenuCommand): void;
  /** Calls the real router directly, as the app's own window would, for test setup; throws on an error envelope. */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** Loads the app at https://latchkey.test/ and waits for the first paint and the end of its start-up (the first requests). */
  open(): Promise<void>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** Reuse an app-data folder (e.g. to reopen the app); a fresh temp folder otherwise. */
  appDir?: string;
  /** The preload to run; the shipped out/preload/index.cjs unless a test needs a broken one. */
  preload?: string;
  /** Run the preload in subframes too, as Electron does with nodeIntegrationInSubFrames. */
  preloadInSubFrames?: boolean;
}

const METHOD_PREFIX = 'latchkey:';
const START_TIMEOUT_MS = 15_000;

let mirrorSource: string | undefined;
function pageMirror(): string {
  return (mirrorSource ??= inject('e2ePageMirror'));
}

/**
 * The app as DESIGN.md §7 puts it together for e2e: the built renderer in Chromium; window.latchkey from the
 * SHIPPED preload (out/preload/index.cjs) run in the sandbox stand-in and mirrored into the page
 * (./preload.ts); its ipcRenderer carried to the real router, handlers and runtime (moto, keyring), with the
 * sending frame as Electron reports it.
 */
export async function launchApp(browser: Browser, opts: LaunchOptions = {}): Promise<E2eApp> {
  const ownsAppDir = !opts.appDir;
  const appDir = opts.appDir ?? mkdtempSync(path.join(tmpdir(), 'latchkey-e2e-home-'));
  const exchanges: Exchange[] = [];
  const events: E2eApp['events'] = [];
  const openedExternal: string[] = [];
  const openedFiles: string[] = [];
  const launchedEditors: { command: string; args: string[] }[] = [];
  const notifications: E2eApp['notifications'] = [];
  const clipboard = memoryClipboard();
  let picked: string | null = null;
  let saveFile: string | null = null;
  const saveRequests: SaveFileRequest[] = [];
  // The backend exists before the page does; events find the preload through this holder once it is there.
  const live: { preload?: PreloadCarrier } = {};

  const backend = createIpcBackend({
    runtime: createRuntime({ appDir }),
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      events.push({ event, payload });
      // webContents.send: to the preload's ipcRenderer, which hands it to the page's listeners.
      live.preload?.send(eventChannel(event), payload);
    },
    pickFolder: async () => picked,
    pickSaveFile: async (request) => {
      saveRequests.push(request);
      return saveFile;
    },
    // Main's "send the token to this server?" dialog: the e2e user confirms the test Connect server.
    confirmConnectHost: async () => true,
    openExternal: async (url: string) => {
      openedExternal.push(url);
    },
    openFile: async (file: string) => {
      openedFiles.push(file);
    },
    launchEditor: async (command: string, args: string[]) => {
      launchedEditors.push({ command, args });
    },
    clipboard,
    notify: (notice, onClick) => void notifications.push({ title: notice.title, body: notice.body, click: onClick }),
    allowedOrigins: ['https://latchkey.test'],
  });

  const context = await browser.newContext({
    colorScheme: opts.colorScheme ?? 'light',
    // The app's default window (main/electron/window.ts).
    viewport: opts.viewport ?? { width: 1200, height: 800 },
    deviceScaleFactor: 1,
    reducedMotion: 'reduce',
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  const thePage = await context.newPage();
  const preload = await attachShippedPreload(thePage, {
    preload: opts.preload ?? OUT_PRELOAD,
    mirrorScript: pageMirror(),
    subFrames: opts.preloadInSubFrames ?? false,
    // What main/electron/ipc.ts registers: one ipcMain handler per contract method, handing the call and its
    // sender to the router; a channel with no handler fails as Electron's ipcMain does.
    async invoke(channel, args, sender) {
      const method = channel.startsWith(METHOD_PREFIX) ? channel.slice(METHOD_PREFIX.length) : '';
      if (!(METHOD_NAMES as string[]).includes(method)) throw new Error(`No handler registered for '${channel}'`);
      const envelope = await backend.router.handle(method, sender, args[0]);
      exchanges.push({ method, sender, envelope: structuredClone(envelope) });
      return envelope;
    },
  });
  live.preload = preload;
  const problems: E2eApp['problems'] = {
    pageErrors: [],
    cspViolations: [],
    strayRequests: [],
    consoleErrors: [],
    preload: preload.problems,
  };
  await thePage.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) => console.error('[csp-violation] ' + e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' at ' + (e.sourceFile || '(no file)') + ':' + e.lineNumber));`,
  });
  thePage.on('pageerror', (error) => problems.pageErrors.push(String(error.stack ?? error.message)));
  thePage.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (text.startsWith('[csp-violation]')) problems.cspViolations.push(text);
    else if (!text.includes('ERR_BLOCKED_BY_CLIENT')) problems.consoleErrors.push(text);
  });
  await serveRenderer(thePage, (url) => problems.strayRequests.push(url));

  const call: E2eApp['call'] = async (method, input) => {
    const envelope = await backend.router.handle(method, { url: APP_URL, isMainFrame: true }, input);
    if (!envelope.ok) throw new Error(`${method} failed: ${envelope.error.code}: ${envelope.error.message}`);
    return envelope.value as never;
  };
  return {
    page: thePage,
    context,
    appDir,
    exchanges,
    events,
    openedExternal,
    openedFiles,
    launchedEditors,
    notifications,
    clipboard,
    problems,
    preload,
    setSaveFile(file) {
      saveFile = file;
    },
    saveRequests,
    setPickedFolder(dir) {
      picked = dir;
    },
    async openFolder(dir) {
      const before = picked;
      picked = dir;
      const chosen = await call('projects.pick', {}).finally(() => (picked = before));
      if (!chosen.picked) throw new Error(`projects.pick did not register ${dir}`);
      await call('projects.open', { projectId: chosen.picked.projectId });
      return chosen.picked.projectId;
    },
    postMenuCommand: (command) => backend.postMenuCommand(command),
    call,
    async open() {
      await thePage.goto(APP_URL, { waitUntil: 'load' });
      await thePage.waitForFunction(() => (document.getElementById('root') ?? document.body).childElementCount > 0);
      // And until its start-up is over: App.tsx subscribes to main's events one a task after the first render, then
      // asks for the recent projects. Each subscription crosses here through a prompt(), and a key pressed while one
      // is open never reaches the page (Electron has no such dialog): a test's first key waits for them.
      const started = Date.now() + START_TIMEOUT_MS;
      while (!exchanges.some((x) => x.method === 'projects.list')) {
        if (Date.now() > started) throw new Error('the app did not ask for its recent projects after its first paint');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      await preload.idle();
      await context.close();
      await backend.dispose();
      // Dispose waits for the calls under way (their plan caches, audit lines) for up to 5 s; one still running after
      // that could still write while the folder is removed (ENOTEMPTY, once in CI): Node retries the removal.
      if (ownsAppDir) rmSync(appDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    },
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The page end of the preload carrier, bundled (built once by the e2e global setup). */
    e2ePageMirror: string;
  }
}
