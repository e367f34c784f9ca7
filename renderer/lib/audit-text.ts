import { AUDIT_ACTIONS, type AuditAction, type AuditEntry, type ManifestView } from '../../contract/ipc';
import { errorTitle, isErrorCode } from './errors';
import { baseName, capitalize } from './format';

/** An audit entry as the timeline reads it; its `target` (the file an event wrote) names the exact project and file. */
export type AuditRow = AuditEntry;

/** A known project and its manifest, to tell which project a profile name belongs to. */
export interface KnownProject {
  name: string;
  dir: string;
  manifest?: ManifestView;
}

/** Where an event happened, as far as the renderer can tell. */
export interface AuditPlace {
  /** The project's name, when exactly one known project fits. */
  project?: string;
  /** Several known projects have a profile of this name: the event happened in one of them. */
  candidates?: string[];
  profile?: string | undefined;
  /** The file, relative to its project ("acme-api/.env" when the project is known, else ".env"). */
  file?: string;
}

export interface AuditText {
  /** What happened, as a short phrase: "Synced", "Revealed a value", "Sync failed". */
  title: string;
  /** The outcome in a sentence, e.g. "12 added to acme-api/.env". */
  sentence?: string;
}

const isUnder = (file: string, dir: string) => {
  const d = dir.replace(/[\\/]+$/, '');
  return file.length > d.length && file.startsWith(d) && /[\\/]/.test(file[d.length]!);
};

/** Which project, profile and file an event was about, from its target when main sent one, else from its profile name. */
export function auditPlace(entry: AuditRow, known: KnownProject[]): AuditPlace {
  const profile = entry.profile;
  if (entry.target) {
    const owner = known.filter((p) => isUnder(entry.target!, p.dir)).sort((a, b) => b.dir.length - a.dir.length)[0];
    const relative = owner
      ? entry.target.slice(owner.dir.replace(/[\\/]+$/, '').length + 1).replace(/\\/g, '/')
      : baseName(entry.target);
    const project =
      owner?.name ??
      baseName(entry.target.slice(0, Math.max(0, entry.target.length - baseName(entry.target).length - 1)));
    return { project, profile, file: project ? `${project}/${relative}` : relative };
  }
  if (!profile) return {};
  const fits = known.flatMap((p) => {
    const view = p.manifest?.profiles.find((x) => x.name === profile);
    return view ? [{ project: p.name, target: view.target }] : [];
  });
  if (fits.length === 1) return { project: fits[0]!.project, profile, file: `${fits[0]!.project}/${fits[0]!.target}` };
  const targets = new Set(fits.map((f) => f.target));
  return {
    profile,
    ...(fits.length > 1 ? { candidates: fits.map((f) => f.project) } : {}),
    ...(targets.size === 1 ? { file: [...targets][0] } : {}),
  };
}

/** "add 12, unchanged 3" (main's summary of a plan's counts) → { add: 12, unchanged: 3 }. */
export function parseCounts(detail: string | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const part of (detail ?? '').split(',')) {
    const m = /^\s*([a-z-]+)\s+(\d+)\s*$/.exec(part);
    if (m) counts[m[1]!] = Number(m[2]);
  }
  return counts;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function joinWords(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

function syncSentence(detail: string | undefined, file: string): string | undefined {
  const c = parseCounts(detail);
  if (Object.keys(c).length === 0) return detail ? detail : undefined;
  const add = c.add ?? 0;
  const change = c.change ?? 0;
  const remove = c.remove ?? 0;
  const unchanged = c.unchanged ?? 0;
  const conflict = c.conflict ?? 0;
  const changes = [
    add ? `${add.toLocaleString('en-US')} added` : '',
    change ? `${change.toLocaleString('en-US')} updated` : '',
    remove ? `${remove.toLocaleString('en-US')} removed` : '',
  ].filter(Boolean);
  const after = [
    conflict ? `${plural(conflict, 'local edit')} kept` : '',
    changes.length && unchanged ? `${unchanged.toLocaleString('en-US')} already in sync` : '',
    c.error ? plural(c.error, 'key') + ' with errors' : '',
  ].filter(Boolean);
  let head: string;
  if (changes.length) {
    const preposition = add && !change && !remove ? 'to' : remove && !add && !change ? 'from' : 'in';
    head = `${joinWords(changes)} ${preposition} ${file}`;
  } else if (unchanged) {
    head = `${file} was already up to date (${plural(unchanged, 'key')} in sync)`;
  } else {
    head = `Nothing to write to ${file}`;
  }
  return after.length ? `${head}; ${after.join(', ')}` : head;
}

/** "SOURCE_FAILED" → "A source could not be read"; anything else as it was written. */
function failureText(detail: string | undefined): string | undefined {
  if (!detail) return undefined;
  return isErrorCode(detail) ? errorTitle({ code: detail, message: '' }) : detail;
}

/** The trail may hold actions a newer Latchkey wrote; those are shown as written. */
const isKnownAction = (action: string): action is AuditAction => (AUDIT_ACTIONS as readonly string[]).includes(action);

const OK_TITLES: Record<AuditAction, string> = {
  sync: 'Synced',
  reveal: 'Revealed a value',
  copy: 'Copied a value',
  exec: 'Ran a command with the keys',
  export: 'Exported the keys',
  inject: 'Rendered a template with the keys',
  'session.start': 'Started an AWS session',
  'session.stop': 'Ended the AWS session',
  'session.refresh': 'Refreshed the AWS session',
  'profile.switch': 'Switched profile',
  'key.import': 'Imported an AWS access key',
  'key.delete': 'Deleted an AWS access key',
  'key.rotate': 'Rotated an AWS access key',
  'settings.change': 'Changed settings',
  'manifest.change': 'Edited latchkey.yml',
  'secret.set': 'Saved a personal secret',
  'secret.delete': 'Deleted a personal secret',
  'chamber.read': 'Read a shared secret',
  'chamber.write': 'Wrote a shared secret',
  'chamber.delete': 'Deleted a shared secret',
  'chamber.import': 'Imported shared secrets',
  'secret.rotate': 'Rotated a shared secret',
};

const NOUNS: Record<AuditAction, string> = {
  sync: 'Sync',
  reveal: 'Reveal',
  copy: 'Copy',
  exec: 'Command',
  export: 'Export',
  inject: 'Template render',
  'session.start': 'AWS session',
  'session.stop': 'Ending the AWS session',
  'session.refresh': 'AWS session refresh',
  'profile.switch': 'Profile switch',
  'key.import': 'Key import',
  'key.delete': 'Key deletion',
  'key.rotate': 'Key rotation',
  'settings.change': 'Settings change',
  'manifest.change': 'Editing latchkey.yml',
  'secret.set': 'Saving a personal secret',
  'secret.delete': 'Deleting a personal secret',
  'chamber.read': 'Reading a shared secret',
  'chamber.write': 'Writing a shared secret',
  'chamber.delete': 'Deleting a shared secret',
  'chamber.import': 'Importing shared secrets',
  'secret.rotate': 'Rotating a shared secret',
};

/** The filter chip's word for an action: "sync" → "Syncs"; an action without one uses its title. */
const ACTION_LABELS: Partial<Record<AuditAction, string>> = {
  sync: 'Syncs',
  reveal: 'Reveals',
  copy: 'Copies',
  exec: 'Commands',
  export: 'Exports',
  inject: 'Templates',
  'settings.change': 'Settings',
  'manifest.change': 'Manifest edits',
  'secret.set': 'Personal secrets saved',
  'secret.delete': 'Personal secrets deleted',
  'key.import': 'Key imports',
  'key.delete': 'Key deletions',
  'key.rotate': 'Key rotations',
  'profile.switch': 'Profile switches',
};

/**
 * The timeline without the intent a write records before its rename when that write's outcome followed it: one row
 * per sync, as the user did one sync. An intent with no outcome after it stays, because that is the write the audit
 * must not hide. Any order in, the same order out.
 */
export function foldIntents(events: readonly AuditRow[]): AuditRow[] {
  const oldestFirst = [...events].sort((a, b) => a.seq - b.seq);
  const open = new Map<string, number>();
  const concluded = new Set<number>();
  for (const event of oldestFirst) {
    const key = JSON.stringify([event.action, event.profile ?? '', event.target ?? '']);
    if (event.outcome === 'intent') {
      open.set(key, event.seq);
      continue;
    }
    const intentSeq = open.get(key);
    if (intentSeq !== undefined) {
      concluded.add(intentSeq);
      open.delete(key);
    }
  }
  return events.filter((event) => !(event.outcome === 'intent' && concluded.has(event.seq)));
}

export function actionLabel(action: string): string {
  return isKnownAction(action) ? (ACTION_LABELS[action] ?? OK_TITLES[action]) : action;
}

/** The event in words people use: what happened, and what it did to which file. Names and counts only. */
export function auditText(entry: AuditRow, place: AuditPlace): AuditText {
  const failed = entry.outcome === 'error';
  const cancelled = entry.outcome === 'cancelled';
  const file = place.file ?? (place.profile ? `the ${place.profile} file` : 'the file');
  const action = entry.action;
  const noun = isKnownAction(action) ? NOUNS[action] : capitalize(action);
  if (entry.outcome === 'intent') {
    // foldIntents drops every intent whose outcome followed, so one shown here is a write with no outcome on record:
    // still running, or stopped (a crash, a full disk) after the intent was written.
    return {
      title: `${noun} not finished`,
      sentence: `Latchkey was about to write ${file} and recorded no outcome; check ${file} and sync again`,
    };
  }
  if (failed || cancelled) {
    const why = failed ? failureText(entry.detail) : entry.detail;
    const title = `${noun} ${failed ? 'failed' : 'cancelled'}`;
    if (entry.action === 'sync')
      return { title, sentence: [why, `nothing was written to ${file}`].filter(Boolean).join(': ') };
    return { title, ...(why ? { sentence: capitalize(why) } : {}) };
  }
  const title = isKnownAction(action) ? OK_TITLES[action] : capitalize(action);
  switch (entry.action) {
    case 'sync': {
      const sentence = syncSentence(entry.detail, file);
      return sentence ? { title, sentence: capitalize(sentence) } : { title };
    }
    case 'exec':
      return entry.detail
        ? { title, sentence: `Ran ${entry.detail} with ${plural(entry.keys?.length ?? 0, 'key')} in its environment` }
        : { title };
    case 'export':
      return entry.detail ? { title, sentence: `As ${entry.detail}` } : { title };
    case 'secret.set':
      return { title, sentence: 'Stored in your OS keychain' };
    case 'secret.delete':
      return { title, sentence: 'Removed from your OS keychain' };
    default:
      return entry.detail ? { title, sentence: capitalize(entry.detail) } : { title };
  }
}
