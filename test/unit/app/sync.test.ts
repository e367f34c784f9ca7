import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectWatch, WatchTarget } from '../../../main/app/project-watch';
import { ignoreTarget, planProfile, syncProfile, type SyncDeps } from '../../../main/app/sync';
import { personalSecretAccount } from '../../../main/core/keychain';
import { createAppSandbox, type AppSandbox } from '../../support/app-sandbox';
import { OFFLINE_MANIFEST } from '../../support/ipc-sandbox';

const TOKEN = 'ghp_canaryAppSync_2d90';

/** A ProjectWatch that records what it was asked to watch and which writes ran as our own. */
function recordingWatch() {
  const watched: WatchTarget[] = [];
  const suppressed: string[] = [];
  const watch: ProjectWatch = {
    watch: (target) => void watched.push(target),
    unwatchDir: () => undefined,
    async suppress(file, work) {
      suppressed.push(file);
      return work();
    },
  };
  return { watch, watched, suppressed };
}

let sb: AppSandbox;
let dir: string;
let manifestPath: string;
beforeEach(() => {
  sb = createAppSandbox();
  dir = sb.project('full', OFFLINE_MANIFEST);
  manifestPath = path.join(dir, 'latchkey.yml');
});
afterEach(() => sb.cleanup());

describe('plan and sync a profile', () => {
  it('reports missing personal secrets before any source is read, and the project is watched all the same', async () => {
    const { watch, watched } = recordingWatch();
    const deps: SyncDeps = { ...sb.deps, projectWatch: watch };
    const progress: string[] = [];
    const planning = planProfile(deps, {
      project: { dir },
      profile: 'dev',
      onProgress: (p) => progress.push(p.phase),
    });
    await expect(planning).rejects.toMatchObject({ code: 'NEEDS_INPUT', missing: [{ name: 'PERSONAL_TOKEN' }] });
    expect(progress).toEqual([]);
    expect(watched).toEqual([{ dir, manifestPath, profile: 'dev', target: path.join(dir, '.env') }]);
  });

  it('plans without writing, names take-remote keys that are not conflicts, then syncs as our own write', async () => {
    await sb.keychain.set(personalSecretAccount(manifestPath, 'PERSONAL_TOKEN'), TOKEN);
    const { watch, suppressed } = recordingWatch();
    const deps: SyncDeps = { ...sb.deps, projectWatch: watch };
    const planned = await planProfile(deps, { project: { dir }, profile: 'dev', takeRemote: ['LOG_LEVEL', 'NOPE'] });
    expect(planned.profile.name).toBe('dev');
    expect(planned.prepared.plan.counts.add).toBe(3);
    expect(planned.notConflicts).toEqual(['LOG_LEVEL', 'NOPE']);
    expect(JSON.stringify(planned.prepared.plan)).not.toContain(TOKEN);
    expect(() => readFileSync(path.join(dir, '.env'))).toThrow();

    const result = await syncProfile(deps, { project: { dir }, profile: 'dev' });
    expect(result.wrote).toBe(true);
    expect(suppressed).toEqual([path.join(dir, '.env')]);
    expect(readFileSync(path.join(dir, '.env'), 'utf8')).toContain(`PERSONAL_TOKEN=${TOKEN}`);
    // The intent is recorded before the write, the outcome after it (issue 10, item 9).
    expect((await sb.audit()).map((e) => [e.action, e.profile, e.outcome])).toEqual([
      ['sync', 'dev', 'intent'],
      ['sync', 'dev', 'ok'],
    ]);
  });

  it('a CLI project is found by searching upward, and nothing is watched for it', async () => {
    const { watch, watched } = recordingWatch();
    const planned = await planProfile({ ...sb.deps, projectWatch: watch }, { project: { cwd: dir }, profile: 'other' });
    expect(planned.prepared.plan.entries.map((e) => [e.name, e.status])).toEqual([['OTHER', 'add']]);
    expect(watched).toEqual([]);
  });

  it('adds the target to the .gitignore beside the manifest, once', async () => {
    execFileSync('git', ['init', '-q', dir]);
    const first = await ignoreTarget({ dir }, 'other');
    expect(first).toMatchObject({ gitignore: path.join(dir, '.gitignore'), added: true, ignored: true });
    expect(first.advice).toBeUndefined();
    expect(await ignoreTarget({ cwd: dir }, 'other')).toMatchObject({ added: false, ignored: true });
    expect(readFileSync(first.gitignore, 'utf8')).toBe('/.env.other\n');
  });
});
