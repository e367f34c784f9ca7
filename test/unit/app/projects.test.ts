import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../main/app';
import { createAppSandbox, type AppSandbox } from '../../support/app-sandbox';
import { OFFLINE_MANIFEST } from '../../support/ipc-sandbox';

const SET = [{ kind: 'set' as const, values: { LOG_LEVEL: 'debug' } }];

let sb: AppSandbox;
beforeEach(() => {
  sb = createAppSandbox();
});
afterEach(() => sb.cleanup());

describe('projects, manifest and settings', () => {
  it('tells its listeners after a project is opened, forgotten or gets a manifest, and not after a failure', async () => {
    const unwatched: string[] = [];
    const app = createApp({
      ...sb.deps,
      projectWatch: { watch: () => undefined, unwatchDir: (d) => void unwatched.push(d), suppress: (_f, w) => w() },
    });
    let changes = 0;
    const stop = app.projects.onChange(() => (changes += 1));
    const empty = sb.project('empty');
    const full = sb.project('full', OFFLINE_MANIFEST);

    const emptyId = (await app.projects.admitChosen(empty)).projectId;
    const fullId = (await app.projects.admitChosen(full)).projectId;
    expect((await app.projects.open(emptyId)).state).toBe('no-manifest');
    expect((await app.projects.open(fullId)).state).toBe('ok');
    expect(changes).toBe(2);
    await expect(app.projects.admitChosen(path.join(sb.root, 'nowhere'))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(app.projects.admitChosen('relative')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(app.projects.open(`p_${'x'.repeat(22)}`)).rejects.toMatchObject({ code: 'PROJECT_NOT_OPEN' });
    expect(changes).toBe(2);

    await app.manifest.create({ dir: empty }, { aws: {}, profile: { name: 'dev', target: '.env', sources: SET } });
    expect(changes).toBe(3);
    expect((await app.projects.list()).map((p) => [p.name, p.state])).toEqual([
      ['full', 'ok'],
      ['empty', 'ok'],
    ]);

    await app.projects.forget(fullId);
    expect(unwatched).toEqual([full]);
    expect(changes).toBe(4);
    // Forgotten is closed: the window must be given the folder again before it may use it.
    expect(() => app.projects.folderOf(fullId)).toThrow(expect.objectContaining({ code: 'PROJECT_NOT_OPEN' }));
    stop();
    await app.projects.forget(emptyId);
    expect(changes).toBe(4);
  });

  it('offers as recent only the projects whose folder is still there', async () => {
    const app = createApp(sb.deps);
    const gone = sb.project('gone');
    const kept = sb.project('kept', OFFLINE_MANIFEST);
    await app.projects.open((await app.projects.admitChosen(gone)).projectId);
    const { projectId } = await app.projects.admitChosen(kept);
    await app.projects.open(projectId);
    rmSync(gone, { recursive: true });
    expect(await app.projects.recent()).toEqual([{ projectId, dir: kept, name: 'kept' }]);
  });

  it('audits manifest writes and setting changes, and nothing when a setting did not change', async () => {
    const app = createApp(sb.deps);
    const dir = sb.project('new');
    const created = await app.manifest.create(
      { dir },
      { aws: {}, profile: { name: 'dev', target: '.env', sources: SET } },
    );
    await app.manifest.writeProfile({ dir }, { name: 'prod', target: '.env.prod', sources: SET }, undefined);
    await app.manifest.writeProfile({ dir }, { name: 'live', target: '.env.prod', sources: SET }, 'prod');
    expect((await app.manifest.read({ dir })).profiles.has('live')).toBe(true);
    await app.settings.change({ theme: 'dark' });
    await app.settings.change({ theme: 'dark' });
    expect((await app.settings.read()).theme).toBe('dark');
    expect((await sb.audit()).map((e) => [e.action, e.profile, e.target, e.keys, e.detail])).toEqual([
      ['manifest.change', 'dev', created.path, undefined, 'created the manifest'],
      ['manifest.change', 'prod', created.path, undefined, 'saved profile prod'],
      ['manifest.change', 'live', created.path, undefined, 'renamed profile prod to live'],
      ['settings.change', undefined, undefined, ['theme'], undefined],
    ]);
  });
});
