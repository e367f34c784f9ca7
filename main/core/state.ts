import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { prepareAtomicWrite, type PreparedWrite } from './atomic-write';
import { LatchkeyError } from './errors';
import { nameMapSchema, recordOf } from './name-map';
import { ensurePrivateDir } from './paths';

/**
 * Sync state: what Latchkey wrote last time into one target, per key. It holds origins, versions, times and an
 * HMAC of each value written, never a value, so that local edits and drift can be detected without keeping
 * secrets or plain hashes of them.
 */

const HEX_SHA256 = /^[0-9a-f]{64}$/;

const SyncEntrySchema = z.strictObject({
  /** originId of the source that produced the value, e.g. `chamber:api/dev#db_password`. */
  origin: z.string().min(1),
  version: z.string().optional(),
  chamberVersion: z.number().int().optional(),
  modifiedAt: z.string().optional(),
  syncedAt: z.string(),
  /** HMAC-SHA256 (hex) of the value written, keyed by the install's HMAC key and bound to the env name. */
  hmac: z.string().regex(HEX_SHA256, 'must be 64 lower-case hex characters'),
});

/** A file secret written with the target (an `s3:` source with `file:`): the same record, of the file's bytes. */
const SyncFileSchema = SyncEntrySchema.extend({
  /** Size in bytes of what was written. */
  size: z.number().int().nonnegative(),
});
export type SyncFileEntry = z.infer<typeof SyncFileSchema>;

const SyncStateSchema = z.strictObject({
  version: z.literal(1),
  /** Absolute path of the target file. */
  target: z.string(),
  /** Absolute path of the manifest whose profile wrote it; empty until the first save. */
  manifest: z.string(),
  profile: z.string(),
  updatedAt: z.string(),
  /** By env name; a JSON object in the file, a Map in memory (a name may be `constructor` or `__proto__`). */
  entries: nameMapSchema(SyncEntrySchema),
  /** File secrets by their path as the manifest writes it; absent in states written before file secrets. */
  files: nameMapSchema(SyncFileSchema).optional(),
});
export type SyncState = z.infer<typeof SyncStateSchema>;

const STATE_DIR_NAME = 'state';

export function emptySyncState(target: string, manifest = '', profile = ''): SyncState {
  return { version: 1, target: path.resolve(target), manifest, profile, updatedAt: '', entries: new Map() };
}

/** One state file per target, named by a hash of its absolute path (paths can hold anything; names cannot). */
export function syncStatePath(appDir: string, target: string): string {
  const digest = createHash('sha256').update(path.resolve(target), 'utf8').digest('hex');
  return path.join(appDir, STATE_DIR_NAME, `${digest.slice(0, 32)}.json`);
}

const DELETE_HINT =
  'Delete the file to start over: the next sync then treats every key as new, and keeps local edits as conflicts.';

/** Missing file: empty state. Corrupt file: STATE_INVALID naming the file and what is wrong. */
export async function loadSyncState(appDir: string, target: string): Promise<SyncState> {
  const file = syncStatePath(appDir, target);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return emptySyncState(target);
    throw new LatchkeyError('STATE_INVALID', `Cannot read sync state ${file}`, DELETE_HINT, { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // The parser's message quotes the file's text; the state holds no values, but say only where it broke.
    throw new LatchkeyError('STATE_INVALID', `Sync state ${file} is not valid JSON`, DELETE_HINT);
  }
  const parsed = SyncStateSchema.safeParse(raw);
  if (!parsed.success) {
    throw new LatchkeyError(
      'STATE_INVALID',
      `Sync state ${file} is invalid: ${describeIssues(parsed.error)}`,
      DELETE_HINT,
    );
  }
  if (parsed.data.target !== path.resolve(target)) {
    throw new LatchkeyError(
      'STATE_INVALID',
      `Sync state ${file} belongs to ${parsed.data.target}, not ${path.resolve(target)}`,
      DELETE_HINT,
    );
  }
  return parsed.data;
}

/** Validates and writes the state atomically (0600); an empty updatedAt is stamped with now. Returns what was written. */
export async function saveSyncState(appDir: string, state: SyncState, now: Date = new Date()): Promise<SyncState> {
  const prepared = await prepareSyncState(appDir, state, now);
  try {
    await prepared.commit();
  } finally {
    await prepared.abort();
  }
  return prepared.state;
}

/**
 * Everything of saveSyncState but the rename: the new state sits in a synced temp file, so that a sync can make
 * sure the state can be written before it touches the target (issue 10, item 9).
 */
export async function prepareSyncState(
  appDir: string,
  state: SyncState,
  now: Date = new Date(),
): Promise<PreparedWrite & { state: SyncState }> {
  const updatedAt = state.updatedAt || now.toISOString();
  const parsed = SyncStateSchema.safeParse({ ...toJson(state), target: path.resolve(state.target), updatedAt });
  if (!parsed.success) {
    throw new LatchkeyError('STATE_INVALID', `Refusing to save an invalid sync state: ${describeIssues(parsed.error)}`);
  }
  const file = syncStatePath(appDir, parsed.data.target);
  try {
    await ensurePrivateDir(path.dirname(file));
  } catch (error) {
    throw new LatchkeyError('STATE_INVALID', `Cannot create the sync state folder ${path.dirname(file)}`, undefined, {
      cause: error,
    });
  }
  const prepared = await prepareAtomicWrite(file, `${JSON.stringify(toJson(parsed.data), null, 2)}\n`, { mode: 0o600 });
  return Object.assign(prepared, { state: parsed.data });
}

function toJson(state: SyncState) {
  return {
    ...state,
    entries: recordOf(state.entries),
    ...(state.files !== undefined && { files: recordOf(state.files) }),
  };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/**
 * HMAC-SHA256 of a value, bound to its env name so that two keys holding the same value get different MACs and
 * an entry cannot be moved to another key unnoticed. The NUL separator is unambiguous because a name never
 * contains NUL.
 */
export function valueHmac(hmacKey: Uint8Array, name: string, value: string): string {
  if (name.includes('\0')) throw new LatchkeyError('INVALID_NAME', 'A key name must not contain a NUL character');
  return createHmac('sha256', hmacKey).update(name, 'utf8').update('\0').update(value, 'utf8').digest('hex');
}

/**
 * HMAC-SHA256 of a file secret's bytes, bound to its path. The `file:` prefix keeps the two domains apart: an env
 * name never holds a colon, so no file's MAC can stand for a value's.
 */
export function bytesHmac(hmacKey: Uint8Array, filePath: string, bytes: Uint8Array): string {
  return createHmac('sha256', hmacKey).update(`file:${filePath}`, 'utf8').update('\0').update(bytes).digest('hex');
}

/** Constant-time check of a value against a stored HMAC; a malformed stored HMAC never matches. */
export function hmacMatches(hmacKey: Uint8Array, name: string, value: string, expectedHex: string): boolean {
  if (!HEX_SHA256.test(expectedHex)) return false;
  const actual = Buffer.from(valueHmac(hmacKey, name, value), 'hex');
  return timingSafeEqual(actual, Buffer.from(expectedHex, 'hex'));
}

/** The keychain, as much of it as the HMAC key needs. The real adapter lives outside the core. */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
}

export const HMAC_KEY_ACCOUNT = 'hmac-key';
const HMAC_KEY_BYTES = 32;
const STORED_KEY = /^[0-9a-f]{64}$/;

/**
 * The install's HMAC key, from the keychain; created (32 random bytes, stored as hex) on first use.
 * A malformed stored key is an error and is never replaced silently: a new key would make every managed key look
 * locally edited.
 */
export async function loadOrCreateHmacKey(store: SecretStore): Promise<Uint8Array> {
  const stored = await store.get(HMAC_KEY_ACCOUNT);
  if (stored !== null) return decodeStoredKey(stored);
  await store.set(HMAC_KEY_ACCOUNT, randomBytes(HMAC_KEY_BYTES).toString('hex'));
  // Read back: if the CLI and the app created a key at the same moment, both must use the one that stuck.
  const settled = await store.get(HMAC_KEY_ACCOUNT);
  if (settled === null) {
    throw new LatchkeyError(
      'KEYCHAIN_UNAVAILABLE',
      `The keychain did not keep the '${HMAC_KEY_ACCOUNT}' entry just stored`,
    );
  }
  return decodeStoredKey(settled);
}

function decodeStoredKey(stored: string): Uint8Array {
  if (!STORED_KEY.test(stored)) {
    // Never echo the stored text: it is key material.
    throw new LatchkeyError(
      'STATE_INVALID',
      `The sync HMAC key in the keychain (account '${HMAC_KEY_ACCOUNT}') is malformed: expected ${HMAC_KEY_BYTES * 2} hex characters`,
      `Removing that keychain entry makes Latchkey create a new key; the next sync then shows every managed key as locally edited (a conflict) until you take the remote values.`,
    );
  }
  return new Uint8Array(Buffer.from(stored, 'hex'));
}
