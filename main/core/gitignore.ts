import { execFile } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { errorCode, writeFileAtomic } from './atomic-write';
import { decodeLossless, encodeLossless } from './bytes';
import { LatchkeyError } from './errors';

interface GitRun {
  /** Exit code, or undefined when git could not be run at all (not installed). */
  code: number | undefined;
  stdout: string;
}

function runGit(args: string[], cwd: string): Promise<GitRun> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd }, (error, stdout) => {
      if (!error) return resolve({ code: 0, stdout });
      const code = (error as { code?: unknown }).code;
      resolve({ code: typeof code === 'number' ? code : undefined, stdout });
    });
  });
}

/** The nearest folder of `target` that exists, and the target's path relative to it (`/`-separated). */
async function fromNearestFolder(target: string): Promise<{ cwd: string; relative: string }> {
  let cwd = path.dirname(path.resolve(target));
  for (;;) {
    const stat = await fs.stat(cwd).catch(() => undefined);
    if (stat?.isDirectory()) break;
    const up = path.dirname(cwd);
    if (up === cwd) break;
    cwd = up;
  }
  return { cwd, relative: path.relative(cwd, path.resolve(target)).split(path.sep).join('/') };
}

/**
 * True when `target` lies in a git work tree that does not ignore it: committing it would leak secrets. False when
 * it is ignored, when the folder is not a git repo, or when git is not installed. A target whose folder does not
 * exist yet is asked about from its nearest existing folder (issue 10, item 20). A tracked file is never ignored.
 */
export async function gitWouldTrack(target: string): Promise<boolean> {
  const { cwd, relative } = await fromNearestFolder(target);
  const run = await runGit(['check-ignore', '-q', '--', relative], cwd);
  // exit 0: ignored; 1: not ignored; 128: not a repo; undefined: no git at all.
  return run.code === 1;
}

/** Whether git tracks `target` already (an ignore rule does not stop that). */
async function gitTracks(target: string): Promise<boolean> {
  const { cwd, relative } = await fromNearestFolder(target);
  const run = await runGit(['ls-files', '--error-unmatch', '--', relative], cwd);
  return run.code === 0;
}

/**
 * A path as a gitignore pattern that matches exactly it: anchored to the .gitignore's folder with a leading `/`,
 * wildcards and backslashes escaped, and trailing spaces kept (git drops them unless escaped).
 */
function gitignorePatternFor(relative: string): string {
  const escaped = relative
    .split('/')
    .map((part) =>
      part.replace(/[\\*?[\]]/g, (ch) => `\\${ch}`).replace(/ +$/, (spaces) => '\\ '.repeat(spaces.length)),
    )
    .join('/');
  return `/${escaped}`;
}

export interface GitignoreResult {
  gitignore: string;
  /** True when the line was added by this call (false: it was there already). */
  added: boolean;
  /** What git says afterwards: the target is ignored. */
  ignored: boolean;
  /** Git tracks the target already, so no ignore rule keeps it out of commits. */
  tracked: boolean;
  /** What to do when the target is still not ignored, for people. */
  advice?: string;
}

/**
 * Adds the target to the .gitignore beside the manifest, as a pattern that matches exactly it, then asks git
 * whether it is ignored now (issue 10, items 7 and 20). A .gitignore that is a symlink, not a regular file, or
 * hard-linked elsewhere is refused: the line would land in a file outside the project. The edit is atomic and
 * keeps every byte already there.
 */
export async function addTargetToGitignore(manifestDir: string, target: string): Promise<GitignoreResult> {
  const gitignore = path.join(manifestDir, '.gitignore');
  const relative = path.relative(manifestDir, path.resolve(target)).split(path.sep).join('/');
  if (relative === '' || relative.startsWith('../') || path.isAbsolute(relative)) {
    throw new LatchkeyError(
      'TARGET_UNSAFE',
      `Refusing to add ${target} to ${gitignore}: it lies outside ${manifestDir}`,
    );
  }
  const line = gitignorePatternFor(relative);
  const before = await readGitignore(gitignore);
  const text = before === undefined ? '' : decodeLossless(before.bytes);
  const added = !text.split(/\r?\n/).includes(line);
  if (added) {
    const separator = text === '' || text.endsWith('\n') ? '' : '\n';
    await writeFileAtomic(gitignore, encodeLossless(`${text}${separator}${line}\n`), {
      root: manifestDir,
      mode: before?.mode ?? 0o644,
      expected: before?.bytes ?? null,
    });
  }
  const tracked = await gitTracks(target);
  const ignored = !(await gitWouldTrack(target)) && !tracked;
  return {
    gitignore,
    added,
    ignored,
    tracked,
    ...(!ignored && {
      advice: tracked
        ? `git tracks ${relative} already: run \`git rm --cached -- ${relative}\` and commit, or the secrets stay in git`
        : `git still does not ignore ${relative}: another rule (a later "!" line?) takes it back`,
    }),
  };
}

async function readGitignore(file: string): Promise<{ bytes: Buffer; mode: number } | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    if (errorCode(error) === 'ELOOP') refuse(file, 'it is a symlink');
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) refuse(file, 'it is not a regular file');
    if (stat.nlink > 1) refuse(file, 'it is hard-linked to another file, which may lie outside the project');
    return { bytes: await handle.readFile(), mode: stat.mode & 0o777 };
  } finally {
    await handle.close();
  }
}

function refuse(file: string, why: string): never {
  throw new LatchkeyError(
    'TARGET_UNSAFE',
    `Refusing to edit ${file}: ${why}`,
    'Add the target to your ignore rules by hand, or replace the link with a plain .gitignore.',
  );
}
