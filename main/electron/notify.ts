import { Notification } from 'electron';
import type { DesktopNotice } from '../core/notifications';

/**
 * The notify port over Electron's Notification: title and body only (main/core/notifications.ts words them, never
 * with a value). A click brings the window forward and lets the caller show the screen the notice is about.
 */
export function createElectronNotifier(showWindow: () => void): (notice: DesktopNotice, onClick: () => void) => void {
  // Held until clicked or closed: a notification that is garbage-collected loses its click handler.
  const shown = new Set<Notification>();
  return (notice, onClick) => {
    if (!Notification.isSupported()) return;
    const n = new Notification({ title: notice.title, body: notice.body });
    n.on('click', () => {
      shown.delete(n);
      showWindow();
      onClick();
    });
    n.on('close', () => shown.delete(n));
    shown.add(n);
    n.show();
  };
}
