import {
  ROTATION_DUE_FRACTION,
  type KeyStatus,
  type PlanEntry,
  type RotationInfo,
  type RotationStatus,
} from '../../contract/plan';
import type { ReadinessItem } from '../../contract/ipc';
import type { IconId } from '../components/icons';

/** The four meanings a colour may carry (DESIGN.md §6b); every badge also has an icon and a word. */
export type Tone = 'ok' | 'warn' | 'bad' | 'muted';

/** The icon a tone carries where it stands alone, without a status of its own (a toast, an audit outcome). */
export const TONE_ICONS: Record<Tone, IconId> = { ok: 'check', warn: 'warning', bad: 'error', muted: 'dot' };

export type KeyDisplayStatus =
  | 'in-sync'
  | 'changed-remotely'
  | 'new'
  | 'edited-locally'
  | 'conflict'
  | 'removed'
  | 'local-only'
  | 'error'
  | 'needs-input'
  | 'keychain-locked'
  | 'source-offline'
  | 'local-override';

export interface StatusLook {
  label: string;
  tone: Tone;
  icon: IconId;
  /** One sentence for screen readers and the plan panel. Never a value. */
  explain: string;
}

export const KEY_LOOKS: Record<KeyDisplayStatus, StatusLook> = {
  'in-sync': { label: 'In sync', tone: 'ok', icon: 'check', explain: 'The file holds what the source says.' },
  'changed-remotely': {
    label: 'Changed remotely',
    tone: 'warn',
    icon: 'arrow-down',
    explain: 'The source has a newer value; a sync updates the file.',
  },
  // Not amber: on a first sync every key is new, and nothing about that is wrong (issue 14, item 12).
  new: { label: 'New', tone: 'ok', icon: 'plus', explain: 'Not in the file yet; a sync adds it.' },
  // Not red: the local value is simply kept; only a conflict (both sides moved) is.
  'edited-locally': {
    label: 'Edited locally',
    tone: 'warn',
    icon: 'pencil',
    explain: 'Edited in the file since the last sync; the local value is kept unless you take the remote one.',
  },
  conflict: {
    label: 'Conflict',
    tone: 'bad',
    icon: 'conflict',
    explain: 'Edited in the file and changed at the source; choose which one wins.',
  },
  removed: {
    label: 'Removed remotely',
    tone: 'warn',
    icon: 'minus',
    explain: 'The profile no longer produces it; a sync removes it from the file.',
  },
  'local-only': {
    label: 'Local only',
    tone: 'muted',
    icon: 'dot',
    explain: 'Only in the file; Latchkey never touches it.',
  },
  error: { label: 'Error', tone: 'bad', icon: 'error', explain: 'This key cannot be written; see the reason.' },
  'needs-input': {
    label: 'Needs input',
    tone: 'warn',
    icon: 'lock',
    explain: 'A personal secret not set yet; set it in the form and sync.',
  },
  'keychain-locked': {
    label: 'Keychain locked',
    tone: 'bad',
    icon: 'lock',
    explain: 'A personal secret behind your locked OS keychain; unlock it and check again.',
  },
  'source-offline': {
    label: 'Source offline',
    tone: 'warn',
    icon: 'cloud',
    explain: 'Its source could not be reached; shown as the last sync left it. Try again once it answers.',
  },
  'local-override': {
    label: 'Kept locally',
    tone: 'muted',
    icon: 'pencil',
    explain: 'You keep your own value here (latchkey.local.yml); a sync never writes it.',
  },
};

export function displayStatus(entry: Pick<PlanEntry, 'status' | 'remoteChanged'>): KeyDisplayStatus {
  return displayOf(entry.status, entry.remoteChanged);
}

export function displayOf(status: KeyStatus, remoteChanged?: boolean): KeyDisplayStatus {
  switch (status) {
    case 'unchanged':
      return 'in-sync';
    case 'change':
      return 'changed-remotely';
    case 'add':
      return 'new';
    case 'conflict':
      return remoteChanged ? 'conflict' : 'edited-locally';
    case 'remove':
      return 'removed';
    case 'local-only':
      return 'local-only';
    case 'error':
      return 'error';
    case 'needs-input':
      return 'needs-input';
    case 'keychain-locked':
      return 'keychain-locked';
    case 'source-offline':
      return 'source-offline';
    case 'local-override':
      return 'local-override';
  }
}

/** The contract's due threshold as people read it: "80 %". */
export const DUE_PERCENT = Math.round(ROTATION_DUE_FRACTION * 100);

export const ROTATION_LOOKS: Record<RotationStatus, StatusLook> = {
  ok: { label: 'OK', tone: 'ok', icon: 'check', explain: 'Within its rotation policy.' },
  due: {
    label: 'Due',
    tone: 'warn',
    icon: 'clock',
    explain: `At ${DUE_PERCENT} % or more of its maximum age: rotate it soon.`,
  },
  overdue: { label: 'Overdue', tone: 'bad', icon: 'error', explain: 'Older than its maximum age: rotate it.' },
  unknown: { label: 'Unknown', tone: 'muted', icon: 'question', explain: 'The source does not say when it changed.' },
};

/**
 * Whether a key counts on the Rotation screen. Only sources that rotate carry a rotation status: `set:` values and
 * keychain (personal) values have none, and are "not rotated" rather than "unknown". Removed and local-only keys
 * are no longer anyone's to rotate.
 */
export function isRotatedEntry(entry: PlanEntry): entry is PlanEntry & { rotation: RotationInfo } {
  return (
    entry.rotation !== undefined &&
    entry.origin !== undefined &&
    entry.status !== 'remove' &&
    entry.status !== 'local-only'
  );
}

/** Keys by rotation status, and how many keys of these plans are not rotated at all. */
export function rotationTally(entries: PlanEntry[]): { counts: Record<RotationStatus, number>; notRotated: number } {
  const counts: Record<RotationStatus, number> = { ok: 0, due: 0, overdue: 0, unknown: 0 };
  let notRotated = 0;
  for (const entry of entries) {
    if (isRotatedEntry(entry)) counts[entry.rotation.status]++;
    else if (entry.origin !== undefined && entry.status !== 'remove' && entry.status !== 'local-only') notRotated++;
  }
  return { counts, notRotated };
}

export const READINESS_LOOKS: Record<ReadinessItem['state'], StatusLook> = {
  ok: { label: 'Ready', tone: 'ok', icon: 'check', explain: 'Ready.' },
  // The item's own label (from main) says what is wrong, e.g. ".env is not ignored by git"; the badge only says
  // that it is yours to do, so the two never read as a contradiction ("Missing: … is not ignored").
  missing: { label: 'To do', tone: 'warn', icon: 'warning', explain: 'Needs something from you.' },
  error: { label: 'Problem', tone: 'bad', icon: 'error', explain: 'Not working.' },
  pending: { label: 'Checking', tone: 'muted', icon: 'clock', explain: 'Still checking.' },
  unavailable: { label: 'Not yet', tone: 'muted', icon: 'dot', explain: 'A later version fills this in.' },
};

/** Order of groups in the plan panel: what needs a decision first, then what a sync would do, then the rest. */
export const DISPLAY_ORDER: KeyDisplayStatus[] = [
  'conflict',
  'edited-locally',
  'error',
  'keychain-locked',
  'source-offline',
  'needs-input',
  'changed-remotely',
  'new',
  'removed',
  'in-sync',
  'local-override',
  'local-only',
];

/**
 * Statuses that ask nothing of the user: in sync, theirs (local-only, kept), or simply to be added by the next sync.
 * Everything else is "Needs attention" in the table's facet.
 */
const QUIET: ReadonlySet<KeyDisplayStatus> = new Set(['in-sync', 'local-only', 'local-override', 'new']);

export function needsAttention(display: KeyDisplayStatus): boolean {
  return !QUIET.has(display);
}
