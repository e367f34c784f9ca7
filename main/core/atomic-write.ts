import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { LatchkeyError } from './errors';

/** The points between the steps of an atomic write, in order. Exposed only for crash-injection tests. */
export const ATOMIC_WRITE_STEPS = ['temp-created', 'temp-written', 'temp-synced', 'renamed', 'dir-synced'] as const;
export type AtomicWriteStep = (typeof ATOMIC_WRITE_STEPS)[number];

export interface AtomicWriteOptions {
  /** Final permission bits of the file, applied exactly (umask does not apply). Default 0o600. */
  mode?: number;
  /**
   * Test hook for crash injection: called after each step with the temp file's path. A test child process uses
   * it to die at a precise point. Production callers never pass it; when absent it costs one `if` per step.
   */
  onStep?: (step: AtomicWriteStep, tempPath: string) => void | Promise<void>;
}

const TEMP_INFIX = '.latchkey-';
const TEMP_SUFFIX = '.tmp';
const TEMP_NAME = /^\..*\.latchkey-[0-9a-f]{12}\.tmp$/s;
// Keeps the temp name within the usual 255-byte file-name limit even for long target names.
const MAX_BASENAME_IN_TEMP = 64;

/** Path of a fresh temp file next to `target`; same folder so that the final rename cannot cross file systems. */
export function tempPathFor(target: string): string {
  const base = path.basename(target).slice(0, MAX_BASENAME_IN_TEMP);
  return path.join(path.dirname(target), `.${base}${TEMP_INFIX}${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
}

export function isOurTempFile(name: string): boolean {
  return TEMP_NAME.test(name);
}

/**
 * Replaces `target` so that, whatever happens (crash, power loss, kill -9), it holds either the old bytes or the
 * new bytes, never a mix: temp file in the same folder (exclusive create), write, fsync, rename over the target,
 * fsync the folder.
 */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  opts: AtomicWriteOptions = {},
): Promise<void> {
  const mode = opts.mode ?? 0o600;
  const onStep = opts.onStep;
  const tempPath = tempPathFor(target);
  let handle: FileHandle | undefined;
  let renamed = false;
  try {
    handle = await fs.open(tempPath, 'wx', mode);
    // The umask may have taken bits away (or a 0o277 umask even the owner's write bit): set them explicitly.
    await handle.chmod(mode);
    if (onStep) await onStep('temp-created', tempPath);
    await handle.writeFile(data);
    if (onStep) await onStep('temp-written', tempPath);
    await handle.sync();
    if (onStep) await onStep('temp-synced', tempPath);
    await handle.close();
    handle = undefined;
    await renameReplacing(tempPath, target);
    renamed = true;
    if (onStep) await onStep('renamed', tempPath);
    await fsyncDir(path.dirname(target));
    if (onStep) await onStep('dir-synced', tempPath);
  } catch (error) {
    if (handle) await handle.close().catch(() => undefined);
    if (!renamed) await fs.rm(tempPath, { force: true }).catch(() => undefined);
    throw new LatchkeyError('WRITE_FAILED', `Could not write ${target} (${describeFsError(error)})`, undefined, {
      cause: error,
    });
  }
}

/**
 * Removes temp files an interrupted writeFileAtomic left in `dir`. Only our own names, only regular files, and
 * only when older than `maxAgeMs` (default one minute) so that a write in progress in another process is safe.
 * Returns the paths removed.
 */
export async function cleanStaleTemps(dir: string, opts: { maxAgeMs?: number; now?: number } = {}): Promise<string[]> {
  const maxAgeMs = opts.maxAgeMs ?? 60_000;
  const now = opts.now ?? Date.now();
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return [];
    throw error;
  }
  const removed: string[] = [];
  for (const name of names.filter(isOurTempFile)) {
    const full = path.join(dir, name);
    const stat = await fs.lstat(full).catch(() => undefined);
    if (!stat?.isFile() || now - stat.mtimeMs < maxAgeMs) continue;
    try {
      await fs.unlink(full);
      removed.push(full);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
    }
  }
  return removed;
}

/**
 * Refuses a target that is a symlink, that exists but is not a regular file, or that lies outside `rootDir`.
 * The containment check compares real paths of the folders, so a symlinked folder cannot lead outside. A target
 * (or even some of its folders) that does not exist yet is fine when the nearest existing folder is inside;
 * `ensureParentDir` creates the missing folders.
 */
export async function assertSafeTarget(target: string, rootDir: string): Promise<void> {
  const abs = path.resolve(target);
  const root = path.resolve(rootDir);
  if (!isStrictlyInside(root, abs)) refuse(abs, `it lies outside ${root}`);
  const realRoot = await realRootOf(abs, root);

  const stat = await lstatOrUndefined(abs);
  if (stat?.isSymbolicLink())
    refuse(abs, 'it is a symlink', 'Replace the link with a regular file, or point the target at the real file.');
  if (stat && !stat.isFile()) refuse(abs, 'it exists and is not a regular file');

  const { existing } = await nearestExistingFolder(abs, path.dirname(abs));
  await assertRealFolderInside(abs, existing, realRoot);
}

/**
 * Creates the missing folders between `rootDir` and `target` (0700), for file secrets such as `certs/dev.key`.
 * Checks containment by real path before and after, so a symlinked folder cannot lead outside the root.
 */
export async function ensureParentDir(target: string, rootDir: string): Promise<void> {
  const abs = path.resolve(target);
  const root = path.resolve(rootDir);
  if (!isStrictlyInside(root, abs)) refuse(abs, `it lies outside ${root}`);
  const realRoot = await realRootOf(abs, root);
  const parent = path.dirname(abs);

  const { existing, missing } = await nearestExistingFolder(abs, parent);
  await assertRealFolderInside(abs, existing, realRoot);
  let dir = existing;
  for (const name of missing) {
    dir = path.join(dir, name);
    try {
      await fs.mkdir(dir, { mode: 0o700 });
      await fs.chmod(dir, 0o700);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') {
        throw new LatchkeyError(
          'WRITE_FAILED',
          `Could not create folder ${dir} (${describeFsError(error)})`,
          undefined,
          {
            cause: error,
          },
        );
      }
      // Someone else created it meanwhile: accept a real folder only.
      const stat = await fs.lstat(dir);
      if (!stat.isDirectory()) refuse(abs, `${dir} exists and is not a folder`);
    }
  }
  await assertRealFolderInside(abs, parent, realRoot);
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

async function realRootOf(target: string, root: string): Promise<string> {
  try {
    return await fs.realpath(root);
  } catch (error) {
    refuse(target, `its root folder ${root} cannot be resolved (${describeFsError(error)})`);
  }
}

async function assertRealFolderInside(target: string, folder: string, realRoot: string): Promise<void> {
  let real: string;
  try {
    real = await fs.realpath(folder);
  } catch (error) {
    refuse(target, `its folder ${folder} cannot be resolved (${describeFsError(error)})`);
  }
  if (!isInsideOrEqual(realRoot, real)) {
    refuse(target, `its folder resolves to ${real}, outside ${realRoot} (a symlinked folder leads out)`);
  }
  const stat = await fs.stat(real);
  if (!stat.isDirectory()) refuse(target, `${folder} is not a folder`);
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
async function renameReplacing(from: string, to: string): Promise<void> {
  const attempts = process.platform === 'win32' ? 10 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (error) {
      const transient = ['EPERM', 'EACCES', 'EBUSY'].includes(errorCode(error) ?? '');
      if (!transient || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

// Some platforms cannot open or fsync a folder (Windows: EISDIR/EPERM; some file systems: EINVAL). There the
// rename is as durable as the platform allows, and failing the write would only lose the user's new file.
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EINVAL', 'ENOTSUP', 'EBADF', 'EPERM', 'EACCES']);

async function fsyncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (!DIR_SYNC_UNSUPPORTED.has(errorCode(error) ?? '')) throw error;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A short cause for messages: the errno code and system call, never the data being written. */
function describeFsError(error: unknown): string {
  const code = errorCode(error);
  const syscall = (error as { syscall?: unknown } | null)?.syscall;
  if (code) return typeof syscall === 'string' ? `${code} during ${syscall}` : code;
  return error instanceof Error ? `unexpected ${error.name}` : 'unexpected error';
}
