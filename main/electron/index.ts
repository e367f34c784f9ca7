import path from 'node:path';
import { app, dialog, session, type BrowserWindow } from 'electron';
import { describeErrorForLog, logSafely } from '../core/log';
import { appDataDir } from '../core/paths';
import { folderToOpen } from '../desktop/command-line';
import { RENDERER_ORIGIN } from '../desktop/renderer-files';
import { uncaughtErrorReport } from '../desktop/uncaught-error';
import { createRuntime } from '../app';
import { createIpcBackend, type DesktopBackend } from '../ipc';
import { electronClipboard } from './clipboard';
import { openExternalHttps } from './external';
import { hardenSession, hardenWebContents } from './guards';
import { launchEditor } from '../desktop/editor';
import { createElectronNotifier } from './notify';
import { createElectronEmitter, createElectronShellDeps, registerIpc } from './ipc';
import { createAppMenu, type AppMenu } from './menu';
import { registerRendererScheme, serveRenderer } from './protocol';
import { createMainWindow } from './window';

// The app and the CLI must share one app-data folder (state, audit, settings), whatever Electron would pick itself.
// Chromium's own files (local storage, caches) go to a subfolder of it, apart from ours.
const APP_DATA = appDataDir();
app.setPath('userData', APP_DATA);
app.setPath('sessionData', path.join(APP_DATA, 'chromium'));
// Before 'ready': the scheme must be privileged, and every renderer sandboxed, whatever a window asks for.
registerRendererScheme();
app.enableSandbox();

const RENDERER_DIR = path.join(import.meta.dirname, '../renderer');
const PRELOAD = path.join(import.meta.dirname, '../preload/index.cjs');
const isDev = !app.isPackaged;

let mainWindow: BrowserWindow | undefined;
let backend: DesktopBackend | undefined;
let menu: AppMenu | undefined;
let unregisterIpc: (() => void) | undefined;

// A promise nobody awaited that failed: Node would print its message as is, and a message can quote a value.
process.on('unhandledRejection', (reason) =>
  logSafely(`latchkey: unhandled rejection: ${describeErrorForLog(reason)}`),
);
// An exception nobody caught: Electron's own dialog would show it unscrubbed, stack and all. Registering a handler
// replaces that dialog with ours, which goes through the sanitiser like every other edge.
process.on('uncaughtException', (error) => {
  logSafely(`latchkey: uncaught exception: ${describeErrorForLog(error)}`);
  const report = uncaughtErrorReport(error);
  dialog.showErrorBox(report.title, report.content);
});

const getWindow = () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : undefined);
const emit = createElectronEmitter(getWindow);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // A second launch hands its command line here: its folder enters the registry main-side, then the window opens it.
  app.on('second-instance', (_event, argv, workingDirectory) => {
    showWindow();
    openFromCommandLine(argv, workingDirectory);
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', (event) => {
    unregisterIpc?.();
    menu?.dispose();
    const closing = backend;
    if (!closing) return;
    backend = undefined;
    // The clipboard is asynchronous: quit only after a copied login still on it has been taken back.
    event.preventDefault();
    void closing.dispose().finally(() => app.quit());
  });
  void app.whenReady().then(() => {
    hardenSession(session.defaultSession);
    serveRenderer(RENDERER_DIR);
    const shell = createElectronShellDeps(getWindow);
    backend = createIpcBackend({
      runtime: createRuntime(),
      emit,
      pickFolder: shell.pickFolder,
      pickSaveFile: shell.pickSaveFile,
      confirmConnectHost: shell.confirmConnectHost,
      openExternal: openExternalHttps,
      openFile: shell.openFile,
      launchEditor,
      clipboard: electronClipboard,
      notify: createElectronNotifier(() => void showWindow()),
      allowedOrigins: [RENDERER_ORIGIN],
    });
    menu = createAppMenu({ projects: backend.app.projects, post: backend.postMenuCommand, showWindow, isDev });
    showWindow();
    void menu.refresh();
    openFromCommandLine(process.argv, process.cwd());
    app.on('activate', () => showWindow());
  });
}

/** Registers the folder a launch named (--open-project) and tells the window to open it; a bad folder is ignored. */
function openFromCommandLine(argv: readonly string[], cwd: string): void {
  const folder = folderToOpen(argv, cwd);
  if (!folder || !backend) return;
  const opening = menu;
  void backend.app.projects
    .admitChosen(folder)
    .then((project) => opening?.openProject(project))
    .catch(() => undefined);
}

/** Focuses the window, or opens it (first start; macOS after the last window closed). */
function showWindow(): BrowserWindow | undefined {
  const existing = getWindow();
  if (existing) {
    if (existing.isMinimized()) existing.restore();
    existing.focus();
    return existing;
  }
  if (!backend || !menu) return undefined;
  const win = createMainWindow({ preload: PRELOAD, devTools: isDev });
  unregisterIpc?.();
  unregisterIpc = registerIpc({ window: win, backend });
  win.on('focus', () => void menu?.refresh());
  // A reload (or a crashed page) starts a page that has not subscribed yet: menu commands wait for it again.
  win.webContents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) backend?.pageGone();
  });
  win.webContents.on('render-process-gone', () => backend?.pageGone());
  win.on('closed', () => {
    backend?.pageGone();
    unregisterIpc?.();
    unregisterIpc = undefined;
    mainWindow = undefined;
  });
  mainWindow = win;
  return win;
}
