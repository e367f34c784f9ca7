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

    expect((await app.projects.open({ dir: empty })).state).toBe('no-manifest');
    expect((await app.projects.open({ dir: full })).state).toBe('ok');
    expect(changes).toBe(2);
    await expect(app.projects.open({ dir: path.join(sb.root, 'nowhere') })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(app.projects.open({ dir: 'relative' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(changes).toBe(2);

    await app.manifest.create({ dir: empty }, { aws: {}, profile: { name: 'dev', target: '.env', sources: SET } });
    expect(changes).toBe(3);
    expect((await app.projects.list()).map((p) => [p.name, p.state])).toEqual([
      ['full', 'ok'],
      ['empty', 'ok'],
    ]);

    await app.projects.forget({ dir: full });
    expect(unwatched).toEqual([full]);
    expect(changes).toBe(4);
    stop();
    await app.projects.forget({ dir: empty });
    expect(changes).toBe(4);
  });

  it('offers as recent only the projects whose folder is still there', async () => {
    const app = createApp(sb.deps);
    const gone = sb.project('gone');
    const kept = sb.project('kept', OFFLINE_MANIFEST);
    await app.projects.open({ dir: gone });
    await app.projects.open({ dir: kept });
    rmSync(gone, { recursive: true });
    expect(await app.projects.recent()).toEqual([{ dir: kept, name: 'kept' }]);
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
