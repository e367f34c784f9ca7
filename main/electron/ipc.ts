import path from 'node:path';
import { dialog, ipcMain, shell, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import {
  EVENTS,
  METHOD_NAMES,
  eventChannel,
  methodChannel,
  type EventName,
  type EventPayload,
} from '../../contract/ipc';
import type { IpcBackend } from '../ipc';
import type { HandlerDeps } from '../ipc/handlers';
import type { SenderInfo } from '../ipc/router';
import { LatchkeyError } from '../core/errors';
import { openExternalHttps } from './external';

/**
 * The Electron end of the bridge, kept thin: each contract method gets one ipcMain.handle that hands the call,
 * with who sent it, to the router. Returns a function that removes the handlers again.
 */
export function registerIpc(opts: { window: BrowserWindow; backend: IpcBackend }): () => void {
  const channels = METHOD_NAMES.map((method) => {
    const channel = methodChannel(method);
    ipcMain.handle(channel, (event, payload: unknown) =>
      opts.backend.router.handle(method, senderOf(event, opts.window), payload),
    );
    return channel;
  });
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/**
 * Who called: the url of the frame that sent the message, and whether it is the top frame of our own window. A
 * frame that navigated away or was destroyed meanwhile (senderFrame null) counts as a stranger.
 */
function senderOf(event: IpcMainInvokeEvent, window: BrowserWindow): SenderInfo {
  const frame = event.senderFrame;
  if (!frame || window.isDestroyed()) return { url: '', isMainFrame: false };
  const ours = event.sender === window.webContents;
  return { url: frame.url, isMainFrame: ours && frame === event.sender.mainFrame };
}

/** HandlerDeps['emit'] for a window: payloads are checked against the contract, and a closed window is skipped. */
export function createElectronEmitter(getWindow: () => BrowserWindow | undefined): HandlerDeps['emit'] {
  return <E extends EventName>(event: E, payload: EventPayload<E>) => {
    const window = getWindow();
    if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return;
    const parsed = EVENTS[event].safeParse(payload);
    if (!parsed.success) return;
    window.webContents.send(eventChannel(event), parsed.data);
  };
}

/**
 * The native folder picker and save dialog, main's own confirmation of a new 1Password Connect server, and the user's browser
 * (through the one reviewed openExternal), for HandlerDeps.
 */
export function createElectronShellDeps(
  getWindow: () => BrowserWindow | undefined,
): Required<Pick<HandlerDeps, 'pickFolder' | 'pickSaveFile' | 'confirmConnectHost' | 'openExternal' | 'openFile'>> {
  return {
    // Only files main found itself (a registered project's latchkey.yml) come here, never a path from the window.
    async openFile(file) {
      const failure = await shell.openPath(file);
      if (failure) throw new LatchkeyError('INTERNAL', `No app opened ${path.basename(file)}: ${failure}`);
    },
    async confirmConnectHost(host) {
      const window = getWindow();
      const options = {
        type: 'warning' as const,
        title: '1Password Connect server',
        message: `Send your 1Password Connect token to ${host}?`,
        detail:
          'Latchkey will send the stored Connect token to this server with every 1Password request. Confirm only ' +
          'a server you or your team run.',
        buttons: ['Cancel', 'Use this server'],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      };
      const result =
        window && !window.isDestroyed()
          ? await dialog.showMessageBox(window, options)
          : await dialog.showMessageBox(options);
      return result.response === 1;
    },
    async pickFolder() {
      const window = getWindow();
      const options = {
        title: 'Open a project folder',
        properties: ['openDirectory' as const, 'createDirectory' as const],
      };
      const result =
        window && !window.isDestroyed()
          ? await dialog.showOpenDialog(window, options)
          : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async pickSaveFile({ title, defaultName, fileType }) {
      const window = getWindow();
      const options = {
        title,
        defaultPath: defaultName,
        filters: [{ name: fileType.name, extensions: [fileType.extension] }],
        properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const],
      };
      const result =
        window && !window.isDestroyed()
          ? await dialog.showSaveDialog(window, options)
          : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    openExternal: openExternalHttps,
  };
}
