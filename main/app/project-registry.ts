import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LatchkeyError } from '../core/errors';

/** A folder main has let in, and the id the renderer names it by. */
export interface RegisteredProject {
  projectId: string;
  dir: string;
}

/**
 * The folders the window may work in (issue 10, finding 11). A folder enters only through main: the native folder
 * dialog, the command line, File ▸ Open Recent, or the recent list stored on disk (each of those picked earlier).
 * The renderer gets an opaque id for it and names the folder by that id alone, so a compromised renderer can reach
 * no folder the user did not open: a path it sends is refused by the contract, an id it makes up here.
 *
 * Ids are random and live as long as the main process; the list of folders itself persists as the recent
 * projects (projects.json), which is re-admitted with fresh ids when it is read.
 */
export interface ProjectRegistry {
  /** A folder the user chose main-side (dialog, command line): it must be a folder; stored by its real path. */
  admitChosen(dir: string): Promise<RegisteredProject>;
  /** A folder from the stored recent list: it may be gone (a missing project can still be forgotten). */
  admitRecorded(dir: string): Promise<RegisteredProject>;
  /** The folder behind an id; PROJECT_NOT_OPEN for an id main never issued (or one forgotten since). */
  folderOf(projectId: string): string;
  /** Forgets the id: the folder must be opened again before the window may use it. */
  drop(projectId: string): void;
}

const newProjectId = () => `p_${randomBytes(16).toString('base64url')}`;

function projectNotOpen(): LatchkeyError {
  return new LatchkeyError(
    'PROJECT_NOT_OPEN',
    'This folder was not opened in Latchkey.',
    'Open it with File ▸ Open Folder… (or pick it from the recent projects).',
  );
}

export function createProjectRegistry(): ProjectRegistry {
  const byId = new Map<string, string>();
  const byDir = new Map<string, string>();

  const admit = (dir: string): RegisteredProject => {
    const known = byDir.get(dir);
    if (known) return { projectId: known, dir };
    const projectId = newProjectId();
    byId.set(projectId, dir);
    byDir.set(dir, projectId);
    return { projectId, dir };
  };

  return {
    async admitChosen(dir) {
      if (dir.includes('\0') || !path.isAbsolute(dir))
        throw new LatchkeyError('INVALID_INPUT', 'Expected an absolute folder path.', 'Pick the folder again.');
      // The real path: two spellings of one folder (a symlink, a trailing slash) are one project.
      const real = await fs.realpath(dir).catch(() => undefined);
      const stat = real ? await fs.stat(real).catch(() => undefined) : undefined;
      if (!real || !stat?.isDirectory())
        throw new LatchkeyError(
          'INVALID_INPUT',
          `${dir} is not a folder`,
          'It may have been moved or deleted: pick it again.',
        );
      return admit(real);
    },
    async admitRecorded(dir) {
      // As written in the list, so that forgetting it finds the same entry; new entries are real paths already.
      return admit(path.resolve(dir));
    },
    folderOf(projectId) {
      // Object keys and prototype names are no ids: a Map lookup only finds what admit() put there.
      const dir = byId.get(projectId);
      if (dir === undefined) throw projectNotOpen();
      return dir;
    },
    drop(projectId) {
      const dir = byId.get(projectId);
      if (dir === undefined) return;
      byId.delete(projectId);
      byDir.delete(dir);
    },
  };
}
