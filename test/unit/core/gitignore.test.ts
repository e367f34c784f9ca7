import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { addTargetToGitignore, gitWouldTrack } from '../../../main/core/gitignore';
import { rejection, useTempDir } from '../../support/temp';

// Issue 10, items 7 and 20, against the real git.

const tmp = useTempDir('latchkey-gitignore-');
let repo: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo }).toString();
const ignored = (relative: string) => {
  try {
    execFileSync('git', ['check-ignore', '-q', '--', relative], { cwd: repo });
    return true;
  } catch {
    return false;
  }
};

beforeEach(async () => {
  repo = path.join(tmp.path, 'repo');
  await fs.mkdir(repo);
  git('init', '-q');
});

describe('adding a target to .gitignore', () => {
  it('refuses a symlinked .gitignore and writes nothing through it (item 7)', async () => {
    const outside = path.join(tmp.path, 'outside-file');
    await fs.writeFile(outside, 'theirs\n');
    await fs.symlink(outside, path.join(repo, '.gitignore'));
    const error = await rejection(addTargetToGitignore(repo, path.join(repo, '.env')));
    expect(error.code).toBe('TARGET_UNSAFE');
    expect(error.message).toMatch(/\.gitignore.*symlink/);
    expect(await fs.readFile(outside, 'utf8')).toBe('theirs\n');
  });

  it('refuses a .gitignore hard-linked to a file elsewhere (item 7)', async () => {
    const outside = path.join(tmp.path, 'outside-file');
    await fs.writeFile(outside, 'theirs\n');
    await fs.link(outside, path.join(repo, '.gitignore'));
    expect((await rejection(addTargetToGitignore(repo, path.join(repo, '.env')))).code).toBe('TARGET_UNSAFE');
    expect(await fs.readFile(outside, 'utf8')).toBe('theirs\n');
  });

  it('checks with git afterwards, and says when git still tracks the target (item 7)', async () => {
    await fs.writeFile(path.join(repo, '.env'), 'A=1\n');
    expect(await addTargetToGitignore(repo, path.join(repo, '.env'))).toMatchObject({ ignored: true, tracked: false });
    await fs.writeFile(path.join(repo, 'tracked.env'), 'B=1\n');
    git('add', '--', 'tracked.env');
    const result = await addTargetToGitignore(repo, path.join(repo, 'tracked.env'));
    expect(result).toMatchObject({ ignored: false, tracked: true });
    expect(result.advice).toMatch(/git rm --cached/);
  });

  it('escapes names that are patterns, so each entry matches exactly its file (item 20)', async () => {
    const names = ['[ab].env', 'x.env ', 'a*.env', '#notes.env', '!important.env', 'back\\slash.env', 'q?.env'];
    const decoys = ['a.env', 'x.env', 'ab.env', 'q1.env', 'other.env'];
    for (const name of [...names, ...decoys]) await fs.writeFile(path.join(repo, name), '');
    for (const name of names) {
      expect(await addTargetToGitignore(repo, path.join(repo, name)), name).toMatchObject({ ignored: true });
    }
    for (const name of names) expect(ignored(name), name).toBe(true);
    for (const decoy of decoys) expect(ignored(decoy), decoy).toBe(false);
  });

  it('adds a target in a folder that does not exist yet, and the file need not exist (item 20)', async () => {
    const result = await addTargetToGitignore(repo, path.join(repo, 'config', 'new', '.env'));
    expect(result.ignored).toBe(true);
    expect(await fs.readFile(path.join(repo, '.gitignore'), 'utf8')).toBe('/config/new/.env\n');
  });
});

describe('whether git would track a target (item 20)', () => {
  it('answers for a target whose folder does not exist yet', async () => {
    expect(await gitWouldTrack(path.join(repo, 'config', 'new', '.env'))).toBe(true);
    await fs.writeFile(path.join(repo, '.gitignore'), 'config/\n');
    expect(await gitWouldTrack(path.join(repo, 'config', 'new', '.env'))).toBe(false);
  });

  it('answers false outside a repository', async () => {
    const plain = path.join(tmp.path, 'plain');
    await fs.mkdir(plain);
    expect(await gitWouldTrack(path.join(plain, 'missing', '.env'))).toBe(false);
  });
});
