import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventChannel, METHOD_NAMES, methodChannel, type LatchkeyApi } from '../../../contract/ipc';
import { runtimePackages } from '../../support/shipping';
import { freshBundle, OUT_MAIN, OUT_PRELOAD, OUT_RENDERER } from '../../support/built-bundles';
import { runPreloadInSandbox } from '../../support/electron-sandbox';
import { loadMainBundle, type FakeElectron, type FakeWindow, type LoadedMainBundle } from '../../support/electron-main';
import { REPO_ROOT } from '../../support/paths';

// The SHIPPED main process (out/main/index.js), loaded by Node with `electron` mapped to a recording stand-in
// (test/support/electron-main.ts): no Electron binary exists here. It runs its real top-level code, then the test
// makes the app ready and checks what it did: the hardened window, the app:// protocol, one ipcMain handler per
// contract method wired to the real router, and the guards. The built preload is then run in the sandbox stand-in
// against those very handlers: renderer API -> preload bundle -> main bundle -> router, with no source in between.

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

let work = '';
let loaded: LoadedMainBundle;
let electron: FakeElectron;
/** The process-wide handlers the bundle installed; removed after, so they outlive no test. */
let bundleUncaughtHandlers: NodeJS.UncaughtExceptionListener[] = [];
const savedEnv = { ...process.env };

beforeAll(async () => {
  const bundle = freshBundle('main');
  freshBundle('preload');
  freshBundle('renderer');
  work = mkdtempSync(path.join(tmpdir(), 'latchkey-main-bundle-'));
  // The app's data, AWS files and home all inside the test folder: the bundle runs its real runtime.
  process.env.LATCHKEY_HOME = path.join(work, 'home');
  process.env.HOME = work;
  process.env.AWS_CONFIG_FILE = path.join(work, 'aws-config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(work, 'aws-credentials');
  const handlersBefore = process.listeners('uncaughtException');
  loaded = await loadMainBundle(bundle);
  electron = loaded.electron;
  bundleUncaughtHandlers = process.listeners('uncaughtException').filter((h) => !handlersBefore.includes(h));
});

afterAll(async () => {
  for (const handler of bundleUncaughtHandlers) process.off('uncaughtException', handler);
  if (electron?.windows.length) {
    // Quit as Electron would: 'will-quit' lets the app dispose its backend, then it calls app.quit() again.
    const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
    electron.app.emit('will-quit', event);
    await new Promise((r) => setTimeout(r, 100));
  }
  process.env = savedEnv;
  if (work) rmSync(work, { recursive: true, force: true });
});

function mainWindow(): FakeWindow {
  expect(electron.windows).toHaveLength(1);
  return electron.windows[0]!;
}

describe('the main bundle before ready', () => {
  it("replaces Electron's uncaught-exception dialog with a sanitised one", () => {
    // Called directly: emitting the event would also reach the test runner's own handler.
    expect(bundleUncaughtHandlers).toHaveLength(1);
    const canary = 'canary-main-uncaught-51c0e9';
    const quiet = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      bundleUncaughtHandlers[0]!(
        new TypeError(`The "value" argument must be a string. Received ${canary}`),
        'uncaughtException',
      );
    } finally {
      quiet.mockRestore();
    }
    expect(electron.errorBoxes).toHaveLength(1);
    const [box] = electron.errorBoxes;
    expect(box!.title).toMatch(/unexpected error/);
    expect(box!.content).toContain('TypeError');
    expect(JSON.stringify(box)).not.toContain(canary);
    expect(box!.content).not.toMatch(/\n\s+at /);
  });

  it('loads without throwing and opens nothing yet', () => {
    expect(electron.windows).toEqual([]);
    expect(electron.calls.every((c) => !c.ready)).toBe(true);
  });

  it('registers app:// as a privileged standard, secure scheme with a code cache, before ready', () => {
    const registration = electron.calls.find((c) => c.call === 'protocol.registerSchemesAsPrivileged');
    expect(registration?.ready).toBe(false);
    expect(electron.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
  });

  it('enables the sandbox for every renderer, takes the single-instance lock, and shares the CLI data folder', () => {
    const before = electron.calls.filter((c) => !c.ready).map((c) => c.call);
    expect(before).toEqual(
      expect.arrayContaining(['app.enableSandbox', 'app.requestSingleInstanceLock', 'app.setPath']),
    );
    expect(electron.paths.get('userData')).toBe(process.env.LATCHKEY_HOME);
    expect(electron.paths.get('sessionData')).toBe(path.join(process.env.LATCHKEY_HOME!, 'chromium'));
    expect(electron.quitCount).toBe(0);
  });
});

describe('the main bundle once ready', () => {
  beforeAll(async () => {
    electron.makeReady();
    await vi.waitFor(
      () => {
        if (electron.windows.length !== 1 || electron.applicationMenu === null) throw new Error('not up yet');
      },
      { timeout: 10_000 },
    );
  });

  it('opens one hardened window on app://latchkey/ with the built preload', () => {
    const window = mainWindow();
    const prefs = window.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: true, // not packaged: the stand-in app says isPackaged = false
    });
    expect(path.isAbsolute(prefs.preload as string)).toBe(true);
    expect(existsSync(prefs.preload as string)).toBe(true);
    expect(path.resolve(prefs.preload as string)).toBe(OUT_PRELOAD);
    expect(window.loadedUrls).toEqual(['app://latchkey/']);
  });

  it('has an ipcMain handler for every contract method, and no other', () => {
    expect([...electron.ipcHandlers.keys()].sort()).toEqual(METHOD_NAMES.map(methodChannel).sort());
  });

  it('answers an invoke through ipcMain with the real router: ours served, a stranger refused, bad input rejected', async () => {
    const window = mainWindow();
    const ours = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    const listed = await electron.invoke(methodChannel('projects.list'), ours, {});
    expect(listed).toEqual({ ok: true, value: { projects: [] } });

    const childFrame = { url: 'app://latchkey/', parent: window.webContents.mainFrame };
    const fromChild = await electron.invoke(methodChannel('projects.list'), { ...ours, senderFrame: childFrame }, {});
    expect(fromChild).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });

    const bad = await electron.invoke(methodChannel('projects.open'), ours, { dir: 42 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await expect(electron.invoke('latchkey:no.such.method', ours, {})).rejects.toThrow(/No handler registered/);
  });

  it('carries a call from the BUILT preload, run in the sandbox stand-in, through these handlers to the router', async () => {
    const window = mainWindow();
    const world = runPreloadInSandbox({
      preload: (window.options.webPreferences as { preload: string }).preload,
      url: 'app://latchkey/',
      main: {
        invoke: (channel, args) =>
          electron.invoke(channel, { sender: window.webContents, senderFrame: window.webContents.mainFrame }, ...args),
      },
    });
    expect(world.loadError).toBeUndefined();
    const api = world.mainWorld.latchkey as LatchkeyApi;
    expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES, 'on'].sort());
    expect(await api['projects.list']({})).toEqual({ ok: true, value: { projects: [] } });
    const settings = await api['settings.get']({});
    expect(settings.ok).toBe(true);
  });

  it('serves app://latchkey/ and index.html from out/renderer with the CSP, nosniff and the right type', async () => {
    const handler = electron.protocolHandlers.get('app')!;
    expect(handler).toBeTypeOf('function');
    const index = readFileSync(path.join(OUT_RENDERER, 'index.html'));
    for (const url of ['app://latchkey/', 'app://latchkey/index.html']) {
      const response = await handler(new Request(url));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toBe(CSP);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await response.arrayBuffer()).equals(index)).toBe(true);
    }
  });

  it('refuses traversal to real files outside out/renderer, in every spelling, and other hosts and methods', async () => {
    const handler = electron.protocolHandlers.get('app')!;
    // Each of these would reach a file that exists (out/main/index.js, the repo's package.json) if the handler
    // resolved it naively. Some spellings are normalised by the URL parser before the handler sees them, as in
    // Chromium; the rest must be refused by the handler itself.
    expect(existsSync(path.join(OUT_RENDERER, '../main/index.js'))).toBe(true);
    expect(existsSync(path.join(REPO_ROOT, 'package.json'))).toBe(true);
    const refused = [
      'app://latchkey/../package.json',
      'app://latchkey/../../package.json',
      'app://latchkey/..%2fmain%2findex.js',
      'app://latchkey/..%2F..%2Fpackage.json',
      'app://latchkey/%2e%2e/main/index.js',
      'app://latchkey/%2e%2e%2fmain%2findex.js',
      'app://latchkey/%2E%2E%2F%2E%2E%2Fpackage.json',
      'app://latchkey/..%5cmain%5cindex.js',
      'app://latchkey/assets/..%2f..%2fmain%2findex.js',
      'app://latchkey/%252e%252e%252fmain%252findex.js',
      'app://latchkey/index.html%00.js',
      'app://elsewhere/index.html',
      'app://latchkey/missing.js',
    ];
    for (const url of refused) {
      const response = await handler(new Request(url));
      expect({ url, status: response.status }).toEqual({ url, status: 404 });
      expect(await response.text()).toBe('not found');
    }
    const post = await handler(new Request('app://latchkey/index.html', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(404);
  });

  it('denies navigation, redirects, webviews and new windows on every web contents', async () => {
    const contents = mainWindow().webContents;
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      expect(contents.listenerCount(event)).toBeGreaterThan(0);
      let prevented = false;
      contents.emit(event, { preventDefault: () => (prevented = true) }, { url: 'https://evil.example/' });
      expect({ event, prevented }).toEqual({ event, prevented: true });
    }
    expect(contents.windowOpenHandler).toBeTypeOf('function');
    for (const url of ['https://docs.example.com/', 'http://example.com/', 'file:///etc/passwd', 'app://latchkey/']) {
      expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
    // Only the https link goes to the user's browser (through the one reviewed shell.openExternal).
    await expect.poll(() => electron.openedExternal).toEqual(['https://docs.example.com/']);
  });

  it('denies permission requests and checks (but a clipboard write from our own page), devices and downloads', () => {
    const session = electron.defaultSession;
    const asked = (permission: string, url: string) => {
      let granted: boolean | undefined;
      session.permissionRequestHandler!({ getURL: () => url }, permission, (g) => (granted = g), {
        requestingUrl: url,
      });
      return granted;
    };
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid']) {
      expect({ permission, granted: asked(permission, 'app://latchkey/') }).toEqual({ permission, granted: false });
      expect(session.permissionCheckHandler!(null, permission, 'app://latchkey')).toBe(false);
    }
    expect(asked('clipboard-sanitized-write', 'app://latchkey/')).toBe(true);
    expect(asked('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(session.devicePermissionHandler!({ deviceType: 'usb' })).toBe(false);
    let prevented = false;
    session.emit('will-download', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });

  it('sets the application menu and focuses the one window when a second instance starts', () => {
    expect(electron.applicationMenu?.length).toBeGreaterThan(0);
    const before = mainWindow().focused;
    electron.app.emit('second-instance', {}, [], REPO_ROOT);
    expect(electron.windows).toHaveLength(1);
    expect(mainWindow().focused).toBe(before + 1);
  });

  it('keeps a folder named on the command line until the page listens, and again after the page reloads', async () => {
    const window = mainWindow();
    const ours = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    const menuCommandsSent = () => window.webContents.sent.filter((m) => m.channel === eventChannel('menu.command'));
    const launchWith = async (name: string) => {
      const dir = path.join(work, name);
      mkdirSync(dir, { recursive: true });
      const before = electron.windows[0]!.focused;
      electron.app.emit('second-instance', {}, ['latchkey-app', '--open-project', name], work);
      expect(mainWindow().focused).toBe(before + 1);
      // Main registers the folder (a realpath and a stat) before it hands it over; nothing outside shows when.
      await new Promise((resolve) => setTimeout(resolve, 250));
      return dir;
    };

    // The page has not asked yet (it subscribes a few tasks after it loads): nothing is sent into the void.
    const first = await launchWith('named-at-start');
    expect(menuCommandsSent()).toEqual([]);
    const pending = await electron.invoke(methodChannel('menu.pending'), ours, {});
    expect(pending).toMatchObject({ ok: true, value: { commands: [{ command: 'open-project', dir: first }] } });
    expect(await electron.invoke(methodChannel('menu.pending'), ours, {})).toEqual({
      ok: true,
      value: { commands: [] },
    });

    // Now it listens: the next folder is sent as it comes.
    const second = await launchWith('named-later');
    expect(menuCommandsSent()).toHaveLength(1);
    expect(menuCommandsSent()[0]!.args[0]).toMatchObject({ command: 'open-project', dir: second });

    // A reload starts a page that does not listen yet: an in-page navigation does not count.
    window.webContents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true });
    await launchWith('after-hash-change');
    expect(menuCommandsSent()).toHaveLength(2);
    window.webContents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    const reloaded = await launchWith('during-reload');
    expect(menuCommandsSent()).toHaveLength(2);
    expect(await electron.invoke(methodChannel('menu.pending'), ours, {})).toMatchObject({
      ok: true,
      value: { commands: [{ command: 'open-project', dir: reloaded }] },
    });
  });

  it('replaces a file over which another program may save by a swap, with koffi loaded from node_modules', async () => {
    // The swap falls back to a rename without a word when koffi cannot load (main/core/exchange-entries.ts).
    const window = mainWindow();
    const ours = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    const dir = path.join(work, 'swap-project');
    mkdirSync(dir);
    execFileSync('git', ['init', '-q'], { cwd: dir });
    writeFileSync(path.join(dir, 'latchkey.yml'), 'version: 1\nprofiles:\n  dev:\n    target: .env\n    sources: []\n');
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n');
    const requiredBefore = (await loaded.resolved()).filter((r) => r.kind === 'require').map((r) => r.specifier);
    expect(requiredBefore).not.toContain('koffi');

    electron.nextOpenDialogFolder = dir;
    const picked = await electron.invoke(methodChannel('projects.pick'), ours, {});
    expect(picked).toMatchObject({ ok: true, value: { picked: { dir } } });
    const projectId = (picked as { value: { picked: { projectId: string } } }).value.picked.projectId;
    const added = await electron.invoke(methodChannel('gitignore.add'), ours, { projectId, profile: 'dev' });
    expect(added).toMatchObject({ ok: true, value: { added: true, ignored: true } });
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toMatch(/^node_modules\/\n[^]*\.env\n$/);
    const required = (await loaded.resolved()).filter((r) => r.kind === 'require').map((r) => r.specifier);
    expect(required).toContain('koffi');
    // Asked for, and loaded: its entry is in Node's module cache (shared by every require in the process).
    const cached = Object.keys(createRequire(import.meta.url).cache);
    expect(cached.some((file) => file.includes(`${path.sep}node_modules${path.sep}koffi${path.sep}`))).toBe(true);
  });

  it('loads at run time only Node built-ins, electron (the stand-in) and packages in dependencies', async () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const builtins = new Set(builtinModules.flatMap((b) => [b, `node:${b}`]));
    const bare = (await loaded.resolved())
      .map((r) => r.specifier)
      .filter((s) => !s.startsWith('.') && !s.startsWith('/') && !s.startsWith('file:'));
    const packages = bare
      .filter((s) => !builtins.has(s) && s !== 'electron')
      .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
    expect(bare).toContain('electron');
    expect(packages.filter((p) => !Object.hasOwn(pkg.dependencies, p))).toEqual([]);
    // The shipping check reads the bundle's text; it must not miss a module the bundle really loads.
    expect(packages.filter((p) => !runtimePackages(OUT_MAIN).includes(p))).toEqual([]);
  });
});
