import { eventChannel, METHOD_NAMES, methodChannel, type EventName, type MethodName } from '../../contract/ipc';
import { createIpcBackend, type IpcBackend } from '../../main/ipc';
import { createApi } from '../../preload/api';
import { memoryClipboard, memoryKeychain, offlineRuntime, ORIGIN, TRUSTED } from './ipc-sandbox';

// Shared by the renderer unit tests (not a test file itself): `window.latchkey` in Node, built by the real preload
// (createApi) over the real router, handlers and file watcher, with the offline runtime of ipc-sandbox. What the
// Electron transport would carry is carried by plain function calls.

export interface RendererBridge {
  backend: IpcBackend;
  /** What main's folder dialog answers next (null: the user cancelled). */
  setPickedFolder(dir: string | null): void;
  dispose(): Promise<void>;
}

export function installRendererBridge(appDir: string): RendererBridge {
  let picked: string | null = null;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const backend = createIpcBackend({
    runtime: offlineRuntime(appDir, memoryKeychain()),
    emit: (event: EventName, payload: unknown) => {
      for (const listener of listeners.get(eventChannel(event)) ?? []) listener(payload);
    },
    pickFolder: async () => picked,
    // Nothing here configures 1Password: a new Connect server would be refused, as an unconfirmed one is.
    confirmConnectHost: async () => false,
    openExternal: async () => undefined,
    clipboard: memoryClipboard(),
    allowedOrigins: [ORIGIN],
  });
  const methodOf = new Map<string, MethodName>(METHOD_NAMES.map((m) => [methodChannel(m), m]));
  const api = createApi({
    invoke: (channel, payload) => backend.router.handle(methodOf.get(channel)!, TRUSTED, payload),
    on: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set.add(listener));
      return () => set.delete(listener);
    },
  });
  const holder = globalThis as { window?: unknown };
  holder.window = { latchkey: api };
  return {
    backend,
    setPickedFolder(dir) {
      picked = dir;
    },
    async dispose() {
      delete holder.window;
      await backend.dispose();
    },
  };
}
