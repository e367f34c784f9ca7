import { BrowserWindow, nativeTheme } from 'electron';
import { RENDERER_URL } from '../desktop/renderer-files';

/**
 * The app's one window. Every webPreferences entry below is either Electron's secure default written out (so a
 * reader and Electronegativity both see it) or a stricter choice; docs/SECURITY.md walks through them.
 */
export function createMainWindow(opts: { preload: string; devTools: boolean }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 880,
    minHeight: 560,
    title: 'Latchkey',
    show: false,
    // The window's own colour until the renderer paints, so opening it does not flash white in dark mode.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#111318' : '#ffffff',
    webPreferences: {
      preload: opts.preload,
      // Packaged builds cannot open the developer tools at all (no menu item, and no API call would work either).
      devTools: opts.devTools,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // Middle-click (auxclick) would open links in new windows behind the window-open handler's back.
      disableBlinkFeatures: 'Auxclick',
      // The spellchecker sees what is typed (and on Linux/Windows downloads dictionaries); a secrets app needs neither.
      spellcheck: false,
      // One renderer page opening dialog after dialog (alert loops) can be stopped by the user.
      safeDialogs: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(RENDERER_URL);
  return win;
}
