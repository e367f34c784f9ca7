import { EventEmitter } from 'node:events';
import Module, { register } from 'node:module';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

// Loads the BUILT main bundle (out/main/index.js) under plain Node, with `electron` replaced by a recording
// stand-in, so its wiring can be checked without an Electron binary: what it does before 'ready' (privileged
// scheme, sandbox, single-instance lock, paths), the window it opens, the app:// protocol handler, the ipcMain
// handlers, the session and web-contents guards. The stand-in records; it does not imitate Chromium. What it keeps
// from Electron are the rules a wrong call would break there too: registerSchemesAsPrivileged only before ready,
// protocol.handle and session.defaultSession only after, one ipcMain handler per channel, and creating a
// BrowserWindow emits the app's 'web-contents-created'. Any property of a stand-in object the bundle touches and
// the stand-in lacks throws, naming it, so a gap can never pass as `undefined`.

const FAKE_KEY = Symbol.for('latchkey.test.fakeElectron');
const HOOKS_URL = new URL('./electron-main/hooks.mjs', import.meta.url);
const FAKE_MODULE_URL = new URL('./electron-main/electron.mjs', import.meta.url).href;

/** One call the bundle made, in order, and whether the app was ready at the time. */
interface CallRecord {
  call: string;
  args: unknown[];
  ready: boolean;
}

interface FakeWebContents extends EventEmitter {
  id: number;
  mainFrame: { url: string };
  sent: { channel: string; args: unknown[] }[];
  windowOpenHandler?: (details: { url: string }) => { action: string };
  isDestroyed(): boolean;
  isLoading(): boolean;
  getURL(): string;
  send(channel: string, ...args: unknown[]): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void;
}

export interface FakeWindow extends EventEmitter {
  options: Record<string, unknown>;
  webContents: FakeWebContents;
  loadedUrls: string[];
  shown: boolean;
  focused: number;
}

interface FakeSession extends EventEmitter {
  // Each setter may clear its handler, as Electron's do; an unset handler is undefined.
  permissionRequestHandler?:
    | ((
        contents: unknown,
        permission: string,
        callback: (granted: boolean) => void,
        details: { requestingUrl?: string },
      ) => void)
    | undefined;
  permissionCheckHandler?: ((contents: unknown, permission: string, requestingOrigin: string) => boolean) | undefined;
  devicePermissionHandler?: ((details: unknown) => boolean) | undefined;
}

export interface FakeElectron {
  /** Every call into the stand-in, in order. */
  calls: CallRecord[];
  paths: Map<string, string>;
  /** protocol.registerSchemesAsPrivileged arguments. */
  privilegedSchemes: { scheme: string; privileges: Record<string, boolean> }[];
  /** protocol.handle: scheme -> handler. */
  protocolHandlers: Map<string, (request: Request) => Promise<Response> | Response>;
  /** ipcMain.handle: channel -> handler. */
  ipcHandlers: Map<string, (event: unknown, ...args: unknown[]) => unknown>;
  windows: FakeWindow[];
  defaultSession: FakeSession;
  /** The last template given to Menu.setApplicationMenu. */
  applicationMenu: unknown[] | null;
  openedExternal: string[];
  /** dialog.showErrorBox calls: what a user would read in the native dialog. */
  errorBoxes: { title: string; content: string }[];
  clipboardText: string;
  /** The folder the next dialog.showOpenDialog answers with, as if the user chose it; unset: the user cancels. */
  nextOpenDialogFolder: string | undefined;
  /** Notifications shown (new Notification(...).show()), with a click() that fires its 'click' listeners. */
  notifications: { title: string; body: string; click(): void }[];
  quitCount: number;
  /** The app object the bundle got, to emit lifecycle events on ('second-instance', 'will-quit', ...). */
  app: EventEmitter;
  /** Emits 'ready' and resolves app.whenReady(). */
  makeReady(): void;
  /** ipcRenderer.invoke as ipcMain would answer it: the handler for `channel`, or Electron's no-handler error. */
  invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown>;
}

export interface LoadedMainBundle {
  electron: FakeElectron;
  /** Every module specifier the bundle resolved at run time (ESM imports and CommonJS requires), in order. */
  resolved: () => Promise<{ specifier: string; kind: 'import' | 'require' }[]>;
}

let loadedOnce = false;

/**
 * Installs the stand-in, registers the module hooks and imports `bundle` (out/main/index.js) with Node's own loader.
 * Once per process: the bundle runs its top-level code on import, as Electron runs it once per app.
 */
export async function loadMainBundle(
  bundle: string,
  opts: { singleInstanceLock?: boolean; isPackaged?: boolean } = {},
): Promise<LoadedMainBundle> {
  if (loadedOnce) throw new Error('loadMainBundle: the main bundle can be loaded once per process');
  loadedOnce = true;
  const electron = createFakeElectron(opts);
  (globalThis as Record<symbol, unknown>)[FAKE_KEY] = electron.module;

  const bundleDir = path.dirname(path.resolve(bundle));
  const records: { specifier: string; kind: 'import' | 'require' }[] = [];
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (m: { specifier: string }) => records.push({ specifier: m.specifier, kind: 'import' }));
  port1.unref();
  register(HOOKS_URL, {
    data: { fakeUrl: FAKE_MODULE_URL, bundleDirUrl: `${pathToFileURL(bundleDir).href}/`, port: port2 },
    transferList: [port2],
  });
  // CommonJS requires from the bundle (createRequire(import.meta.url)('keytar')) do not pass the ESM hooks.
  const moduleInternals = Module as unknown as {
    _resolveFilename(request: string, parent: { filename?: string } | undefined, ...rest: unknown[]): string;
  };
  const resolveFilename = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = function (request, parent, ...rest) {
    // The bundle and its chunks (out/main/chunks/): a chunk requires what it needs itself.
    if (parent?.filename?.startsWith(`${bundleDir}${path.sep}`)) {
      records.push({ specifier: request, kind: 'require' });
      if (request === 'electron')
        throw new Error('the main bundle require()s electron; the stand-in covers import only');
    }
    return resolveFilename.call(this, request, parent, ...rest);
  };

  // Node's own import() (its default loader, with the hooks above), not Vitest's module runner: the bundle must
  // load exactly as Electron's Node would load it.
  const nativeImport = new vm.Script('(specifier) => import(specifier)', {
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  }).runInThisContext() as (specifier: string) => Promise<unknown>;
  await nativeImport(pathToFileURL(bundle).href);
  return {
    electron: electron.fake,
    async resolved() {
      // The hooks thread posts asynchronously: give its messages a turn to arrive.
      await new Promise((r) => setTimeout(r, 50));
      return [...records];
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------

/** Inspectors (vitest's printer, util.inspect, await) probe these; they are not the bundle using the API. */
const PROBES = new Set(['then', 'toJSON', 'constructor', 'asymmetricMatch', '$$typeof', 'nodeType', 'tagName']);

function strict<T extends object>(name: string, target: T): T {
  return new Proxy(target, {
    get(object, prop, receiver) {
      if (typeof prop === 'symbol' || prop in object || PROBES.has(prop)) return Reflect.get(object, prop, receiver);
      throw new Error(`the stand-in electron has no ${name}.${prop} (test/support/electron-main.ts)`);
    },
  });
}

function createFakeElectron(opts: { singleInstanceLock?: boolean; isPackaged?: boolean }) {
  let ready = false;
  let resolveReady!: () => void;
  const readyPromise = new Promise<void>((r) => (resolveReady = r));
  let nextId = 1;

  const fake: FakeElectron = {
    calls: [],
    paths: new Map(),
    privilegedSchemes: [],
    protocolHandlers: new Map(),
    ipcHandlers: new Map(),
    windows: [],
    defaultSession: Object.assign(new EventEmitter(), {}) as FakeSession,
    applicationMenu: null,
    openedExternal: [],
    errorBoxes: [],
    clipboardText: '',
    nextOpenDialogFolder: undefined,
    notifications: [],
    quitCount: 0,
    app: undefined as unknown as EventEmitter,
    makeReady() {
      if (ready) return;
      ready = true;
      app.emit('ready');
      resolveReady();
    },
    async invoke(channel, event, ...args) {
      const handler = fake.ipcHandlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return handler(event, ...args);
    },
  };
  const record = (call: string, ...args: unknown[]) => fake.calls.push({ call, args, ready });

  class App extends EventEmitter {
    readonly isPackaged = opts.isPackaged ?? false;
    setPath(name: string, value: string) {
      record('app.setPath', name, value);
      fake.paths.set(name, value);
    }
    getPath(name: string) {
      const value = fake.paths.get(name);
      if (value === undefined) throw new Error(`the stand-in app has no path '${name}'`);
      return value;
    }
    enableSandbox() {
      record('app.enableSandbox');
      if (ready) throw new Error('app.enableSandbox() can only be called before app is ready');
    }
    requestSingleInstanceLock() {
      record('app.requestSingleInstanceLock');
      return opts.singleInstanceLock ?? true;
    }
    quit() {
      record('app.quit');
      fake.quitCount += 1;
    }
    whenReady() {
      return readyPromise;
    }
    isReady() {
      return ready;
    }
  }
  const app = strict('app', new App());
  fake.app = app;

  const session = fake.defaultSession;
  Object.assign(session, {
    setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']) {
      record('session.setPermissionRequestHandler');
      session.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']) {
      record('session.setPermissionCheckHandler');
      session.permissionCheckHandler = handler;
    },
    setDevicePermissionHandler(handler: FakeSession['devicePermissionHandler']) {
      record('session.setDevicePermissionHandler');
      session.devicePermissionHandler = handler;
    },
  });

  class WebContents extends EventEmitter implements FakeWebContents {
    readonly id = nextId++;
    readonly mainFrame = { url: '' };
    readonly sent: { channel: string; args: unknown[] }[] = [];
    windowOpenHandler?: (details: { url: string }) => { action: string };
    destroyed = false;
    isDestroyed() {
      return this.destroyed;
    }
    isLoading() {
      return false;
    }
    getURL() {
      return this.mainFrame.url;
    }
    send(channel: string, ...args: unknown[]) {
      this.sent.push({ channel, args: structuredClone(args) });
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      record('webContents.setWindowOpenHandler');
      this.windowOpenHandler = handler;
    }
  }

  class BrowserWindow extends EventEmitter implements FakeWindow {
    static getAllWindows() {
      return fake.windows.filter((w) => !(w as unknown as BrowserWindow).destroyed);
    }
    readonly webContents: WebContents;
    readonly loadedUrls: string[] = [];
    shown = false;
    focused = 0;
    destroyed = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      record('new BrowserWindow', options);
      if (!ready) throw new Error('Cannot create BrowserWindow before app is ready');
      this.webContents = strict('webContents', new WebContents());
      const window = strict('BrowserWindow', this);
      fake.windows.push(window);
      app.emit('web-contents-created', { preventDefault() {} }, this.webContents);
      return window;
    }
    async loadURL(url: string) {
      record('window.loadURL', url);
      this.loadedUrls.push(url);
      this.webContents.mainFrame.url = url;
    }
    show() {
      this.shown = true;
    }
    focus() {
      this.focused += 1;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    isDestroyed() {
      return this.destroyed;
    }
    close() {
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
    }
  }

  const protocol = strict('protocol', {
    registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]) {
      record('protocol.registerSchemesAsPrivileged', schemes);
      if (ready) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
      // Electron refuses a code cache for a scheme that is not standard (its cache is keyed by origin).
      for (const { scheme, privileges } of schemes) {
        if (privileges.codeCache && !privileges.standard) {
          throw new Error(
            `Code cache can only be enabled when the custom scheme is registered as standard scheme: ${scheme}`,
          );
        }
      }
      fake.privilegedSchemes.push(...schemes);
    },
    handle(scheme: string, handler: (request: Request) => Promise<Response> | Response) {
      record('protocol.handle', scheme);
      if (!ready) throw new Error('protocol.handle can only be used after app is ready');
      fake.protocolHandlers.set(scheme, handler);
    },
  });

  const ipcMain = strict('ipcMain', {
    handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) {
      if (fake.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      fake.ipcHandlers.set(channel, handler);
    },
    removeHandler(channel: string) {
      fake.ipcHandlers.delete(channel);
    },
  });

  const module = {
    app,
    BrowserWindow,
    protocol,
    ipcMain,
    session: strict('session', {
      get defaultSession() {
        if (!ready) throw new Error('Session can only be received when app is ready');
        return strict('defaultSession', session);
      },
    }),
    Menu: strict('Menu', {
      buildFromTemplate: (template: unknown[]) => ({ template }),
      setApplicationMenu(menu: { template: unknown[] } | null) {
        record('Menu.setApplicationMenu');
        fake.applicationMenu = menu?.template ?? null;
      },
    }),
    shell: strict('shell', {
      async openExternal(url: string) {
        record('shell.openExternal', url);
        fake.openedExternal.push(url);
      },
    }),
    clipboard: strict('clipboard', {
      readText: () => fake.clipboardText,
      writeText(text: string) {
        fake.clipboardText = text;
      },
    }),
    dialog: strict('dialog', {
      async showOpenDialog(...args: unknown[]) {
        record('dialog.showOpenDialog', ...args.slice(-1));
        const chosen = fake.nextOpenDialogFolder;
        fake.nextOpenDialogFolder = undefined;
        return chosen === undefined ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [chosen] };
      },
      async showSaveDialog(...args: unknown[]) {
        record('dialog.showSaveDialog', ...args.slice(-1));
        return { canceled: true, filePath: '' };
      },
      showErrorBox(title: string, content: string) {
        record('dialog.showErrorBox');
        fake.errorBoxes.push({ title, content });
      },
    }),
    // Electron's Notification: the options' title and body are what the user reads; show() records it.
    Notification: class FakeNotification extends EventEmitter {
      static isSupported() {
        return true;
      }
      constructor(private readonly options: { title: string; body: string }) {
        super();
      }
      show() {
        record('Notification.show');
        fake.notifications.push({
          title: this.options.title,
          body: this.options.body,
          click: () => this.emit('click'),
        });
      }
    },
    nativeTheme: strict('nativeTheme', Object.assign(new EventEmitter(), { shouldUseDarkColors: false })),
  };
  return { fake, module };
}
