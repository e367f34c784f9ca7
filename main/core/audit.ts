import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import { AuditActionSchema, AuditOutcomeSchema } from '../../contract/audit-event';
import { auditKeychainInUse } from './audit-keychain';
import { errorCode, writeFileAtomic } from './atomic-write';
import { canonicalJson } from './canonical-json';
import { LatchkeyError } from './errors';
import { nameRecordSchema } from './name-map';
import { ensurePrivateDir } from './paths';
import { ownProcessStartId, processIsAlive, processStartId } from './process-identity';
import { serialized } from './serial-queue';
import type { SecretStore } from './state';

/**
 * The audit trail: an append-only JSONL file in the app-data folder, one event per line, each chained to the one
 * before by a SHA-256 hash. `audit.head` remembers the last seq and hash, so that cutting lines off the end is
 * detectable too. Events carry key names, versions and outcomes: never a value.
 */

export { useAuditKeychain } from './audit-keychain';

export const AUDIT_FILE = 'audit.jsonl';
export const AUDIT_HEAD_FILE = 'audit.head';
export const AUDIT_LOCK_FILE = 'audit.lock';
/** The head's seq and hash, sealed with an HMAC whose key is in the keychain (issue 10, item 19). */
export const AUDIT_ANCHOR_FILE = 'audit.anchor';
const AUDIT_KEY_ACCOUNT = 'audit-key';
/** prevHash of the first event. */
export const GENESIS_HASH = '0'.repeat(64);
const MAX_DETAIL_CHARS = 500;
/** Far beyond any profile; the cap only keeps a runaway caller from writing an unbounded line. */
const MAX_AUDIT_KEYS = 1_000_000;
/**
 * An entry names a variable (at most 256 characters) or a file secret as `file:<path>`, and a path may be as long as
 * the system allows (PATH_MAX, 4096 on Linux): a long but legal path must not make a sync's audit intent, and so the
 * sync, fail.
 */
const MAX_AUDIT_NAME = 'file:'.length + 4096;

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters');

// Strict objects: a field the schema does not know (say, `value`) is refused rather than persisted.
const inputShape = {
  action: AuditActionSchema,
  profile: z.string().max(200).optional(),
  target: z.string().max(4096).optional(),
  /** Key names only. */
  keys: z.array(z.string().max(MAX_AUDIT_NAME)).max(MAX_AUDIT_KEYS).optional(),
  /** Key name → source version (SSM version, item version, ETag). */
  versions: nameRecordSchema(z.string().max(256), { maxKeyLength: MAX_AUDIT_NAME, maxKeys: MAX_AUDIT_KEYS }).optional(),
  outcome: AuditOutcomeSchema,
  /** Short text for people, e.g. an error code. Never a value. */
  detail: z.string().max(MAX_DETAIL_CHARS).optional(),
};
const AuditInputSchema = z.strictObject(inputShape);
export type AuditInput = z.infer<typeof AuditInputSchema>;

const AuditEventSchema = z.strictObject({
  seq: z.number().int().positive(),
  time: z.string(),
  user: z.string(),
  ...inputShape,
  prevHash: Sha256Hex,
  hash: Sha256Hex,
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

const AuditHeadSchema = z.strictObject({ seq: z.number().int().nonnegative(), hash: Sha256Hex });
type AuditHead = z.infer<typeof AuditHeadSchema>;

interface AuditProblem {
  line?: number;
  seq?: number;
  problem: string;
  /** Set when the keychain-sealed anchor and the log disagree (or the anchor itself is damaged). */
  kind?: 'anchor';
}

export interface AuditVerification {
  ok: boolean;
  events: number;
  problems: AuditProblem[];
  /** The last seq the keychain-sealed anchor vouches for; absent when there is no anchor to check. */
  anchoredSeq?: number;
}

export interface VerifyOptions {
  /** Where the audit key is; defaults to the one given to useAuditKeychain. `null`: check the chain only. */
  keychain?: SecretStore | null;
}

function auditPath(appDir: string): string {
  return path.join(appDir, AUDIT_FILE);
}

/** SHA-256 hex over the previous hash followed by the canonical JSON of the event without its own hash. */
export function hashAuditEvent(event: Omit<AuditEvent, 'hash'>): string {
  const { hash: _ignored, ...rest } = event as AuditEvent;
  return createHash('sha256').update(rest.prevHash, 'utf8').update(canonicalJson(rest), 'utf8').digest('hex');
}

const BROKEN_HINT =
  'Run `latchkey audit verify` to see what is wrong. To start a new log, move audit.jsonl and audit.head aside (keep them as evidence).';

/**
 * Appends one event and returns it. Safe when the CLI and the app append at the same time: an exclusive lock
 * file serializes writers across processes. Refuses (AUDIT_BROKEN) to extend a log whose tail does not match
 * its head record, since appending would hide the damage.
 */
export async function appendAuditEvent(
  appDir: string,
  input: AuditInput,
  opts: { now?: Date; user?: string } = {},
): Promise<AuditEvent> {
  const parsed = AuditInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new LatchkeyError('INVALID_INPUT', `Refusing an invalid audit event: ${describeIssues(parsed.error)}`);
  }
  await ensurePrivateDir(appDir);
  return inProcessQueue(appDir, () =>
    withAuditLock(appDir, async () => {
      const last = await lastCommittedEvent(appDir);
      const unsealed = {
        seq: (last?.seq ?? 0) + 1,
        time: (opts.now ?? new Date()).toISOString(),
        user: opts.user ?? osUserName(),
        ...parsed.data,
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      const event: AuditEvent = { ...unsealed, hash: hashAuditEvent(unsealed) };
      await appendLine(auditPath(appDir), `${JSON.stringify(event)}\n`);
      await writeFileAtomic(headPath(appDir), `${JSON.stringify({ seq: event.seq, hash: event.hash })}\n`);
      await sealAnchor(appDir, event);
      return event;
    }),
  );
}

/**
 * Checks every line, the chain, the head record, and the anchor sealed with the keychain's audit key. A missing or
 * empty log with no head is fine.
 */
export async function verifyAudit(appDir: string, opts: VerifyOptions = {}): Promise<AuditVerification> {
  const text = await readTextOrEmpty(auditPath(appDir));
  const problems: AuditProblem[] = [];
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  if (text === '' || endsWithNewline) lines.pop();

  let prev: AuditEvent | undefined;
  const hashes = new Map<number, string>();
  let chainKnown = true; // false right after an unreadable line: continuity cannot be judged there
  let events = 0;
  for (const [index, line] of lines.entries()) {
    const lineNo = index + 1;
    const isUnterminated = index === lines.length - 1 && !endsWithNewline;
    if (line.trim() === '') {
      problems.push({ line: lineNo, problem: 'blank line' });
      continue;
    }
    const event = parseEventLine(line);
    if (!event.ok) {
      problems.push({
        line: lineNo,
        problem: isUnterminated ? `incomplete last line (an interrupted write?): ${event.problem}` : event.problem,
      });
      chainKnown = false;
      continue;
    }
    const ev = event.value;
    hashes.set(ev.seq, ev.hash);
    events++;
    if (isUnterminated) problems.push({ line: lineNo, seq: ev.seq, problem: 'the last line has no line ending' });
    if (hashAuditEvent(ev) !== ev.hash) {
      problems.push({
        line: lineNo,
        seq: ev.seq,
        problem: 'its hash does not match its content (the line was edited)',
      });
    }
    if (chainKnown) {
      const expectedSeq = prev ? prev.seq + 1 : 1;
      if (ev.seq !== expectedSeq) {
        problems.push({
          line: lineNo,
          seq: ev.seq,
          problem: `seq ${ev.seq} where ${expectedSeq} was expected (a line was deleted, inserted or moved)`,
        });
      }
      if (ev.prevHash !== (prev?.hash ?? GENESIS_HASH)) {
        problems.push({
          line: lineNo,
          seq: ev.seq,
          problem: prev
            ? `prevHash does not match the hash of the event before it (seq ${prev.seq})`
            : 'the first event does not start the chain (lines were removed from the start?)',
        });
      }
    }
    prev = ev;
    chainKnown = true;
  }

  const head = await readHead(appDir);
  if (head.kind === 'malformed') problems.push({ problem: `${AUDIT_HEAD_FILE} is malformed` });
  if (head.kind === 'ok' || head.kind === 'missing') {
    const mismatch = headMismatch(head.kind === 'ok' ? head.value : undefined, prev);
    if (mismatch) problems.push({ ...(prev && { seq: prev.seq }), problem: mismatch });
  }
  const store = opts.keychain === undefined ? auditKeychainInUse().store : (opts.keychain ?? undefined);
  const anchor = store ? await checkAnchor(appDir, store, prev?.seq ?? 0, hashes) : undefined;
  if (anchor?.problem) problems.push({ ...anchor.problem, kind: 'anchor' });
  return {
    ok: problems.length === 0,
    events,
    problems,
    ...(anchor?.anchoredSeq !== undefined && { anchoredSeq: anchor.anchoredSeq }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The anchor

/**
 * Anyone who can write the app-data folder can drop events and re-seal the chain and the head: they are plain
 * SHA-256. The anchor is the head's seq and hash with an HMAC keyed by a secret in the OS keychain, which such a
 * writer cannot read, so a re-sealed log no longer agrees with it. docs/SECURITY.md says what it does not prove.
 * The keychain that holds its key is set by the composition root (core/audit-keychain.ts).
 */
const AnchorSchema = z.strictObject({
  v: z.literal(1),
  seq: z.number().int().nonnegative(),
  hash: Sha256Hex,
  mac: Sha256Hex,
});

function anchorMac(key: Buffer, seq: number, hash: string): string {
  return createHmac('sha256', key).update(`latchkey-audit-anchor-v1\0${seq}\0${hash}`, 'utf8').digest('hex');
}

function decodeKey(stored: string | null): Buffer | undefined {
  return stored !== null && /^[0-9a-f]{64}$/.test(stored) ? Buffer.from(stored, 'hex') : undefined;
}

/** The audit key, created on first use; undefined when the keychain cannot be used (CI without one). */
function anchorKey(store: SecretStore): Promise<Buffer | undefined> {
  const keyCache = auditKeychainInUse().keys;
  let cached = keyCache.get(store);
  if (!cached) {
    cached = (async () => {
      try {
        const stored = decodeKey(await store.get(AUDIT_KEY_ACCOUNT));
        if (stored) return stored;
        await store.set(AUDIT_KEY_ACCOUNT, randomBytes(32).toString('hex'));
        // Read back: if the CLI and the app created a key at the same moment, both use the one that stuck.
        return decodeKey(await store.get(AUDIT_KEY_ACCOUNT));
      } catch {
        return undefined;
      }
    })();
    keyCache.set(store, cached);
  }
  return cached;
}

/**
 * Re-seals the anchor for the event just appended, under the audit lock. Best effort: the event is committed
 * already, and a keychain that is missing or locked must not stop the audit trail; verify then shows how far the
 * anchor vouches.
 */
async function sealAnchor(appDir: string, event: AuditEvent): Promise<void> {
  const auditKeychain = auditKeychainInUse().store;
  if (!auditKeychain) return;
  const key = await anchorKey(auditKeychain);
  if (!key) return;
  const anchor = { v: 1, seq: event.seq, hash: event.hash, mac: anchorMac(key, event.seq, event.hash) };
  await writeFileAtomic(path.join(appDir, AUDIT_ANCHOR_FILE), `${JSON.stringify(anchor)}\n`).catch(() => undefined);
}

async function checkAnchor(
  appDir: string,
  store: SecretStore,
  lastSeq: number,
  hashes: Map<number, string>,
): Promise<{ problem?: AuditProblem; anchoredSeq?: number } | undefined> {
  let key: Buffer | undefined;
  try {
    key = decodeKey(await store.get(AUDIT_KEY_ACCOUNT));
  } catch {
    return undefined; // No keychain here: only the chain can be checked.
  }
  const text = await readTextOrEmpty(path.join(appDir, AUDIT_ANCHOR_FILE));
  if (!key) {
    return text === ''
      ? undefined
      : { problem: { problem: `${AUDIT_ANCHOR_FILE} exists but the keychain holds no audit key to check it with` } };
  }
  if (text === '') {
    return lastSeq === 0
      ? undefined
      : {
          problem: {
            problem: `the ${AUDIT_ANCHOR_FILE} anchor file is missing although the keychain holds the audit key`,
          },
        };
  }
  let anchor: z.infer<typeof AnchorSchema>;
  try {
    anchor = AnchorSchema.parse(JSON.parse(text));
  } catch {
    return { problem: { problem: `the ${AUDIT_ANCHOR_FILE} anchor file was altered (it is not a valid anchor)` } };
  }
  const expected = Buffer.from(anchorMac(key, anchor.seq, anchor.hash), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(anchor.mac, 'hex'))) {
    return { problem: { problem: `the ${AUDIT_ANCHOR_FILE} anchor file was altered (its HMAC does not match)` } };
  }
  if (anchor.seq > lastSeq) {
    return {
      problem: {
        problem: `the anchor records ${anchor.seq} events, but the log has ${lastSeq}: events were removed and the chain re-sealed`,
      },
    };
  }
  if (anchor.seq > 0 && hashes.get(anchor.seq) !== anchor.hash) {
    return {
      problem: {
        seq: anchor.seq,
        problem: `event ${anchor.seq} is not the one the anchor recorded: the log was rewritten up to there`,
      },
    };
  }
  return { anchoredSeq: anchor.seq };
}

/** The last `n` readable events, oldest first. Reads only the end of the file. */
export async function tailAudit(appDir: string, n: number): Promise<AuditEvent[]> {
  if (n <= 0) return [];
  const tail = await readTailLines(auditPath(appDir), n);
  const events: AuditEvent[] = [];
  for (const line of tail.lines) {
    const event = parseEventLine(line);
    if (event.ok) events.push(event.value);
  }
  return events;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

function parseEventLine(line: string): Parsed<AuditEvent> {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, problem: 'not valid JSON' };
  }
  const parsed = AuditEventSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problem: `not a valid audit event: ${describeIssues(parsed.error)}` };
  return { ok: true, value: parsed.data };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

function headPath(appDir: string): string {
  return path.join(appDir, AUDIT_HEAD_FILE);
}

type HeadRead = { kind: 'ok'; value: AuditHead } | { kind: 'missing' } | { kind: 'malformed' };

async function readHead(appDir: string): Promise<HeadRead> {
  let text: string;
  try {
    text = await fs.readFile(headPath(appDir), 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  try {
    const parsed = AuditHeadSchema.safeParse(JSON.parse(text));
    return parsed.success ? { kind: 'ok', value: parsed.data } : { kind: 'malformed' };
  } catch {
    return { kind: 'malformed' };
  }
}

/**
 * Compares the head record with the last event in the file. The head may lag by exactly one event (a crash
 * between appending the line and rewriting the head), provided that event chains onto the head's hash.
 */
function headMismatch(head: AuditHead | undefined, last: AuditEvent | undefined): string | undefined {
  if (!head) {
    return last && last.seq > 1 ? `${AUDIT_HEAD_FILE} is missing although the log has ${last.seq} events` : undefined;
  }
  const lastSeq = last?.seq ?? 0;
  if (head.seq > lastSeq) {
    return `the log ends at seq ${lastSeq} but ${AUDIT_HEAD_FILE} records seq ${head.seq}: the tail was truncated`;
  }
  if (head.seq === lastSeq) {
    return last && head.hash !== last.hash ? `the last event's hash differs from ${AUDIT_HEAD_FILE}` : undefined;
  }
  if (head.seq === lastSeq - 1 && last?.prevHash === head.hash) return undefined;
  return `${AUDIT_HEAD_FILE} records seq ${head.seq}, which does not lead to the last event (seq ${lastSeq})`;
}

async function readTextOrEmpty(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return '';
    throw error;
  }
}

interface TailLines {
  /** Up to n complete lines (without their line ending), oldest first. */
  lines: string[];
  /** Bytes after the last line ending, if any: an unfinished line. */
  unterminated?: { offset: number; text: string };
}

const TAIL_CHUNK = 64 * 1024;

/** Reads backwards from the end until it holds `n` complete lines, so that a long log is not read whole. */
async function readTailLines(file: string, n: number): Promise<TailLines> {
  let handle: FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { lines: [] };
    throw error;
  }
  try {
    const size = (await handle.stat()).size;
    let start = size;
    let buffer = Buffer.alloc(0);
    while (start > 0) {
      const length = Math.min(TAIL_CHUNK, start);
      start -= length;
      const chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, start);
      buffer = Buffer.concat([chunk, buffer]);
      // With start > 0 the first piece may be cut, so n complete lines need n + 1 line endings.
      if (countNewlines(buffer) > n) break;
    }
    const lastNewline = buffer.lastIndexOf(0x0a);
    const firstUsable = start > 0 ? buffer.indexOf(0x0a) + 1 : 0;
    const complete = lastNewline >= firstUsable ? buffer.subarray(firstUsable, lastNewline + 1).toString('utf8') : '';
    const lines = complete === '' ? [] : complete.slice(0, -1).split('\n');
    const rest = buffer.subarray(lastNewline + 1);
    return {
      lines: lines.slice(-n),
      ...(rest.length > 0 ? { unterminated: { offset: size - rest.length, text: rest.toString('utf8') } } : {}),
    };
  } finally {
    await handle.close();
  }
}

function countNewlines(buffer: Buffer): number {
  let count = 0;
  for (let i = buffer.indexOf(0x0a); i !== -1; i = buffer.indexOf(0x0a, i + 1)) count++;
  return count;
}

// ---------------------------------------------------------------------------------------------------------------
// Appending

/**
 * The event the next one chains onto, checked against the head record. A half-written last line, left by a
 * crash during an append whose head was never updated, is cut off: it was never committed.
 */
async function lastCommittedEvent(appDir: string): Promise<AuditEvent | undefined> {
  const file = auditPath(appDir);
  const tail = await readTailLines(file, 1);
  const lastLine = tail.lines.at(-1);
  let last: AuditEvent | undefined;
  if (lastLine !== undefined) {
    const parsed = parseEventLine(lastLine);
    if (!parsed.ok) throw broken(`the last line of the audit log is unreadable (${parsed.problem})`);
    last = parsed.value;
  }
  const head = await readHead(appDir);
  if (head.kind === 'malformed') throw broken(`${AUDIT_HEAD_FILE} is malformed`);
  const headValue = head.kind === 'ok' ? head.value : undefined;

  // Judge the committed part first: a tail cut in the middle of a committed line must not look like a torn write.
  const mismatch = headMismatch(headValue, last);
  if (mismatch) throw broken(mismatch);
  if (tail.unterminated) {
    if (looksLikeJson(tail.unterminated.text)) throw broken('the audit log does not end with a line ending');
    await truncateAndSync(file, tail.unterminated.offset);
  }
  return last;
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function broken(problem: string): LatchkeyError {
  return new LatchkeyError('AUDIT_BROKEN', `The audit log cannot be extended: ${problem}`, BROKEN_HINT);
}

async function truncateAndSync(file: string, length: number): Promise<void> {
  const handle = await fs.open(file, 'r+');
  try {
    await handle.truncate(length);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function appendLine(file: string, line: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(file, 'a', 0o600);
    await handle.writeFile(line);
    await handle.sync();
  } catch (error) {
    throw new LatchkeyError('WRITE_FAILED', `Could not append to the audit log ${file}`, undefined, { cause: error });
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function osUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    // No passwd entry (some containers): fall back to what the shell says.
    return process.env.USER || process.env.USERNAME || 'unknown';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Locking

const queues = new Map<string, Promise<unknown>>();

/** Appends within this process go one at a time, so that they do not spin against each other on the lock file. */
const inProcessQueue = <T>(key: string, task: () => Promise<T>): Promise<T> => serialized(queues, key, task);

/**
 * How long a live holder may keep the lock before an append gives up and says who holds it. An append holds it
 * for milliseconds; a holder that keeps it for seconds is stuck, and waiting longer only stalls every command.
 */
const AUDIT_LOCK_HELD_MS = 3_000;
/** A lock that is empty or unreadable is a crash between creating and filling it once it is older than this. */
const UNREADABLE_LOCK_GRACE_MS = 1_000;

interface LockHolder {
  pid?: unknown;
  host?: unknown;
  token?: unknown;
  /** When the holder's process started (process-identity.ts), so that a reused pid is not taken for it. */
  start?: unknown;
}

async function withAuditLock<T>(appDir: string, task: () => Promise<T>): Promise<T> {
  const lockPath = path.join(appDir, AUDIT_LOCK_FILE);
  const token = await acquireLock(lockPath);
  try {
    return await task();
  } finally {
    await releaseLock(lockPath, token);
  }
}

/**
 * Takes the lock: the holder record is written to a file of its own first and then hard-linked into place, which
 * fails if a lock exists, so a lock is never seen empty or half-written (issue 10, item 22). A lock whose process
 * is gone (or whose pid now names another process) is broken at once; a live holder is waited for, but only for
 * AUDIT_LOCK_HELD_MS per holder, and then the append fails naming it.
 */
async function acquireLock(lockPath: string): Promise<string> {
  const token = randomBytes(8).toString('hex');
  const record = JSON.stringify({ pid: process.pid, host: os.hostname(), token, start: ownProcessStartId() });
  const staging = `${lockPath}.${process.pid}-${token}`;
  await removeOrphanStagings(lockPath);
  await fs.writeFile(staging, record, { mode: 0o600, flag: 'wx' }).catch((error: unknown) => {
    throw new LatchkeyError('WRITE_FAILED', `Could not create the audit lock ${lockPath}`, undefined, { cause: error });
  });
  let delay = 2;
  let watched: { token: unknown; since: number } | undefined;
  try {
    for (;;) {
      try {
        await fs.link(staging, lockPath);
        return token;
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') {
          throw new LatchkeyError('WRITE_FAILED', `Could not create the audit lock ${lockPath}`, undefined, {
            cause: error,
          });
        }
      }
      const judged = await judgeLock(lockPath);
      if (judged.kind === 'gone') continue;
      if (judged.kind === 'stale') {
        if (await breakLock(lockPath, judged.ino)) continue;
      } else if (judged.kind === 'live') {
        const now = Date.now();
        // The clock runs per holder: many appends taking turns is progress, one holder that stays is not.
        if (watched === undefined || watched.token !== judged.holder.token) {
          watched = { token: judged.holder.token, since: now };
        } else if (now - watched.since > AUDIT_LOCK_HELD_MS) {
          throw heldBy(lockPath, judged.holder);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 100);
    }
  } finally {
    await fs.unlink(staging).catch(() => undefined);
  }
}

/** Holder records of waiters that were killed while waiting (`audit.lock.<pid>-<token>`). */
async function removeOrphanStagings(lockPath: string): Promise<void> {
  const dir = path.dirname(lockPath);
  const prefix = `${path.basename(lockPath)}.`;
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    const match = name.startsWith(prefix) ? /^(\d+)-[0-9a-f]{16}$/.exec(name.slice(prefix.length)) : null;
    if (match && !processIsAlive(Number(match[1]))) await fs.unlink(path.join(dir, name)).catch(() => undefined);
  }
}

type LockJudgement =
  | { kind: 'gone' }
  | { kind: 'stale'; ino: number }
  | { kind: 'young'; ino: number }
  | { kind: 'live'; holder: LockHolder };

async function judgeLock(lockPath: string): Promise<LockJudgement> {
  const stat = await fs.stat(lockPath).catch(() => undefined);
  if (!stat) return { kind: 'gone' };
  let holder: LockHolder;
  try {
    holder = JSON.parse(await fs.readFile(lockPath, 'utf8')) as LockHolder;
    if (typeof holder !== 'object' || holder === null || typeof holder.pid !== 'number') throw new Error('no pid');
  } catch {
    // Empty or half-written: an older Latchkey creates the file first and fills it right after.
    return Date.now() - stat.mtimeMs > UNREADABLE_LOCK_GRACE_MS
      ? { kind: 'stale', ino: stat.ino }
      : { kind: 'young', ino: stat.ino };
  }
  // Another machine (a shared home folder): its processes cannot be checked from here.
  if (holder.host !== os.hostname()) return { kind: 'live', holder };
  const pid = holder.pid as number;
  if (!processIsAlive(pid)) return { kind: 'stale', ino: stat.ino };
  const start = processStartId(pid);
  if (typeof holder.start === 'string' && start !== undefined && holder.start !== start) {
    return { kind: 'stale', ino: stat.ino };
  }
  return { kind: 'live', holder };
}

/**
 * Removes the lock judged stale. It is moved aside first and checked to be the very file judged: a plain unlink
 * could remove a lock that another waiter had just broken and taken.
 */
async function breakLock(lockPath: string, ino: number): Promise<boolean> {
  const aside = `${lockPath}.stale-${randomBytes(6).toString('hex')}`;
  try {
    await fs.rename(lockPath, aside);
  } catch {
    return true;
  }
  const moved = await fs.stat(aside).catch(() => undefined);
  if (moved && moved.ino !== ino) {
    // We moved a fresh lock: put it back unless someone has already locked again.
    await fs.link(aside, lockPath).catch(() => undefined);
    await fs.unlink(aside).catch(() => undefined);
    return false;
  }
  await fs.unlink(aside).catch(() => undefined);
  return true;
}

function heldBy(lockPath: string, holder: LockHolder): LatchkeyError {
  const who =
    holder.host === os.hostname()
      ? `process ${String(holder.pid)}`
      : `process ${String(holder.pid)} on ${String(holder.host)}`;
  return new LatchkeyError(
    'WRITE_FAILED',
    `The audit log is locked by ${who}, which has held it for more than ${AUDIT_LOCK_HELD_MS / 1000} s`,
    `That process is still running and may be stuck: end it (Latchkey breaks the lock of a process that is gone), or if it is not Latchkey, delete ${lockPath}.`,
  );
}

async function releaseLock(lockPath: string, token: string): Promise<void> {
  try {
    const holder = JSON.parse(await fs.readFile(lockPath, 'utf8')) as { token?: unknown };
    // If our lock was broken as stale and someone else holds it now, it is theirs to remove.
    if (holder.token === token) await fs.unlink(lockPath);
  } catch {
    // Already gone or replaced: nothing to release.
  }
}
