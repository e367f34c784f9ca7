import type { AwsProfileView } from '../../contract/ipc';
import { createNoticeLedger, sessionNotices, worklistNotices, type DesktopNotice } from '../core/notifications';
import { loadSettings } from '../core/settings';
import { nowOf, type AppDeps } from './deps';
import { lazyModule } from './lazy';
import type { RotationScan } from './rotation-scan';

// Loaded on the first background scan: the CLI never scans, and its commands start without the worklist.
const rotationWorklist = lazyModule(() => import('./rotation-scan'));

/** Shows one desktop notification (Electron's Notification in main/electron/notify.ts; a recorder in tests). */
export type NotifyPort = (notice: DesktopNotice) => void;

export interface NotificationDeps extends AppDeps {
  /** Absent where the shell has no notifications (the CLI, some tests): nothing is shown. */
  notify?: NotifyPort;
}

/**
 * Desktop notifications, opt-in (Settings ▸ Notifications, off by default): drift and overdue keys from the
 * Rotation scan, an AWS session ending within 10 minutes. Each event once per run of the app; while the setting is
 * off nothing is shown and nothing is marked as shown, so turning it on tells of what is still true.
 */
export function createNotifications(deps: NotificationDeps) {
  const ledger = createNoticeLedger();
  const offer = async (notices: () => Promise<DesktopNotice[]> | DesktopNotice[]): Promise<DesktopNotice[]> => {
    const notify = deps.notify;
    if (!notify || !(await loadSettings(deps.runtime.appDir)).notifications) return [];
    const fresh = ledger.fresh(await notices());
    for (const n of fresh) notify(n);
    return fresh;
  };
  return {
    /** After a Rotation scan: remote changes since a profile's last sync, keys turned overdue. */
    afterScan: (scan: RotationScan) => offer(() => worklistNotices(scan.rows)),
    /** The same scan on a timer, with no window asking: only while the setting is on, so off means no AWS calls. */
    scanInBackground: () => offer(async () => worklistNotices((await rotationWorklist.fn('scanRotation')(deps)).rows)),
    /**
     * The AWS sessions that end within 10 minutes, from the state store's derivation (call it on a timer with
     * `state.sessions()`; expiries only, never credentials): one derivation of the sessions, not a second.
     */
    checkSessions: (sessions: readonly AwsProfileView[]) =>
      offer(() =>
        sessionNotices(
          sessions.flatMap((p) =>
            p.session.active && p.session.expiresAt ? [{ profile: p.name, expiresAt: p.session.expiresAt }] : [],
          ),
          nowOf(deps),
        ),
      ),
  };
}
