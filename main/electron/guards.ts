import { type Session, type WebContents } from 'electron';
import { permissionAllowed } from '../desktop/permissions';
import { openExternalHttps } from './external';

/**
 * Applied to every webContents the app ever creates (app 'web-contents-created'), not just our window, so nothing
 * can slip past: the renderer never navigates (it is one page; links go to the browser), never opens a window,
 * never follows a redirect and never hosts a <webview>.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // A link the user clicked (target=_blank): https goes to their browser, everything else is dropped.
    openExternalHttps(url).catch(() => undefined);
    return { action: 'deny' };
  });
}

/**
 * The renderer needs no camera, microphone, notifications, geolocation, clipboard-read, HID/USB/serial or screen
 * capture: every request and every check is refused but a plain-text clipboard write from our own page
 * (main/desktop/permissions.ts). (Screen capture has no handler at all, which Electron treats as a refusal.) Nothing
 * is ever downloaded to disk from the renderer either.
 */
export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((contents, permission, callback, details) =>
    callback(permissionAllowed(permission, details.requestingUrl ?? contents?.getURL())),
  );
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionAllowed(permission, requestingOrigin),
  );
  ses.setDevicePermissionHandler(() => false);
  ses.on('will-download', (event) => event.preventDefault());
}
