import { constants, promises as fs, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { LatchkeyError } from './errors';

/**
 * A folder opened once and then used through its handle, so that swapping a folder on the path for a symlink
 * after the checks cannot redirect a write (issue 10, item 2).
 *
 * Node has no openat(2), but on Linux `/proc/self/fd/<fd>/<name>` names an entry of the folder behind an open
 * descriptor, whatever happens to the folder's path meanwhile; every create, link and rename goes through such
 * names ("fd" mode). Elsewhere (macOS, Windows) there is no such name: operations use the folder's real path, and
 * the caller re-checks the identity (dev and inode) of every folder on the way before and after the step that
 * matters ("path" mode). docs/SECURITY.md says what window that leaves.
 */

interface FolderIdentity {
  dev: number;
  ino: number;
}

export interface HeldFolder {
  /** The folder's real path when it was opened (for messages, and for path mode). */
  readonly path: string;
  readonly mode: 'fd' | 'path';
  readonly identity: FolderIdentity;
  /** A name for `name` inside this folder that resolves through the handle (fd mode) or the real path. */
  entry(name: string): string;
  /** fsync of the folder itself, so that a rename in it is durable. Platforms that cannot do this are skipped. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

const O_DIRECTORY = constants.O_DIRECTORY;
const O_NOFOLLOW = constants.O_NOFOLLOW;
const CAN_OPEN_FOLDERS = process.platform !== 'win32' && O_DIRECTORY !== undefined && O_NOFOLLOW !== undefined;

// Some platforms cannot fsync a folder (EISDIR, EINVAL, ...): the rename is then as durable as the platform allows.
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EINVAL', 'ENOTSUP', 'EBADF', 'EPERM', 'EACCES']);

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A short cause for messages: the errno code and system call, never data. */
export function describeFsError(error: unknown): string {
  const code = errorCode(error);
  const syscall = (error as { syscall?: unknown } | null)?.syscall;
  if (code === 'ENOSPC') return 'no space left on the device';
  if (code) return typeof syscall === 'string' ? `${code} during ${syscall}` : code;
  return error instanceof Error ? `unexpected ${error.name}` : 'unexpected error';
}

function refuse(target: string, rule: string, hint?: string): never {
  throw new LatchkeyError('TARGET_UNSAFE', `Refusing to write ${target}: ${rule}`, hint);
}

function identityOf(stat: Stats): FolderIdentity {
  return { dev: stat.dev, ino: stat.ino };
}

function sameIdentity(a: FolderIdentity, b: FolderIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

class FdFolder implements HeldFolder {
  readonly mode = 'fd' as const;
  constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly identity: FolderIdentity,
  ) {}
  entry(name: string): string {
    return `/proc/self/fd/${this.handle.fd}/${name}`;
  }
  async sync(): Promise<void> {
    try {
      await this.handle.sync();
    } catch (error) {
      if (!DIR_SYNC_UNSUPPORTED.has(errorCode(error) ?? '')) throw error;
    }
  }
  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

class PathFolder implements HeldFolder {
  readonly mode = 'path' as const;
  constructor(
    readonly path: string,
    readonly identity: FolderIdentity,
  ) {}
  entry(name: string): string {
    return path.join(this.path, name);
  }
  async sync(): Promise<void> {
    let handle: FileHandle | undefined;
    try {
      handle = await fs.open(this.path, 'r');
      await handle.sync();
    } catch (error) {
      if (!DIR_SYNC_UNSUPPORTED.has(errorCode(error) ?? '')) throw error;
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }
  async close(): Promise<void> {}
}

let procFdWorks: boolean | undefined;

/** Whether `/proc/self/fd/<fd>/` reaches the folder behind a descriptor here (Linux, /proc mounted). */
async function procFdUsable(handle: FileHandle): Promise<boolean> {
  if (procFdWorks !== undefined) return procFdWorks;
  try {
    const [viaProc, direct] = await Promise.all([fs.stat(`/proc/self/fd/${handle.fd}/.`), handle.stat()]);
    procFdWorks = viaProc.isDirectory() && sameIdentity(identityOf(viaProc), identityOf(direct));
  } catch {
    procFdWorks = false;
  }
  return procFdWorks;
}

/** Opens a folder by an absolute path (following symlinks: a root may be reached through one). */
export async function holdFolder(folder: string, target: string): Promise<HeldFolder> {
  if (CAN_OPEN_FOLDERS) {
    let handle: FileHandle;
    try {
      handle = await fs.open(folder, constants.O_RDONLY | O_DIRECTORY);
    } catch (error) {
      refuse(target, `its folder ${folder} cannot be opened (${describeFsError(error)})`);
    }
    const stat = await handle.stat();
    if (await procFdUsable(handle)) return new FdFolder(folder, handle, identityOf(stat));
    await handle.close();
    return new PathFolder(folder, identityOf(stat));
  }
  let stat: Stats;
  try {
    stat = await fs.stat(folder);
  } catch (error) {
    refuse(target, `its folder ${folder} cannot be checked (${describeFsError(error)})`);
  }
  if (!stat.isDirectory()) refuse(target, `${folder} is not a folder`);
  return new PathFolder(folder, identityOf(stat));
}

/**
 * Opens `name` inside `parent` as a folder without following a symlink there, creating it (0700) when asked.
 * A symlink, a file or anything else in its place is refused.
 */
export async function holdChild(
  parent: HeldFolder,
  name: string,
  target: string,
  opts: { create?: boolean | undefined } = {},
): Promise<HeldFolder> {
  const shown = path.join(parent.path, name);
  const open = async (): Promise<HeldFolder> => {
    if (parent.mode === 'fd') {
      const handle = await fs.open(parent.entry(name), constants.O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
      return new FdFolder(shown, handle, identityOf(await handle.stat()));
    }
    const stat = await fs.lstat(parent.entry(name));
    if (stat.isSymbolicLink()) throw Object.assign(new Error('symlink'), { code: 'ELOOP' });
    if (!stat.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    return new PathFolder(shown, identityOf(stat));
  };
  for (let attempt = 0; ; attempt++) {
    try {
      return await open();
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ELOOP' || code === 'ENOTDIR' || code === 'EMLINK') {
        refuse(target, `${shown} is a symlink or not a folder (it changed, or was never a plain folder)`);
      }
      if (code !== 'ENOENT' || !opts.create || attempt > 0) {
        refuse(target, `${shown} cannot be opened (${describeFsError(error)})`);
      }
    }
    try {
      await fs.mkdir(parent.entry(name), { mode: 0o700 });
    } catch (error) {
      // Someone else created it meanwhile: open it (and accept it only if it is a real folder) on the next turn.
      if (errorCode(error) !== 'EEXIST') {
        throw new LatchkeyError(
          'WRITE_FAILED',
          `Could not create folder ${shown} (${describeFsError(error)})`,
          undefined,
          {
            cause: error,
          },
        );
      }
    }
  }
}

/** The chain of folders from a root down to a target's folder, each held; `last` is the target's folder. */
export interface FolderChain {
  folders: HeldFolder[];
  last: HeldFolder;
  /**
   * Walks the same names again by path, without following symlinks, and checks each folder is still the one
   * held. Throws TARGET_UNSAFE when a folder was swapped or moved.
   */
  verify(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Holds `root` (its real path) and then each of `names` below it, refusing a symlink at every step. `names` must be
 * the real path below the real root (see assertSafeTarget): a symlinked folder that stays inside is resolved
 * before the walk, so a symlink met during the walk means the tree changed.
 */
export async function holdChain(
  realRoot: string,
  names: readonly string[],
  target: string,
  opts: { create?: boolean | undefined } = {},
): Promise<FolderChain> {
  const folders: HeldFolder[] = [await holdFolder(realRoot, target)];
  try {
    for (const name of names) folders.push(await holdChild(folders.at(-1)!, name, target, opts));
  } catch (error) {
    await Promise.all(folders.map((f) => f.close()));
    throw error;
  }
  const verify = async () => {
    let current = realRoot;
    const rootStat = await fs.stat(current).catch(() => undefined);
    if (!rootStat || !sameIdentity(identityOf(rootStat), folders[0]!.identity)) {
      refuse(target, `the folder ${current} was replaced while it was being written`);
    }
    for (const [index, name] of names.entries()) {
      current = path.join(current, name);
      const stat = await fs.lstat(current).catch(() => undefined);
      if (!stat?.isDirectory() || !sameIdentity(identityOf(stat), folders[index + 1]!.identity)) {
        refuse(target, `the folder ${current} was moved or replaced (by a symlink?) while it was being written`);
      }
    }
  };
  return {
    folders,
    last: folders.at(-1)!,
    verify,
    close: async () => {
      await Promise.all(folders.map((f) => f.close()));
    },
  };
}
