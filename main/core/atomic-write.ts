import { randomBytes } from 'node:crypto';
import { constants, lstatSync, promises as fs, renameSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { LatchkeyError } from './errors';
import { exchangeEntries } from './exchange-entries';
import {
  describeFsError,
  errorCode,
  holdChain,
  holdChild,
  holdFolder,
  type FolderChain,
  type HeldFolder,
} from './held-folder';
import { processIsAlive } from './process-identity';
import { refusedTargetReason, vcsFolderOnPath } from './target-rules';

export { errorCode } from './held-folder';

/** The points between the steps of an atomic write, in order. Exposed only for crash-injection tests. */
export const ATOMIC_WRITE_STEPS = [
  'temp-created',
  'temp-written',
  'temp-synced',
  /** The target was compared with what was expected and linked aside: only the rename is left. */
  'checked',
  'renamed',
  'dir-synced',
] as const;
export type AtomicWriteStep = (typeof ATOMIC_WRITE_STEPS)[number];

/**
 * Temp files live in this private (0700) folder beside the file they replace, never beside it under a name of
 * their own: an ignore rule for `.env` does not cover `..env.tmp`, but the folder ignores itself (a `.gitignore`
 * of `*` inside), whatever the user's rules say (issue 10, item 4).
 */
export const TEMP_FOLDER = '.latchkey-tmp';
const TEMP_GITIGNORE = '# Latchkey temp files: never commit them.\n*\n';
/** `<pid>-<12 hex>.tmp` (new content) or `.old` (the replaced file, kept while a write is checked). */
const TEMP_NAME = /^(\d+)-[0-9a-f]{12}\.(tmp|old)$/;
/** What earlier versions left beside the target: `.<name>.latchkey-<12 hex>.tmp`. */
const LEGACY_TEMP_NAME = /^\..*\.latchkey-[0-9a-f]{12}\.tmp$/s;
/** A temp of a live process is left alone unless it is older than this (its pid may have been reused). */
const LIVE_TEMP_MAX_AGE_MS = 60 * 60_000;
const LEGACY_TEMP_MAX_AGE_MS = 60_000;

export interface AtomicWriteOptions {
  /** Final permission bits of the file, applied exactly (umask does not apply). Default 0o600. */
  mode?: number;
  /**
   * Test hook for crash injection: called after each step with the temp file's path. A test child process uses
   * it to die at a precise point. Production callers never pass it; when absent it costs one `if` per step.
   */
  onStep?: (step: AtomicWriteStep, tempPath: string) => void | Promise<void>;
  /**
   * The project folder of a target or file secret. The write then walks down from it without following a symlink
   * anywhere, holds each folder, writes through the held folder and checks afterwards that every folder on the path
   * is still the one held (undoing the write when not). Without it, the target's folder is held as it is.
   */
  root?: string;
  /** With `root`: create missing folders between it and the target (0700). */
  createFolders?: boolean;
  /**
   * The bytes the target must still hold for the write to happen (null: it must not exist). Checked immediately
   * before the rename and again after it: an edit that lands meanwhile is kept (restored when it went into the
   * replaced file) and the write fails with WRITE_FAILED instead of losing it (issue 10, item 3).
   */
  expected?: Uint8Array | null;
  /** What a conflict's error tells the user to do next; "Look at the file, then try again." by default. */
  conflictHint?: string;
}

/** A write whose bytes are on disk (in a temp file, synced) and that only needs its rename. */
export interface PreparedWrite {
  readonly target: string;
  commit(): Promise<void>;
  /**
   * After a successful commit, and before abort: puts back what the target held before (or removes the file when
   * there was none), so that several writes can be all or nothing. False when that was not possible: no hard
   * links on the file system (nothing was kept aside), or the undo itself failed.
   */
  revert(): Promise<boolean>;
  /** Removes the temp file; safe to call after a failed commit, or twice. */
  abort(): Promise<void>;
}

/**
 * Replaces `target` so that, whatever happens (crash, power loss, kill -9), it holds either the old bytes or the
 * new bytes, never a mix: temp file in a private folder beside it (exclusive create), write, fsync, rename over the
 * target, fsync the folder.
 */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  opts: AtomicWriteOptions = {},
): Promise<void> {
  const prepared = await prepareAtomicWrite(target, data, opts);
  try {
    await prepared.commit();
  } finally {
    await prepared.abort();
  }
}

/** The first half of writeFileAtomic: everything up to the rename, so that a caller can check more before it. */
export async function prepareAtomicWrite(
  target: string,
  data: string | Uint8Array,
  opts: AtomicWriteOptions = {},
): Promise<PreparedWrite> {
  const abs = path.resolve(target);
  const base = path.basename(abs);
  const chain = await holdTargetFolder(abs, opts);
  let temps: HeldFolder | undefined;
  let tempName: string | undefined;
  let handle: FileHandle | undefined;
  const mode = opts.mode ?? 0o600;
  try {
    temps = await holdTempFolder(chain.last, abs);
    await removeStaleTemps(chain.last, temps);
    tempName = `${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
    const shownTemp = path.join(temps.path, tempName);
    handle = await fs.open(temps.entry(tempName), 'wx', mode);
    // The umask may have taken bits away (or a 0o277 umask even the owner's write bit): set them explicitly.
    await handle.chmod(mode);
    await opts.onStep?.('temp-created', shownTemp);
    await handle.writeFile(data);
    await opts.onStep?.('temp-written', shownTemp);
    await handle.sync();
    await opts.onStep?.('temp-synced', shownTemp);
    const tempIno = (await handle.stat()).ino;
    await handle.close();
    handle = undefined;
    return new Commit(abs, base, chain, temps, tempName, tempIno, opts);
  } catch (error) {
    if (handle) await handle.close().catch(() => undefined);
    if (temps && tempName) await fs.rm(temps.entry(tempName), { force: true }).catch(() => undefined);
    await temps?.close();
    await chain.close();
    throw asWriteError(abs, error);
  }
}

class Commit implements PreparedWrite {
  private renamed = false;
  private aside: string | undefined;
  /** What the rename replaced; set once the commit went through. */
  private committed: { replaced: FileIdentity | undefined; guarded: boolean } | undefined;

  constructor(
    readonly target: string,
    private readonly base: string,
    private readonly chain: FolderChain,
    private readonly temps: HeldFolder,
    private readonly tempName: string,
    private readonly tempIno: number,
    private readonly opts: AtomicWriteOptions,
  ) {}

  async commit(): Promise<void> {
    const { chain, temps, opts } = this;
    const folder = chain.last;
    const shownTemp = path.join(temps.path, this.tempName);
    try {
      await chain.verify();
      const guarded = opts.expected !== undefined || opts.root !== undefined;
      const replaced = guarded ? await this.captureCurrent() : undefined;
      await opts.onStep?.('checked', shownTemp);
      if (guarded && replaced === undefined && linkSupported) {
        // Nothing there: link instead of rename, which fails rather than replace a file that appeared meanwhile.
        await this.linkNew();
      } else if (replaced && this.aside) {
        await this.renameOverCompared(replaced.ino);
      } else {
        // Unguarded, or no hard links here (Windows, FAT): nothing is kept aside to check after the rename, so a
        // guarded write looks once more before each attempt, however long a retry waited.
        const lastLook = guarded ? this.unchangedSince(replaced) : undefined;
        await renameReplacing(temps.entry(this.tempName), folder.entry(this.base), lastLook);
      }
      this.renamed = true;
      await opts.onStep?.('renamed', shownTemp);
      await folder.sync();
      await opts.onStep?.('dir-synced', shownTemp);
      await this.checkAfter(replaced);
      this.committed = { replaced, guarded };
    } catch (error) {
      throw asWriteError(this.target, error);
    }
  }

  async revert(): Promise<boolean> {
    if (!this.committed) return !this.renamed;
    const { replaced, guarded } = this.committed;
    // Unguarded, nothing was looked at before the rename: there is no telling what it replaced.
    if (!guarded || (replaced && !this.aside)) return false;
    const undone = await this.undo(replaced);
    if (undone) this.committed = undefined;
    return undone;
  }

  async abort(): Promise<void> {
    if (!this.renamed) await fs.rm(this.temps.entry(this.tempName), { force: true }).catch(() => undefined);
    if (this.aside) await fs.rm(this.temps.entry(this.aside), { force: true }).catch(() => undefined);
    this.aside = undefined;
    await this.temps.close();
    await this.chain.close();
  }

  /**
   * Right before the rename: what the target holds now, compared with what the caller planned against, and a hard
   * link to it (the "aside") so that the replaced file can be read, and put back, afterwards. Returns the replaced
   * file's identity, or undefined when there is none.
   */
  private async captureCurrent(): Promise<FileIdentity | undefined> {
    const folder = this.chain.last;
    const expected = this.opts.expected;
    if (expected !== undefined) await settle(folder.entry(this.base));
    const current =
      expected === undefined
        ? await statNoFollow(folder.entry(this.base))
        : await readNoFollow(folder.entry(this.base));
    if (expected !== undefined) {
      if (current === undefined && expected !== null) throw this.conflict('was deleted');
      if (current !== undefined && expected === null) throw this.conflict('was created');
      if (current !== undefined && expected !== null && !Buffer.from(expected).equals(current.bytes!)) {
        throw this.conflict('was changed');
      }
    }
    if (current === undefined) return undefined;
    const aside = `${process.pid}-${randomBytes(6).toString('hex')}.old`;
    try {
      await fs.link(folder.entry(this.base), this.temps.entry(aside));
    } catch (error) {
      if (errorCode(error) === 'ENOENT') throw this.conflict('was deleted');
      // No hard links on this file system: the check above is the last one (docs/SECURITY.md).
      return identityOf(current);
    }
    this.aside = aside;
    // Whether the link took the file just compared is checked after the replace (checkAfter), where a newer one is
    // put back: a look here would only lengthen the time before the replace, in which saves land.
    return identityOf(current);
  }

  /**
   * Our file in at the target, only over the file compared. Where the system can swap two entries, it swaps: what
   * was at the target comes out under our temp name, so a save by rename that landed after the last look is not lost
   * under ours but seen, and swapped back (exchange-entries.ts). Elsewhere the last look and the rename run back to
   * back in one turn, which leaves a window of two system calls (docs/SECURITY.md).
   */
  private async renameOverCompared(ino: number): Promise<void> {
    const from = this.temps.entry(this.tempName);
    const to = this.chain.last.entry(this.base);
    const lastLook = () => {
      const now = lstatSync(to, { throwIfNoEntry: false });
      if (!now || now.ino !== ino) throw this.conflict(now ? 'was replaced' : 'was deleted');
    };
    lastLook();
    const swapped = swapInOver(from, to, { incoming: this.tempIno, expected: ino });
    if (swapped === 'refused') throw this.conflict('was replaced');
    if (swapped === 'swapped') {
      // Our temp name holds the replaced file now; the aside keeps it for the checks after, and a name left behind
      // is a stale temp that the next write removes.
      await fs.rm(from, { force: true }).catch(() => undefined);
      return;
    }
    await renameReplacing(from, to, lastLook);
  }

  /**
   * A look at the target for a write with nothing kept aside: still absent, or still the size and modification
   * time compared. Not the inode, which some of those file systems do not keep stable; a save by rename leaves a
   * new modification time (FAT's is to 2 s, which is what such a file system allows).
   */
  private unchangedSince(replaced: FileIdentity | undefined): () => void {
    const to = this.chain.last.entry(this.base);
    return () => {
      const now = lstatSync(to, { throwIfNoEntry: false });
      if (!replaced) {
        if (now) throw this.conflict('was created');
      } else if (!now) {
        throw this.conflict('was deleted');
      } else if (now.mtimeMs !== replaced.mtimeMs || now.size !== replaced.size) {
        throw this.conflict('was changed');
      }
    };
  }

  /**
   * Another program changed the target during the write: a conflict, not a failure of ours. Before the rename
   * nothing was written over the change; after it the user's version was put back (`restored`), or a file that
   * replaced ours is theirs and stays. Each says so, and what to do next (`conflictHint`).
   */
  private conflict(what: string, outcome: 'untouched' | 'restored' | 'theirs' = 'untouched'): LatchkeyError {
    const said = {
      untouched: `${this.target} ${what} while Latchkey was writing it; nothing was written over it`,
      restored: `${this.target} changed while Latchkey was writing; your version is back in place`,
      theirs: `${this.target} ${what} right after Latchkey wrote it; the file there now is the other program's`,
    }[outcome];
    const hint = this.opts.conflictHint ?? 'Look at the file, then try again.';
    return new LatchkeyError('WRITE_FAILED', `conflict: ${said}`, hint);
  }

  private async linkNew(): Promise<void> {
    const folder = this.chain.last;
    try {
      await fs.link(this.temps.entry(this.tempName), folder.entry(this.base));
    } catch (error) {
      if (errorCode(error) === 'EEXIST') throw this.conflict('was created');
      if (!NO_HARD_LINKS.has(errorCode(error) ?? '')) throw error;
      // A file system without hard links (FAT, some network shares): rename, with the window that leaves.
      linkSupported = false;
      await renameReplacing(this.temps.entry(this.tempName), folder.entry(this.base), this.unchangedSince(undefined));
      return;
    }
    await fs.rm(this.temps.entry(this.tempName), { force: true });
  }

  /**
   * After the rename: the folders are still the ones held (else undo: the write may have gone where a swapped
   * folder now points), the replaced file was not edited in place meanwhile (else put the user's file back), and
   * the target is still our file.
   */
  private async checkAfter(replaced: FileIdentity | undefined): Promise<void> {
    const folder = this.chain.last;
    try {
      await this.chain.verify();
    } catch (error) {
      await this.undo(replaced);
      throw error;
    }
    if (replaced && this.aside) {
      // The link took whatever was at the path at that instant: it must be the file compared, untouched.
      const linked = await fs.lstat(this.temps.entry(this.aside));
      const { ino, mtimeMs, size } = replaced;
      if (!linked.isFile() || linked.ino !== ino || linked.mtimeMs !== mtimeMs || linked.size !== size) {
        throw this.conflict('was edited', (await this.undo(replaced)) ? 'restored' : 'theirs');
      }
    }
    if (this.aside && this.opts.expected !== undefined && this.opts.expected !== null) {
      const old = await readNoFollow(this.temps.entry(this.aside));
      if (!old || !Buffer.from(this.opts.expected).equals(old.bytes!)) {
        throw this.conflict('was edited', (await this.undo(replaced)) ? 'restored' : 'theirs');
      }
    }
    if (this.opts.expected !== undefined) {
      const now = await fs.lstat(folder.entry(this.base)).catch(() => undefined);
      if (!now || now.ino !== this.tempIno) throw this.conflict('was replaced', 'theirs');
    }
  }

  /** Puts the replaced file back (or removes ours when there was none), through the held folder. */
  private async undo(replaced: FileIdentity | undefined): Promise<boolean> {
    const folder = this.chain.last;
    try {
      if (replaced && this.aside) {
        const to = folder.entry(this.base);
        const aside = this.temps.entry(this.aside);
        // Only over our own file: a file that replaced ours since is newer than the one kept aside, and stays.
        const now = lstatSync(to, { throwIfNoEntry: false });
        if (now && now.ino !== this.tempIno) return false;
        const swapped = now ? swapInOver(aside, to, { incoming: replaced.ino, expected: this.tempIno }) : 'unsupported';
        if (swapped === 'refused') return false;
        if (swapped === 'swapped') await fs.rm(aside, { force: true }).catch(() => undefined);
        else renameSync(aside, to);
        this.aside = undefined;
      } else if (!replaced) {
        const now = await fs.lstat(folder.entry(this.base)).catch(() => undefined);
        if (now?.ino === this.tempIno) await fs.unlink(folder.entry(this.base));
      }
      await folder.sync();
      return true;
    } catch {
      // The error being thrown says what happened; a failed undo leaves the held folder as the rename left it.
      return false;
    }
  }
}

/**
 * Swaps `from` (the file `incoming`) in at `to`, and keeps the swap only when what came out is the file `expected`.
 * Anything else came out (another program's save since the last look): it is swapped back, and when even that
 * found a newer file at `to`, that one goes back instead, as if we had never been there. 'unsupported': nothing
 * was swapped, and the caller renames.
 */
function swapInOver(
  from: string,
  to: string,
  files: { incoming: number; expected: number },
): 'swapped' | 'refused' | 'unsupported' {
  if (!exchangeEntries(from, to)) return 'unsupported';
  if (lstatSync(from, { throwIfNoEntry: false })?.ino === files.expected) return 'swapped';
  // Should the swap back fail, the other program's file is renamed over ours instead.
  if (!exchangeEntries(from, to)) renameSync(from, to);
  else if (lstatSync(from, { throwIfNoEntry: false })?.ino !== files.incoming) exchangeEntries(from, to);
  return 'refused';
}

function asWriteError(target: string, error: unknown): LatchkeyError {
  if (error instanceof LatchkeyError) return error;
  return new LatchkeyError('WRITE_FAILED', `Could not write ${target} (${describeFsError(error)})`, undefined, {
    cause: error,
  });
}

/**
 * A file modified less than this long ago may be in the middle of an in-place save: an editor that truncated it
 * and has not written yet (or was paused in between) would write its bytes into the file about to be replaced.
 */
const SETTLE_MS = 100;
const SETTLE_ROUNDS = 5;

/** Waits until the file has not been modified for SETTLE_MS (a few rounds at most); returns at once usually. */
async function settle(file: string): Promise<void> {
  for (let round = 0; round < SETTLE_ROUNDS; round++) {
    const stat = await fs.lstat(file).catch(() => undefined);
    if (!stat) return;
    const age = Date.now() - stat.mtimeMs;
    if (age >= SETTLE_MS || age < -SETTLE_MS) return;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS - Math.max(0, age)));
  }
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);
let linkSupported = process.platform !== 'win32';

/** A file as it was looked at: the same inode, modification time and size mean the same, untouched file. */
interface FileIdentity {
  ino: number;
  mtimeMs: number;
  size: number;
}

interface FileRead extends FileIdentity {
  /** Absent when only the identity was asked for. */
  bytes?: Buffer;
}

const identityOf = ({ ino, mtimeMs, size }: FileIdentity): FileIdentity => ({ ino, mtimeMs, size });

/** The file's identity, without following a symlink; undefined when there is no file. */
async function statNoFollow(file: string): Promise<FileRead | undefined> {
  const stat = await fs.lstat(file).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  });
  if (!stat) return undefined;
  if (!stat.isFile()) throw new LatchkeyError('TARGET_UNSAFE', `Refusing to write ${file}: it is not a regular file`);
  return { ino: stat.ino, mtimeMs: stat.mtimeMs, size: stat.size };
}

/** The file's bytes and identity, without following a symlink; undefined when there is no file. */
async function readNoFollow(file: string): Promise<FileRead | undefined> {
  let handle: FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new LatchkeyError('TARGET_UNSAFE', `Refusing to write ${file}: it is a symlink`);
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new LatchkeyError('TARGET_UNSAFE', `Refusing to write ${file}: it is not a regular file`);
    return { bytes: await handle.readFile(), ino: stat.ino, mtimeMs: stat.mtimeMs, size: stat.size };
  } finally {
    await handle.close();
  }
}

/** The held chain of folders down to the target's folder (see AtomicWriteOptions.root). */
async function holdTargetFolder(abs: string, opts: AtomicWriteOptions): Promise<FolderChain> {
  if (opts.root === undefined) {
    const folder = await holdFolderForWrite(path.dirname(abs), abs);
    return {
      folders: [folder],
      last: folder,
      verify: async () => undefined,
      close: () => folder.close(),
    };
  }
  const { realRoot, names, missing } = await resolveInsideRoot(abs, opts.root);
  if (missing.length > 0 && !opts.createFolders) {
    throw new LatchkeyError('WRITE_FAILED', `Could not write ${abs} (its folder ${path.dirname(abs)} does not exist)`);
  }
  return holdChain(realRoot, [...names, ...missing], abs, { create: opts.createFolders });
}

async function holdFolderForWrite(folder: string, target: string): Promise<HeldFolder> {
  try {
    return await holdFolder(folder, target);
  } catch (error) {
    const exists = await fs.stat(folder).catch(() => undefined);
    if (!exists?.isDirectory()) {
      throw new LatchkeyError('WRITE_FAILED', `Could not write ${target} (its folder ${folder} does not exist)`);
    }
    throw error;
  }
}

/** Opens (creating) the private temp folder inside `folder`: a real folder of ours, 0700, ignoring itself. */
async function holdTempFolder(folder: HeldFolder, target: string): Promise<HeldFolder> {
  const temps = await holdChild(folder, TEMP_FOLDER, target, { create: true });
  try {
    const stat = await fs.stat(temps.entry('.'));
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) {
      throw new LatchkeyError(
        'TARGET_UNSAFE',
        `Refusing to write ${target}: ${temps.path} belongs to another user`,
        `Remove ${temps.path}; Latchkey recreates it.`,
      );
    }
    if (process.platform !== 'win32' && (stat.mode & 0o777) !== 0o700) await fs.chmod(temps.entry('.'), 0o700);
    try {
      await fs.writeFile(temps.entry('.gitignore'), TEMP_GITIGNORE, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    return temps;
  } catch (error) {
    await temps.close();
    throw error;
  }
}

export function isOurTempFile(name: string): boolean {
  return TEMP_NAME.test(name);
}

function isLegacyTempFile(name: string): boolean {
  return LEGACY_TEMP_NAME.test(name);
}

/**
 * Removes what interrupted writes left: temps in the private folder whose process is gone (or that are older than
 * an hour, in case the pid was reused), and temps of earlier versions beside the target older than a minute.
 * Only our own names, only regular files. Returns the paths removed.
 */
async function removeStaleTemps(folder: HeldFolder, temps: HeldFolder, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  const remove = async (where: HeldFolder, name: string, stale: (mtimeMs: number) => boolean) => {
    const stat = await fs.lstat(where.entry(name)).catch(() => undefined);
    if (!stat?.isFile() || !stale(stat.mtimeMs)) return;
    try {
      await fs.unlink(where.entry(name));
      removed.push(path.join(where.path, name));
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
    }
  };
  for (const name of await fs.readdir(temps.entry('.')).catch(() => [] as string[])) {
    const match = TEMP_NAME.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid) continue;
    const gone = !processIsAlive(pid);
    await remove(temps, name, (mtimeMs) => gone || now - mtimeMs > LIVE_TEMP_MAX_AGE_MS);
  }
  for (const name of await fs.readdir(folder.entry('.')).catch(() => [] as string[])) {
    if (isLegacyTempFile(name)) await remove(folder, name, (mtimeMs) => now - mtimeMs > LEGACY_TEMP_MAX_AGE_MS);
  }
  return removed;
}

/** Removes stale temps in `dir` (see removeStaleTemps) without writing anything. Returns the paths removed. */
export async function cleanStaleTemps(dir: string, opts: { now?: number } = {}): Promise<string[]> {
  const folder = await holdFolder(path.resolve(dir), dir).catch(() => undefined);
  if (!folder) return [];
  try {
    const temps = await holdChild(folder, TEMP_FOLDER, dir).catch(() => undefined);
    try {
      return await removeStaleTemps(folder, temps ?? folder, opts.now);
    } finally {
      await temps?.close();
    }
  } finally {
    await folder.close();
  }
}

/**
 * Sets the target's permission bits to `mode` when they differ, through the held folder and without following a
 * symlink (issue 10, item 14). Returns the bits it had, or undefined when nothing changed or there is no file.
 */
export async function ensureFileMode(target: string, mode: number, root: string): Promise<number | undefined> {
  if (process.platform === 'win32') return undefined;
  const abs = path.resolve(target);
  const chain = await holdTargetFolder(abs, { root });
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(chain.last.entry(path.basename(abs)), constants.O_RDONLY | constants.O_NOFOLLOW);
    const stat = await handle.stat();
    if (!stat.isFile()) return undefined;
    const before = stat.mode & 0o7777;
    if (before === mode) return undefined;
    await handle.chmod(mode);
    return before;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw asWriteError(abs, error);
  } finally {
    await handle?.close().catch(() => undefined);
    await chain.close();
  }
}

/**
 * Fails with WRITE_FAILED when the folder's file system has less than `bytes` free for an unprivileged writer:
 * checked before a write that must be followed by another (the audit events of a sync).
 */
export async function assertRoomFor(dir: string, bytes: number): Promise<void> {
  let free: number;
  try {
    const stats = await fs.statfs(dir);
    free = stats.bavail * stats.bsize;
  } catch {
    return; // No statfs here: the writes themselves will say when the disk is full.
  }
  if (free < bytes) {
    throw new LatchkeyError(
      'WRITE_FAILED',
      `The app-data folder ${dir} is full: ${free} bytes free, about ${bytes} needed to record this write`,
      'Free some space, then run the command again. Nothing was written.',
    );
  }
}

/**
 * Refuses a target that is a symlink, that exists but is not a regular file, that lies outside `rootDir`, or that
 * is a refused location (target-rules.ts), judged by its real path. The containment check compares real paths of
 * the folders, so a symlinked folder cannot lead outside. A target (or even some of its folders) that does not
 * exist yet is fine when the nearest existing folder is inside.
 */
export async function assertSafeTarget(target: string, rootDir: string): Promise<void> {
  const abs = path.resolve(target);
  await resolveInsideRoot(abs, rootDir);
  const stat = await lstatOrUndefined(abs);
  if (stat?.isSymbolicLink())
    refuse(abs, 'it is a symlink', 'Replace the link with a regular file, or point the target at the real file.');
  if (stat && !stat.isFile()) refuse(abs, 'it exists and is not a regular file');
}

/**
 * Creates the missing folders between `rootDir` and `target` (0700), for file secrets such as `certs/dev.key`,
 * walking down from the root without following a symlink.
 */
export async function ensureParentDir(target: string, rootDir: string): Promise<void> {
  const abs = path.resolve(target);
  const { realRoot, names, missing } = await resolveInsideRoot(abs, rootDir);
  const chain = await holdChain(realRoot, [...names, ...missing], abs, { create: true });
  await chain.close();
}

/**
 * The target's folder as the real root plus the real names below it (a symlinked folder that stays inside is
 * resolved here), and the names still to create. Refuses what lies outside, and refused locations.
 */
async function resolveInsideRoot(
  abs: string,
  rootDir: string,
): Promise<{ realRoot: string; names: string[]; missing: string[] }> {
  const root = path.resolve(rootDir);
  if (!isStrictlyInside(root, abs)) refuse(abs, `it lies outside ${root}`);
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
  } catch (error) {
    refuse(abs, `its root folder ${root} cannot be resolved (${describeFsError(error)})`);
  }
  const { existing, missing } = await nearestExistingFolder(abs, path.dirname(abs));
  let real: string;
  try {
    real = await fs.realpath(existing);
  } catch (error) {
    refuse(abs, `its folder ${existing} cannot be resolved (${describeFsError(error)})`);
  }
  if (!isInsideOrEqual(realRoot, real)) {
    refuse(abs, `its folder resolves to ${real}, outside ${realRoot} (a symlinked folder leads out)`);
  }
  const names = path.relative(realRoot, real).split(path.sep).filter(Boolean);
  // Both as named and as resolved: `conf -> .git` hides the name, `.ssh -> home` the destination.
  const relative = [...names, ...missing, path.basename(abs)].join('/');
  const named = path.relative(root, abs).split(path.sep).join('/');
  const reason = refusedTargetReason(named) ?? refusedTargetReason(relative);
  if (reason) refuse(abs, reason, 'Choose another path in latchkey.yml (see docs/SECURITY.md).');
  const vcs = vcsFolderOnPath(real);
  if (vcs) refuse(abs, `it is inside version-control metadata (${vcs}), where a value could become a command`);
  return { realRoot, names, missing };
}

function refuse(target: string, rule: string, hint?: string): never {
  throw new LatchkeyError('TARGET_UNSAFE', `Refusing to write ${target}: ${rule}`, hint);
}

/** True when `child` is below `parent` (not equal to it). Both absolute. */
function isStrictlyInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

function isInsideOrEqual(parent: string, child: string): boolean {
  return path.relative(parent, child) === '' || isStrictlyInside(parent, child);
}

/** Walks up from `dir` to the first folder that exists; `missing` lists the names below it, outermost first. */
async function nearestExistingFolder(target: string, dir: string): Promise<{ existing: string; missing: string[] }> {
  const missing: string[] = [];
  let current = dir;
  for (;;) {
    try {
      const stat = await fs.stat(current);
      if (!stat.isDirectory()) refuse(target, `${current} is not a folder`);
      return { existing: current, missing };
    } catch (error) {
      if (error instanceof LatchkeyError) throw error;
      const code = errorCode(error);
      if (code === 'ENOTDIR') refuse(target, `a part of ${current} is not a folder`);
      if (code !== 'ENOENT') refuse(target, `${current} cannot be checked (${describeFsError(error)})`);
    }
    const up = path.dirname(current);
    if (up === current) refuse(target, 'none of its folders exists');
    missing.unshift(path.basename(current));
    current = up;
  }
}

async function lstatOrUndefined(file: string) {
  try {
    return await fs.lstat(file);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') refuse(file, 'a part of its folder path is not a folder');
    refuse(file, `it cannot be checked (${describeFsError(error)})`);
  }
}

// Windows (and antivirus scanners there) can hold the target open for a moment; a short retry rides that out.
const TRANSIENT_RENAME = new Set(['EPERM', 'EACCES', 'EBUSY']);

/**
 * Renames `from` over `to`, retrying a transient refusal on Windows. `lastLook`, when given, runs right before each
 * attempt, back to back with it: a save that replaced the target during a wait between attempts is not renamed over.
 */
async function renameReplacing(from: string, to: string, lastLook?: () => void): Promise<void> {
  const attempts = process.platform === 'win32' ? 10 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      lastLook?.();
      renameSync(from, to);
      return;
    } catch (error) {
      if (error instanceof LatchkeyError) throw error;
      const transient = TRANSIENT_RENAME.has(errorCode(error) ?? '');
      if (!transient || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}
