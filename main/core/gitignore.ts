import { execFile } from 'node:child_process';
import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * True when `target` lies in a git work tree that does not ignore it: committing it would leak secrets.
 * False when it is ignored, when the folder is not a git repo, or when git is not installed.
 */
export function gitWouldTrack(target: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('git', ['check-ignore', '-q', '--', path.basename(target)], { cwd: path.dirname(target) }, (error) => {
      if (!error) return resolve(false); // exit 0: ignored
      // exit 1: not ignored; 128: not a repo; a string code such as ENOENT: no git at all.
      resolve((error as { code?: unknown }).code === 1);
    });
  });
}

/** Add the target to the .gitignore beside the manifest, as a path anchored to that folder. */
export async function addToGitignore(manifestDir: string, target: string): Promise<string> {
  const gitignore = path.join(manifestDir, '.gitignore');
  const line = `/${path.relative(manifestDir, target).split(path.sep).join('/')}`;
  const existing = await readFile(gitignore, 'utf8').catch(() => '');
  if (existing.split(/\r?\n/).includes(line)) return gitignore;
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await appendFile(gitignore, `${separator}${line}\n`);
  return gitignore;
}
