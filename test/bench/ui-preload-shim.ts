// Runs in the page, before the app, for the UI benchmark only: window.latchkey built with createApi from source,
// over a Playwright binding to the benchmark's stand-in main process. The e2e suite runs the SHIPPED preload
// instead (test/e2e/harness/preload.ts); the benchmark keeps this direct path because its figures are the
// renderer's own, and the e2e carrier's process hops (which Electron's in-process bridge does not have) would
// count against them.
import { z } from 'zod';
import { createApi, type PreloadIpc } from '../../preload/api';

declare global {
  interface Window {
    __latchkeyInvoke(channel: string, payload: unknown): Promise<unknown>;
    __latchkeyDispatch(channel: string, payload: unknown): number;
  }
}

// In Electron the preload runs in an isolated world that the page's CSP does not govern; here it shares the page's
// world, so this bundle's own copy of zod must not probe for eval. zod keeps its config (and registry) on
// globalThis: take them off again, so the renderer's own zod starts from its defaults exactly as it would in
// Electron, where the preload's globals are in another world.
z.config({ jitless: true });
for (const key of Object.keys(globalThis))
  if (key.startsWith('__zod_')) delete (globalThis as Record<string, unknown>)[key];

type Listener = (payload: unknown) => void;

const listeners = new Map<string, Set<Listener>>();

const ipc: PreloadIpc = {
  invoke: (channel, payload) => window.__latchkeyInvoke(channel, payload),
  on(channel, listener) {
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    // Wrapped, so the same function subscribed twice gets two independent subscriptions, as with ipcRenderer.on.
    const wrapped: Listener = (payload) => listener(payload);
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  },
};

// Not writable or configurable, as contextBridge.exposeInMainWorld would leave it.
Object.defineProperty(window, '__latchkeyDispatch', {
  value: (channel: string, payload: unknown) => {
    const set = listeners.get(channel);
    if (!set) return 0;
    for (const listener of [...set]) listener(structuredClone(payload));
    return set.size;
  },
});
Object.defineProperty(window, 'latchkey', { value: createApi(ipc), enumerable: true });
