import * as events from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as timers from 'node:timers';
import * as url from 'node:url';
import { types } from 'node:util';
import vm from 'node:vm';
import { SANDBOXED_PRELOAD_MODULES } from './shipping';

// A stand-in for the world a SANDBOXED, CONTEXT-ISOLATED Electron renderer gives its preload script, so the BUILT
// preload (out/preload/index.cjs) can run under plain Node: no Electron binary can be downloaded here. It follows
// Electron 45's own code, read for this purpose:
//   lib/sandboxed_renderer/init.ts, preload.ts        the require() allowlist, the CommonJS wrapper, the process object
//   shell/renderer/api/electron_api_context_bridge.cc  what contextBridge does with each type that crosses
//   lib/renderer/api/ipc-renderer.ts, ipc-native-setup.ts, lib/browser/ipc-dispatch.ts   invoke, listeners, errors
//
// Where it is exact (the parts that decide whether a preload works at all):
//   - the preload is compiled as a function of (require, process, exports, module, global, setImmediate,
//     clearImmediate) and called once, like Electron's createPreloadScript: no __filename, no __dirname;
//   - require() knows electron (electron/common, electron/renderer), events, timers and url (and their node:
//     forms); anything else throws `module not found: <name>`, and the failure is kept as Electron reports it
//     ("Unable to load preload script"), leaving the page without the API;
//   - contextBridge.exposeInMainWorld copies the value into a SEPARATE realm (another vm context, with its own
//     Object, Function, Error, Promise): primitives pass; functions become proxy functions (no name, no
//     properties, calls copied both ways; a proxy sent back is unwrapped to the original); plain objects and
//     class instances become plain objects of the other realm with their own enumerable properties only (the
//     prototype and its methods are lost; getters run once, at copy time); arrays are copied element by element
//     (holes become undefined); a Promise becomes a promise of the other realm whose value is copied when it
//     settles; an Error becomes `new Error(message)` (name, code, cause, stack and every other property lost, a
//     TypeError arrives as an Error); anything else is structured-cloned, and what cannot be cloned throws.
//     Nesting deeper than Electron's limit throws its TypeError. A function that throws across the bridge
//     rethrows `new Error(message)` on the caller's side. The exposed value is deep-frozen and the window
//     property is read-only, non-configurable; exposing over an existing property throws Electron's error;
//   - ipcRenderer.invoke structured-clones the arguments and the result, and a main-side failure rejects with
//     `Error invoking remote method '<channel>': <error>`; listeners get ({ sender, ports }, ...cloned args).
//
// Where it differs from Electron, and why that is close enough:
//   - no Buffer: Electron passes a Buffer polyfill into the wrapper. It is left out on purpose, so a preload that
//     came to depend on it fails here first (ours uses none; stricter, never looser);
//   - process.env is EMPTY: Electron copies the main process's environment into a sandboxed preload's process.env.
//     The stand-in must not put the test machine's credentials into a world under test, and our preload reads no
//     environment (the bundle test checks that it mentions none);
//   - no DOM in the isolated world (no document, no DOM events): our preload never touches the DOM; one that did
//     would throw here, not silently pass. The world has the web globals listed in WEB_GLOBALS, taken from Node;
//   - the allowlisted modules (events, timers, url) are Node's own, where Electron bundles browser polyfills of
//     them; electron's objects (ipcRenderer, the process object) live in the host realm, not the isolated one.
//     Only an `instanceof` across realms could tell the difference;
//   - cloneable values (Date, RegExp, Map, typed arrays, ...) are cloned with Node's structuredClone, whose copies
//     belong to the host realm rather than the destination world; DOM elements, Blobs and VideoFrames (which
//     Electron passes by reference) do not exist here;
//   - webFrame, webUtils, crashReporter, nativeImage and sharedTexture are objects that throw on any use;
//     exposeInIsolatedWorld, executeInMainWorld, ipcRenderer.sendSync, sendToHost and postMessage throw "not
//     supported by the stand-in". Our preload uses none of them; one that did would fail here, loudly;
//   - one preload, run once per call of runPreloadInSandbox: the caller decides when a document starts (the e2e
//     harness starts a world per document, as Electron does per navigation).

/**
 * What a sandboxed preload's require() can load (lib/sandboxed_renderer/init.ts, Electron 45). One list for the
 * stand-in and the packaging check (scripts/shipping.mjs), so the world the tests run the preload in and the rule
 * the shipped bundle is held to cannot drift apart.
 */
export const SANDBOX_REQUIRE_ALLOWLIST: readonly string[] = SANDBOXED_PRELOAD_MODULES;

/** The web globals both worlds get (an isolated world is a window context: it has these, from the browser). */
const WEB_GLOBALS = [
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'queueMicrotask',
  'structuredClone',
  'URL',
  'URLSearchParams',
  'TextEncoder',
  'TextDecoder',
  'atob',
  'btoa',
  'AbortController',
  'AbortSignal',
  'Event',
  'EventTarget',
  'crypto',
] as const;

/** Electron's proxy-call message when the thrown value has no string message (ProxyFunctionWrapper). */
const UNKNOWN_EXCEPTION =
  'An unknown exception occurred in the isolated context, an error occurred but a valid exception was not thrown.';
const RECURSION_LIMIT = 1000;

/** The main process as the preload reaches it. */
export interface MainProcessSide {
  /**
   * What ipcMain.handle's handler for `channel` answers to the (already cloned) arguments. Throw (or reject) for a
   * handler that failed or a channel with no handler (Electron's message: `No handler registered for '<channel>'`).
   */
  invoke(channel: string, args: unknown[]): unknown;
  /** ipcRenderer.send; without it, sends are only recorded in `world.sent`. */
  send?(channel: string, args: unknown[]): void;
}

export interface SandboxOptions {
  /** The preload file to run, e.g. out/preload/index.cjs. */
  preload: string;
  main: MainProcessSide;
  /** The document's URL (location in both worlds). */
  url?: string;
  /** process.isMainFrame; Electron runs preloads in subframes only with nodeIntegrationInSubFrames. */
  isMainFrame?: boolean;
}

interface ConsoleLine {
  level: 'log' | 'info' | 'warn' | 'error' | 'debug';
  text: string;
}

export interface PreloadWorld {
  /** The main world's global (the page's `window`): where exposeInMainWorld puts things. */
  readonly mainWorld: Record<string, unknown>;
  /** The isolated world's global, where the preload ran. */
  readonly isolatedWorld: Record<string, unknown>;
  /** Every name the preload passed to require(), allowed or not, in order. */
  readonly required: string[];
  /** What stopped the preload (Electron logs "Unable to load preload script" and the page goes on without it). */
  readonly loadError: Error | undefined;
  /** The keys exposeInMainWorld defined on the main world's window, in order. */
  readonly exposedKeys: string[];
  /** What the preload (and Electron, for a failed preload) wrote to the console. */
  readonly console: ConsoleLine[];
  /** Exceptions thrown by ipcRenderer listeners (Electron reports them as uncaught errors in the renderer). */
  readonly uncaught: Error[];
  /** Messages passed to ipcRenderer.send. */
  readonly sent: { channel: string; args: unknown[] }[];
  /** webContents.send(channel, ...args) from main: the preload's ipcRenderer listeners get cloned arguments. */
  send(channel: string, ...args: unknown[]): void;
  /** How many ipcRenderer listeners the preload has on `channel`. */
  listenerCount(channel: string): number;
}

/** A realm (vm context) with the intrinsics the bridge builds values from. */
interface Realm {
  context: vm.Context;
  global: Record<string, unknown>;
  Object: ObjectConstructor;
  Array: ArrayConstructor;
  Error: ErrorConstructor;
  TypeError: TypeErrorConstructor;
  Promise: PromiseConstructor;
  makeFunction(call: (args: unknown[]) => unknown): (...args: unknown[]) => unknown;
}

/** A bridge proxy function -> the function it calls and the realm that function belongs to. */
const bridged = new WeakMap<object, { original: (...args: unknown[]) => unknown; realm: Realm }>();

/**
 * The function a main-world proxy calls, or undefined for a function that is no bridge proxy. (The e2e carrier
 * uses it to tell an async preload function, whose proxy always returns a promise, from a synchronous one.)
 */
export function bridgedOriginal(fn: unknown): ((...args: unknown[]) => unknown) | undefined {
  return typeof fn === 'function' ? bridged.get(fn)?.original : undefined;
}

/** A fresh window-like realm with the web globals and a console that records into `lines`. */
function createWorldRealm(opts: { url?: string | undefined; lines?: ConsoleLine[] } = {}): Realm {
  const context = vm.createContext({});
  const global = vm.runInContext('globalThis', context) as Record<string, unknown>;
  const host = globalThis as unknown as Record<string, unknown>;
  for (const name of WEB_GLOBALS) global[name] = host[name];
  const lines = opts.lines ?? [];
  const record =
    (level: ConsoleLine['level']) =>
    (...args: unknown[]) =>
      lines.push({
        level,
        text: args
          .map((a) =>
            a instanceof Error || types.isNativeError(a) ? String(a) : typeof a === 'string' ? a : safeJson(a),
          )
          .join(' '),
      });
  global.console = {
    log: record('log'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    debug: record('debug'),
  };
  const location = new URL(opts.url ?? 'about:blank');
  global.location = Object.freeze({
    href: location.href,
    origin: location.origin,
    protocol: location.protocol,
    host: location.host,
    pathname: location.pathname,
  });
  global.navigator = Object.freeze({ userAgent: `Mozilla/5.0 (stand-in) Electron/${electronVersion()}` });
  global.window = global;
  global.self = global;
  const intrinsics = vm.runInContext('({ Object, Array, Error, TypeError, Promise })', context) as Pick<
    Realm,
    'Object' | 'Array' | 'Error' | 'TypeError' | 'Promise'
  >;
  const factory = vm.runInContext('(call) => function () { return call(Array.from(arguments)); }', context) as (
    call: (args: unknown[]) => unknown,
  ) => (...args: unknown[]) => unknown;
  return { context, global, ...intrinsics, makeFunction: factory };
}

/**
 * Runs the preload file as a sandboxed Electron renderer would, against `main`, and returns the two worlds. A
 * preload that throws (a require outside the allowlist, for one) does not make this throw: like Electron, the
 * failure is logged and kept in `loadError`, and the main world simply lacks the API.
 */
export function runPreloadInSandbox(opts: SandboxOptions): PreloadWorld {
  const consoleLines: ConsoleLine[] = [];
  const isolated = createWorldRealm({ url: opts.url, lines: consoleLines });
  const main = createWorldRealm({ url: opts.url });
  const required: string[] = [];
  const exposedKeys: string[] = [];
  const uncaught: Error[] = [];
  const sent: PreloadWorld['sent'] = [];

  const ipcRenderer = createIpcRenderer(isolated, opts.main, sent);
  const contextBridge = Object.freeze({
    exposeInMainWorld(key: string, api: unknown) {
      exposeInWorld(isolated, main, String(key), api);
      exposedKeys.push(String(key));
    },
    exposeInIsolatedWorld() {
      throw new isolated.Error('contextBridge.exposeInIsolatedWorld is not supported by the stand-in');
    },
    executeInMainWorld() {
      throw new isolated.Error('contextBridge.executeInMainWorld is not supported by the stand-in');
    },
  });
  const electron = Object.freeze({
    contextBridge,
    ipcRenderer,
    webFrame: unsupported('webFrame'),
    webUtils: unsupported('webUtils'),
    crashReporter: unsupported('crashReporter'),
    nativeImage: unsupported('nativeImage'),
    sharedTexture: unsupported('sharedTexture'),
  });
  const loaded = new Map<string, unknown>([
    ['electron', electron],
    ['electron/common', electron],
    ['electron/renderer', electron],
    ['events', events],
    ['node:events', events],
    ['timers', timers],
    ['node:timers', timers],
    ['url', url],
    ['node:url', url],
  ]);
  const preloadRequire = (name: string) => {
    required.push(String(name));
    if (loaded.has(name)) return loaded.get(name);
    throw new isolated.Error(`module not found: ${name}`);
  };

  let loadError: Error | undefined;
  try {
    const source = readFileSync(opts.preload, 'utf8');
    const preloadFn = vm.compileFunction(
      source,
      ['require', 'process', 'exports', 'module', 'global', 'setImmediate', 'clearImmediate'],
      { parsingContext: isolated.context, filename: opts.preload },
    );
    const exports = {};
    preloadFn.call(
      undefined,
      preloadRequire,
      createPreloadProcess(opts.isMainFrame ?? true),
      exports,
      { exports },
      isolated.global,
      timers.setImmediate,
      timers.clearImmediate,
    );
  } catch (error) {
    loadError =
      typeof error === 'object' && error !== null && 'message' in error ? (error as Error) : new Error(String(error));
    consoleLines.push({ level: 'error', text: `Unable to load preload script: ${opts.preload}` });
    consoleLines.push({ level: 'error', text: String(loadError) });
  }

  return {
    mainWorld: main.global,
    isolatedWorld: isolated.global,
    required,
    loadError,
    exposedKeys,
    console: consoleLines,
    uncaught,
    sent,
    send(channel, ...args) {
      const cloned = structuredClone(args);
      try {
        ipcRenderer.emit(channel, { sender: ipcRenderer, ports: [] }, ...cloned);
      } catch (error) {
        uncaught.push(types.isNativeError(error) ? (error as Error) : new Error(String(error)));
      }
    },
    listenerCount: (channel) => ipcRenderer.listenerCount(channel),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The renderer side of IPC

function createIpcRenderer(isolated: Realm, main: MainProcessSide, sent: PreloadWorld['sent']) {
  class IpcRenderer extends events.EventEmitter {
    send(channel: string, ...args: unknown[]) {
      const cloned = cloneForIpc(isolated, args);
      sent.push({ channel, args: cloned });
      main.send?.(channel, cloned);
    }
    async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
      const cloned = cloneForIpc(isolated, args);
      let result: unknown;
      try {
        result = await main.invoke(channel, cloned);
      } catch (error) {
        // ipc-dispatch.ts replies with error.toString(); ipc-renderer.ts wraps it.
        throw new isolated.Error(`Error invoking remote method '${channel}': ${String(error)}`);
      }
      return structuredClone(result);
    }
    sendSync(): never {
      throw new isolated.Error('ipcRenderer.sendSync is not supported by the stand-in');
    }
    sendToHost(): never {
      throw new isolated.Error('ipcRenderer.sendToHost is not supported by the stand-in');
    }
    postMessage(): never {
      throw new isolated.Error('ipcRenderer.postMessage is not supported by the stand-in');
    }
  }
  return new IpcRenderer();
}

/** IPC arguments are serialized, never proxied; Electron's serializer fails with this message. */
function cloneForIpc(isolated: Realm, args: unknown[]): unknown[] {
  try {
    return structuredClone(args);
  } catch {
    throw new isolated.Error('An object could not be cloned.');
  }
}

/** The `process` a sandboxed preload sees (preload.ts createPreloadProcessObject + the startup data), minus env. */
function createPreloadProcess(isMainFrame: boolean) {
  const preloadProcess = new events.EventEmitter() as events.EventEmitter & Record<string, unknown>;
  Object.assign(preloadProcess, {
    arch: process.arch,
    platform: process.platform,
    version: process.version,
    versions: Object.freeze({ ...process.versions, electron: electronVersion() }),
    execPath: '',
    argv: [],
    env: {},
    pid: process.pid,
    type: 'renderer',
    sandboxed: true,
    contextIsolated: true,
    isMainFrame,
    noDeprecation: false,
    uptime: () => process.uptime(),
  });
  return preloadProcess;
}

function unsupported(name: string): object {
  return new Proxy(
    {},
    {
      get(_target, prop) {
        if (typeof prop === 'symbol') return undefined;
        throw new Error(`electron.${name}.${prop} is not supported by the stand-in (test/support/electron-sandbox.ts)`);
      },
    },
  );
}

let cachedElectronVersion: string | undefined;
function electronVersion(): string {
  // Read, never required: loading the electron package would try to download its binary.
  cachedElectronVersion ??= (
    JSON.parse(readFileSync(createRequire(import.meta.url).resolve('electron/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  return cachedElectronVersion;
}

// ---------------------------------------------------------------------------------------------------------------
// The context bridge (electron_api_context_bridge.cc)

type Cache = Map<unknown, unknown>;
/** Which side a copy failure is thrown on: the side the value came from, or the one it was going to. */
type ErrorTarget = 'source' | 'destination';

function exposeInWorld(isolated: Realm, main: Realm, key: string, api: unknown): void {
  if (key in main.global) {
    throw new isolated.Error('Cannot bind an API on top of an existing property on the window object');
  }
  const copy = passValue(isolated, main, api, isolated.global, new Map(), 0, 'source');
  if (typeof copy === 'function' || (typeof copy === 'object' && copy !== null && !types.isTypedArray(copy))) {
    deepFreeze(copy as object, new Set());
  }
  Object.defineProperty(main.global, key, { value: copy, enumerable: true, writable: false, configurable: false });
}

/** DeepFreeze: every own enumerable string-keyed object value (typed arrays cannot be frozen and are skipped). */
function deepFreeze(object: object, seen: Set<object>): void {
  if (seen.has(object)) return;
  seen.add(object);
  for (const key of Object.keys(object)) {
    const child = (object as Record<string, unknown>)[key];
    if ((typeof child === 'object' && child !== null) || typeof child === 'function') {
      if (!types.isTypedArray(child)) deepFreeze(child as object, seen);
    }
  }
  Object.freeze(object);
}

function passValue(
  from: Realm,
  to: Realm,
  value: unknown,
  parent: unknown,
  cache: Cache,
  depth: number,
  errorTarget: ErrorTarget,
): unknown {
  if (depth >= RECURSION_LIMIT) {
    const realm = errorTarget === 'source' ? from : to;
    throw new realm.TypeError(
      'Electron contextBridge recursion depth exceeded.  Nested objects deeper than 1000 are not supported.',
    );
  }
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  if (cache.has(value)) return cache.get(value);

  if (typeof value === 'function') {
    const known = bridged.get(value);
    // A proxy sent back to the realm of its original is unwrapped, not proxied again.
    if (known && known.realm === to) return known.original;
    const original = value as (...args: unknown[]) => unknown;
    const proxy = to.makeFunction((args) => callAcross(to, from, original, parent, args));
    bridged.set(proxy, { original, realm: from });
    cache.set(value, proxy);
    return proxy;
  }

  if (types.isPromise(value)) {
    const proxied = new to.Promise((resolve, reject) => {
      const settle = (outcome: unknown, done: (v: unknown) => void, what: string) => {
        let copy: unknown;
        try {
          copy = passValue(from, to, outcome, from.global, new Map(), 0, 'destination');
        } catch (error) {
          reject(
            new to.Error(
              messageOf(error) ??
                `An error was thrown while sending a promise ${what} over the context bridge but it was not actually an Error object.`,
            ),
          );
          return;
        }
        done(copy);
      };
      // Both outcomes are handled (the second callback settles a rejection), which lint cannot see through .call.
      void from.Promise.prototype.then.call(
        value,
        (result) => settle(result, resolve, 'result'),
        (reason) => settle(reason, reject, 'rejection'),
      );
    });
    cache.set(value, proxied);
    return proxied;
  }

  if (types.isNativeError(value)) {
    const message = (value as { message?: unknown }).message;
    return new to.Error(typeof message === 'string' ? message : `Uncaught ${String(value)}`);
  }

  if (Array.isArray(value) && !types.isProxy(value)) {
    // Built in the destination realm, so its prototype is that world's own; cached only once complete, as in
    // Electron (an array that contains itself runs into the recursion limit there too).
    const copy = new to.Array();
    for (let i = 0; i < value.length; i++) {
      copy.push(passValue(from, to, value[i], value, cache, depth + 1, errorTarget));
    }
    cache.set(value, copy);
    return copy;
  }

  if (isPlainObject(value)) {
    const copy = new to.Object() as Record<PropertyKey, unknown>;
    cache.set(value, copy);
    for (const key of Reflect.ownKeys(value)) {
      if (!Object.prototype.propertyIsEnumerable.call(value, key)) continue;
      const child = (value as Record<PropertyKey, unknown>)[key];
      const passed = passValue(from, to, child, value, cache, depth + 2, errorTarget);
      Object.defineProperty(copy, key, { value: passed, enumerable: true, writable: true, configurable: true });
    }
    return copy;
  }

  // Everything else is serialized; what cannot be (a WeakMap, a class-less Proxy) throws DataCloneError.
  const cloned = structuredClone(value);
  cache.set(value, cloned);
  return cloned;
}

/** ProxyFunctionWrapper: arguments copied in, the call made, its result (or its error's message) copied out. */
function callAcross(
  calling: Realm,
  owning: Realm,
  fn: (...args: unknown[]) => unknown,
  receiver: unknown,
  args: unknown[],
): unknown {
  // `calling` is the realm the proxy lives in; the arguments travel from it to the function's own realm, and the
  // result (or the thrown error's message) travels back.
  const argCache: Cache = new Map();
  const passed = args.map((arg) => passValue(calling, owning, arg, calling.global, argCache, 0, 'source'));
  let result: unknown;
  try {
    result = fn.apply(receiver, passed);
  } catch (error) {
    throw new calling.Error(messageOf(error) ?? UNKNOWN_EXCEPTION);
  }
  try {
    return passValue(owning, calling, result, owning.global, new Map(), 0, 'destination');
  } catch (error) {
    throw new calling.Error(
      types.isNativeError(error)
        ? `Uncaught ${String(error)}`
        : 'An unknown exception occurred while sending a function return value over the context bridge, an error occurred but a valid exception was not thrown.',
    );
  }
}

function messageOf(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? message : undefined;
}

/** IsPlainObject: an object that is none of the kinds V8 can tell apart (those are cloned or handled above). */
function isPlainObject(value: object): boolean {
  return !(
    types.isDate(value) ||
    types.isArgumentsObject(value) ||
    types.isBoxedPrimitive(value) ||
    types.isNativeError(value) ||
    types.isRegExp(value) ||
    types.isPromise(value) ||
    types.isMap(value) ||
    types.isSet(value) ||
    types.isMapIterator(value) ||
    types.isSetIterator(value) ||
    types.isWeakMap(value) ||
    types.isWeakSet(value) ||
    types.isArrayBuffer(value) ||
    types.isArrayBufferView(value) ||
    Array.isArray(value) ||
    types.isSharedArrayBuffer(value) ||
    types.isGeneratorObject(value) ||
    types.isModuleNamespaceObject(value) ||
    types.isProxy(value)
  );
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
