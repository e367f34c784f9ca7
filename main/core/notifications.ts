import type { WorklistRow } from './rotation-worklist';

/**
 * Desktop notifications (opt-in, Settings ▸ Notifications), pure: which events deserve one, and each event only
 * once, however often the background scan or the session check finds it again. A notice names projects, profiles,
 * keys and times; never a value.
 */

/** The screen a click on the notification opens. */
type NoticeScreen = 'rotation' | 'aws';

export interface DesktopNotice {
  /** Identifies the event: the same id is never notified twice. A new version or a new session is a new event. */
  id: string;
  title: string;
  body: string;
  screen: NoticeScreen;
}

/** How long before a session ends that its owner is told. */
export const SESSION_WARNING_MS = 10 * 60 * 1000;

/** A remote change since a profile's last sync, and a secret turning overdue, from one scan's rows. */
export function worklistNotices(rows: WorklistRow[]): DesktopNotice[] {
  const out: DesktopNotice[] = [];
  for (const row of rows) {
    for (const user of row.users.filter((u) => u.drifted)) {
      out.push({
        id: `drift\u0000${user.dir}\u0000${user.profile}\u0000${row.id}\u0000${row.version}`,
        title: `${user.key} changed in ${user.project}`,
        body: `${row.parameter} is at version ${row.version}, newer than the last sync of ${user.profile}.`,
        screen: 'rotation',
      });
    }
    if (row.rotation.status === 'overdue') {
      const readers = row.users.map((u) => `${u.project} › ${u.profile}`).join(', ');
      out.push({
        // Per version: once rotated, the next time it turns overdue is a new event.
        id: `overdue\u0000${row.id}\u0000${row.version}`,
        title: `${row.users[0]?.key ?? row.parameter} is overdue for rotation`,
        body: `${row.parameter} is older than its ${row.rotation.maxAgeDays}-day policy (read by ${readers}).`,
        screen: 'rotation',
      });
    }
  }
  return out;
}

export interface SessionExpiry {
  profile: string;
  expiresAt: string;
}

/** Sessions ending within SESSION_WARNING_MS of `now` (and not already over). */
export function sessionNotices(sessions: SessionExpiry[], now: Date): DesktopNotice[] {
  const out: DesktopNotice[] = [];
  for (const s of sessions) {
    const left = Date.parse(s.expiresAt) - now.getTime();
    if (!Number.isFinite(left) || left <= 0 || left > SESSION_WARNING_MS) continue;
    const minutes = Math.max(1, Math.round(left / 60_000));
    out.push({
      id: `session\u0000${s.profile}\u0000${s.expiresAt}`,
      title: `AWS session ${s.profile} ends in ${minutes} min`,
      body: `Start a new session for ${s.profile} before it ends.`,
      screen: 'aws',
    });
  }
  return out;
}

/** Remembers what was notified, so each event is shown once: `fresh` keeps only the notices not yet sent. */
export function createNoticeLedger(): { fresh(notices: DesktopNotice[]): DesktopNotice[] } {
  const sent = new Set<string>();
  return {
    fresh(notices) {
      const out: DesktopNotice[] = [];
      for (const n of notices) {
        if (sent.has(n.id)) continue;
        sent.add(n.id);
        out.push(n);
      }
      return out;
    },
  };
}
