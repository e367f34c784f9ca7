import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inject } from 'vitest';
import {
  eventChannel,
  type Envelope,
  type EventName,
  type EventPayload,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from '../../../contract/ipc';
import { createIpcBackend } from '../../../main/ipc/index';
import type { SenderInfo } from '../../../main/ipc/router';
import { createRuntime } from '../../../main/app/runtime';
import { memoryClipboard } from '../../support/ipc-sandbox';
import './globals';
import { APP_URL, serveRenderer } from './serve';

/** One IPC exchange as the page saw it: what the binding returned is exactly what crossed the bridge. */
export interface Exchange {
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
  /** The system clipboard, in memory: what a copied login put there, and every write in order. */
  clipboard: ReturnType<typeof memoryClipboard>;
  /** Uncaught page errors, CSP violations and network requests outside the app origin. */
  problems: { pageErrors: string[]; cspViolations: string[]; strayRequests: string[]; consoleErrors: string[] };
  /** What the native folder picker answers next (null = the user cancelled). */
  setPickedFolder(dir: string | null): void;
  /** Calls the real router directly, as the app's own window would, for test setup; throws on an error envelope. */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** Loads the app at https://latchkey.test/ and waits for the first paint. */
  open(): Promise<void>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** Reuse an app-data folder (e.g. to reopen the app); a fresh temp folder otherwise. */
  appDir?: string;
}

const METHOD_PREFIX = 'latchkey:';

let shimSource: string | undefined;
function preloadShim(): string {
  return (shimSource ??= inject('e2ePreloadShim'));
}

/**
 * The app as DESIGN.md §7 puts it together for e2e: the built renderer in Chromium, window.latchkey from the real
 * createApi, and its ipc carried by a Playwright binding to the real router, handlers and runtime (moto, keyring).
 */
export async function launchApp(browser: Browser, opts: LaunchOptions = {}): Promise<E2eApp> {
  const ownsAppDir = !opts.appDir;
  const appDir = opts.appDir ?? mkdtempSync(path.join(tmpdir(), 'latchkey-e2e-home-'));
  const exchanges: Exchange[] = [];
  const events: E2eApp['events'] = [];
  const openedExternal: string[] = [];
  const clipboard = memoryClipboard();
  const problems: E2eApp['problems'] = { pageErrors: [], cspViolations: [], strayRequests: [], consoleErrors: [] };
  let picked: string | null = null;
  // The backend exists before the page does; events find the page through this holder once it is there.
  const live: { page?: Page } = {};
  // Events are delivered in the order they were emitted, one page.evaluate after the other.
  let delivery: Promise<unknown> = Promise.resolve();

  const backend = createIpcBackend({
    runtime: createRuntime({ appDir }),
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      events.push({ event, payload });
      const target = live.page;
      if (!target) return;
      delivery = delivery
        .then(() =>
          target.evaluate(([channel, data]) => window.__latchkeyDispatch(channel, data), [
            eventChannel(event),
            payload,
          ] as const),
        )
        .catch(() => undefined);
    },
    pickFolder: async () => picked,
    openExternal: async (url: string) => {
      openedExternal.push(url);
    },
    clipboard,
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
  live.page = thePage;
  await thePage.exposeBinding('__latchkeyInvoke', async (source, channel: unknown, payload: unknown) => {
    const method =
      typeof channel === 'string' && channel.startsWith(METHOD_PREFIX)
        ? channel.slice(METHOD_PREFIX.length)
        : String(channel);
    const sender: SenderInfo = { url: source.frame.url(), isMainFrame: source.frame === source.page.mainFrame() };
    const envelope = await backend.router.handle(method, sender, payload);
    exchanges.push({ method, sender, envelope: structuredClone(envelope) });
    return envelope;
  });
  await thePage.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) => console.error('[csp-violation] ' + e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' at ' + (e.sourceFile || '(no file)') + ':' + e.lineNumber));`,
  });
  await thePage.addInitScript({ content: preloadShim() });
  thePage.on('pageerror', (error) => problems.pageErrors.push(String(error.stack ?? error.message)));
  thePage.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (text.startsWith('[csp-violation]')) problems.cspViolations.push(text);
    else if (!text.includes('ERR_BLOCKED_BY_CLIENT')) problems.consoleErrors.push(text);
  });
  await serveRenderer(thePage, (url) => problems.strayRequests.push(url));

  return {
    page: thePage,
    context,
    appDir,
    exchanges,
    events,
    openedExternal,
    clipboard,
    problems,
    setPickedFolder(dir) {
      picked = dir;
    },
    async call(method, input) {
      const envelope = await backend.router.handle(method, { url: APP_URL, isMainFrame: true }, input);
      if (!envelope.ok) throw new Error(`${method} failed: ${envelope.error.code}: ${envelope.error.message}`);
      return envelope.value as never;
    },
    async open() {
      await thePage.goto(APP_URL, { waitUntil: 'load' });
      await thePage.waitForFunction(() => (document.getElementById('root') ?? document.body).childElementCount > 0);
    },
    async close() {
      await delivery;
      await context.close();
      await backend.dispose();
      if (ownsAppDir) rmSync(appDir, { recursive: true, force: true });
    },
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The IIFE that defines window.latchkey with the real createApi (built once by the e2e global setup). */
    e2ePreloadShim: string;
  }
}
