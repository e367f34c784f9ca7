import {
  FILE_REVEAL_MAX_BYTES,
  FINGERPRINT_HEX,
  type ChangeContext,
  type FileCompare,
  type PlanFile,
} from '../../contract/plan';
import { octal } from './plan';
import { rotationStatus } from './rotation';
import { originOf, type Profile, type ResolvedSecret, type S3Spec } from './types';

/**
 * The plan of file secrets (`s3:` with `file:`): the same three-way rule as for keys (plan.ts), over bytes. A file
 * is written whole, so it is added, changed, unchanged, or in conflict when it was edited since Latchkey wrote it.
 */

export const DEFAULT_FILE_MODE = 0o600;

/** A file secret's path and what is there now. */
export interface FileSlot {
  spec: S3Spec & { file: string };
  /** Absolute path (checked by assertSafeTarget). */
  abs: string;
  /** The bytes and permission bits there now; undefined when there is no file. */
  current: { bytes: Buffer; mode: number | undefined } | undefined;
  /** Why this file cannot be written at all (it is the target, or another source writes it too). */
  error?: string;
}

/** What the sync state remembers of one file we wrote (no content). */
export interface PreviousFile {
  origin: string;
  version?: string | undefined;
  hmac: string;
  /** When the source last changed the bytes that were synced, and when they were synced: the review's context. */
  modifiedAt?: string | undefined;
  syncedAt?: string | undefined;
}

export interface FilePlanInput {
  profile: Profile;
  /** Resolved file secrets, each with its slot (by the file path as the manifest writes it). */
  files: { secret: ResolvedSecret; slot: FileSlot }[];
  previous: ReadonlyMap<string, PreviousFile>;
  /** HMAC of a file's bytes bound to its path. Never called without previous entries (an untracked sync). */
  mac: (filePath: string, bytes: Uint8Array) => string;
  takeRemote: ReadonlySet<string>;
  /** Adds and changes the user unticked in the review (by path): the file is left as it is, or not created. */
  keepLocal?: ReadonlySet<string>;
  /**
   * Whether the sides of a change get their byte lengths and keyed fingerprints (the prefix of `mac`): only a tracked
   * sync has the drift key, and without it no fingerprint of any content exists.
   */
  fingerprints?: boolean;
  now: Date;
}

/** One file to write (or to keep), with what the new sync state needs. */
export interface PlannedFile {
  item: PlanFile;
  slot: FileSlot;
  secret: ResolvedSecret;
  /** The bytes to write; undefined when the file stays as it is. */
  write: Uint8Array | undefined;
  /** The bytes the file holds after the sync, when Latchkey manages them (not a conflict kept local). */
  managed: Uint8Array | undefined;
  /** Its mode is to be tightened to the source's `mode:` (an unchanged file whose bits differ). */
  fixMode: boolean;
}

/** The origin of a file secret: the object and the path, since one object may be written to two files. */
export function fileOrigin(spec: S3Spec & { file: string }) {
  return originOf(spec, spec.file);
}

export function computeFilePlan(input: FilePlanInput): { files: PlannedFile[]; warnings: string[] } {
  const warnings: string[] = [];
  const files = input.files.map(({ secret, slot }): PlannedFile => {
    const spec = slot.spec;
    const mode = spec.mode ?? DEFAULT_FILE_MODE;
    const base = {
      path: spec.file,
      origin: fileOrigin(spec),
      meta: secret.meta,
      mode: octal(mode),
      rotation: rotationStatus(secret.meta.modifiedAt, spec.rotation ?? input.profile.rotation, input.now),
    };
    const plan = (item: Omit<PlanFile, keyof typeof base | 'reused'> & { reused?: boolean }) => ({
      item: { ...base, reused: false, ...item },
      slot,
      secret,
    });
    if (slot.error !== undefined) {
      return { ...plan({ status: 'error', reason: slot.error }), write: undefined, managed: undefined, fixMode: false };
    }
    const local = slot.current?.bytes;
    const fixMode = slot.current?.mode !== undefined && (slot.current.mode & 0o777) !== mode;
    if (secret.reused) {
      if (local === undefined) throw new Error(`internal: ${spec.file} was reused but does not exist`);
      return { ...plan({ status: 'unchanged', reused: true }), write: undefined, managed: local, fixMode };
    }
    const remote = secret.bytes ?? new Uint8Array();
    const prior = input.previous.get(spec.file);
    if (local !== undefined && local.equals(remote)) {
      return { ...plan({ status: 'unchanged' }), write: undefined, managed: remote, fixMode };
    }
    const review = input.fingerprints ? fileReview(input.mac, spec.file, local, remote, prior) : {};
    if (local === undefined || (prior !== undefined && input.mac(spec.file, local) === prior.hmac)) {
      const status = local === undefined ? 'add' : 'change';
      if (input.keepLocal?.has(spec.file)) {
        // Unticked: nothing is written, and the record of the last sync (if any) stays, so it plans the same next time.
        return {
          ...plan({ status, resolution: 'keep-local', ...review }),
          write: undefined,
          managed: undefined,
          fixMode: false,
        };
      }
      return { ...plan({ status, ...review }), write: remote, managed: remote, fixMode: false };
    }
    const remoteChanged = prior === undefined || input.mac(spec.file, remote) !== prior.hmac;
    const reason =
      prior === undefined
        ? 'the file exists with other content, not written by Latchkey'
        : remoteChanged
          ? 'edited locally, and the source changed too'
          : 'edited locally since the last sync';
    const takeRemote = input.takeRemote.has(spec.file);
    return {
      ...plan({
        status: 'conflict',
        reason,
        remoteChanged,
        resolution: takeRemote ? 'take-remote' : 'keep-local',
        ...review,
      }),
      write: takeRemote ? remote : undefined,
      managed: takeRemote ? remote : undefined,
      fixMode: false,
    };
  });
  for (const file of files) {
    if (file.fixMode && file.slot.current?.mode !== undefined) {
      warnings.push(
        `${file.slot.spec.file} has mode ${octal(file.slot.current.mode)}; sync makes it ${file.item.mode}, as latchkey.yml says`,
      );
    }
  }
  return { files, warnings };
}

/**
 * A file change's sides for the review: byte lengths and short keyed fingerprints (the install's HMAC of the bytes,
 * bound to the path, as the sync state keeps it), the last synced record, and whether the contents may be compared.
 */
function fileReview(
  mac: FilePlanInput['mac'],
  filePath: string,
  local: Uint8Array | undefined,
  remote: Uint8Array,
  prior: PreviousFile | undefined,
): { context: ChangeContext; compare: FileCompare } {
  const side = (bytes: Uint8Array) => ({
    length: bytes.length,
    fingerprint: mac(filePath, bytes).slice(0, FINGERPRINT_HEX),
  });
  const context: ChangeContext = {
    ...(local !== undefined && { local: side(local) }),
    remote: side(remote),
    ...(prior && {
      synced: {
        fingerprint: prior.hmac.slice(0, FINGERPRINT_HEX),
        ...(prior.version !== undefined && { version: prior.version }),
        ...(prior.modifiedAt !== undefined && { modifiedAt: prior.modifiedAt }),
        ...(prior.syncedAt !== undefined && { syncedAt: prior.syncedAt }),
      },
    }),
  };
  return { context, compare: fileCompareOf(local === undefined ? [remote] : [local, remote]) };
}

/**
 * Whether the sides can be shown as text: each at most FILE_REVEAL_MAX_BYTES, valid UTF-8, and free of control
 * characters other than tab, line feed and carriage return (a key file in PEM is text; a keystore is not).
 */
export function fileCompareOf(sides: readonly Uint8Array[]): FileCompare {
  if (sides.some((bytes) => bytes.length > FILE_REVEAL_MAX_BYTES)) return 'too-large';
  return sides.every(isText) ? 'text' : 'binary';
}

/** Tab, line feed and carriage return: the only control bytes text may hold here. */
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0d]);

function isText(bytes: Uint8Array): boolean {
  // Bytes of a multi-byte UTF-8 character are all 0x80 or above, so control characters show as single bytes.
  if (bytes.some((b) => (b < 0x20 && !TEXT_CONTROLS.has(b)) || b === 0x7f)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
