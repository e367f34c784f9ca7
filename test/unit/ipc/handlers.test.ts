import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  METHODS,
  type Envelope,
  type EventPayload,
  type IpcError,
  type MethodName,
  type MethodOutput,
} from '../../../contract/ipc';
import { unpackPlan } from '../../../contract/plan-packing';
import { personalSecretAccount } from '../../../main/core/keychain';
import { readTree } from '../../support/cli';
import { createSandbox, OFFLINE_MANIFEST, type Sandbox } from '../../support/ipc-sandbox';

const TOKEN = 'ghp_canaryPersonal_5e1f';

let sb: Sandbox;
beforeEach(() => {
  sb = createSandbox();
});
afterEach(() => sb.cleanup());

async function ok<M extends MethodName>(method: M, payload: unknown): Promise<MethodOutput<M>> {
  const envelope = await sb.call(method, payload);
  if (!envelope.ok) throw new Error(`${method}: ${envelope.error.code}: ${envelope.error.message}`);
  // Whatever the router let through is exactly what the contract describes.
  expect(METHODS[method].output.safeParse(envelope.value).success).toBe(true);
  return envelope.value as MethodOutput<M>;
}

async function fails(method: MethodName, payload: unknown): Promise<IpcError> {
  const envelope = await sb.call(method, payload);
  expect(envelope.ok, JSON.stringify(envelope)).toBe(false);
  return (envelope as { ok: false; error: IpcError }).error;
}

async function auditActions() {
  return (await ok('audit.tail', { limit: 100 })).events;
}

describe('projects', () => {
  it('picks, opens, lists and forgets folders by id; a folder without a manifest is no-manifest', async () => {
    const dir = sb.project('empty');
    sb.setPicked(dir);
    const { picked } = await ok('projects.pick', {});
    expect(picked).toEqual({ projectId: expect.stringMatching(/^p_/), dir });
    sb.setPicked(null);
    expect(await ok('projects.pick', {})).toEqual({ picked: null });

    const projectId = picked!.projectId;
    const { project } = await ok('projects.open', { projectId });
    expect(project).toMatchObject({ id: projectId, dir, name: 'empty', manifestPath: null, state: 'no-manifest' });
    const withManifest = sb.project('full', OFFLINE_MANIFEST);
    const fullId = await sb.openProject(withManifest);
    expect((await ok('projects.open', { projectId: fullId })).project).toMatchObject({
      state: 'ok',
      manifestPath: path.join(withManifest, 'latchkey.yml'),
    });
    const listed = (await ok('projects.list', {})).projects;
    expect(listed.map((p) => [p.id, p.dir])).toEqual([
      [fullId, withManifest],
      [projectId, dir],
    ]);

    await ok('projects.forget', { projectId });
    expect((await ok('projects.list', {})).projects.map((p) => p.dir)).toEqual([withManifest]);
    // Forgotten means closed: the id no longer reaches the folder.
    expect((await fails('projects.open', { projectId })).code).toBe('PROJECT_NOT_OPEN');
  });

  it('refuses paths where an id belongs, ids main never issued, and a picked folder that does not exist', async () => {
    for (const raw of ['relative/path', '/tmp/\0x', sb.project('real')])
      expect((await fails('projects.open', { projectId: raw })).code).toBe('INVALID_INPUT');
    expect((await fails('projects.open', { dir: sb.project('real') })).code).toBe('INVALID_INPUT');
    expect((await fails('projects.open', { projectId: `p_${'a'.repeat(22)}` })).code).toBe('PROJECT_NOT_OPEN');
    sb.setPicked(path.join(sb.root, 'nowhere'));
    expect((await fails('projects.pick', {})).code).toBe('INVALID_INPUT');
    expect((await ok('projects.list', {})).projects).toEqual([]);
  });
});

describe('manifest', () => {
  it('creates latchkey.yml from the guided form, reads it back with its plain set values for the editor, and audits the change', async () => {
    const dir = sb.project('new');
    const projectId = await sb.openProject(dir);
    const { manifest } = await ok('manifest.create', {
      projectId,
      aws: { profile: 'acme-dev', region: 'us-east-1' },
      profile: {
        name: 'dev',
        target: '.env',
        sources: [
          { kind: 'set', values: { LOG_LEVEL: 'debug' } },
          { kind: 'keychain', name: 'GITHUB_TOKEN' },
        ],
      },
    });
    expect(manifest.profiles.map((p) => p.name)).toEqual(['dev']);
    // `set` values are committed in latchkey.yml, so they are not secrets; the profile editor needs them to keep them.
    expect(manifest.profiles[0]!.sources[0]).toMatchObject({
      kind: 'set',
      keys: ['LOG_LEVEL'],
      values: { LOG_LEVEL: 'debug' },
    });
    const read = await ok('manifest.read', { projectId });
    expect(read.manifest).toEqual(manifest);
    expect((await ok('projects.list', {})).projects[0]).toMatchObject({ state: 'ok' });
    expect((await auditActions()).map((e) => [e.action, e.profile])).toEqual([['manifest.change', 'dev']]);
    expect(
      (await fails('manifest.create', { projectId, aws: {}, profile: { name: 'x', target: '.env', sources: [] } }))
        .code,
    ).toBe('INVALID_INPUT');
  });

  it('adds and renames profiles, and refuses an invalid one with its problems and nothing written', async () => {
    const dir = sb.project('p', OFFLINE_MANIFEST);
    const projectId = await sb.openProject(dir);
    const file = path.join(dir, 'latchkey.yml');
    await ok('manifest.writeProfile', {
      projectId,
      profile: { name: 'qa', target: '.env.qa', sources: [{ kind: 'keychain', name: 'QA_TOKEN' }] },
    });
    const renamed = await ok('manifest.writeProfile', {
      projectId,
      previousName: 'qa',
      profile: { name: 'staging', target: '.env.qa', sources: [{ kind: 'keychain', name: 'QA_TOKEN' }] },
    });
    expect(renamed.manifest.profiles.map((p) => p.name)).toEqual(['dev', 'other', 'staging']);
    expect(readFileSync(file, 'utf8').startsWith(OFFLINE_MANIFEST)).toBe(true);

    const before = readFileSync(file, 'utf8');
    const error = await fails('manifest.writeProfile', {
      projectId,
      profile: { name: 'dev', target: '../escape.env', sources: [] },
    });
    expect(error.code).toBe('MANIFEST_INVALID');
    expect(error.problems?.[0]).toMatchObject({ path: 'profiles.dev.target' });
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect((await auditActions()).map((e) => [e.action, e.detail])).toEqual([
      ['manifest.change', 'saved profile qa'],
      ['manifest.change', 'renamed profile qa to staging'],
    ]);
    expect(
      (
        await fails('manifest.writeProfile', {
          projectId: await sb.openProject(sb.project('none')),
          profile: { name: 'dev', target: '.env', sources: [] },
        })
      ).code,
    ).toBe('MANIFEST_NOT_FOUND');
  });

  it('reports an invalid manifest with line and column', async () => {
    const dir = sb.project(
      'bad',
      'version: 1\nprofiles:\n  dev:\n    sources:\n      - chamber: api/dev\n        as: NOPE\n',
    );
    const projectId = await sb.openProject(dir);
    const error = await fails('manifest.read', { projectId });
    expect(error.code).toBe('MANIFEST_INVALID');
    expect(error.problems).toEqual([expect.objectContaining({ line: 6, col: 9 })]);
  });
});

describe('readiness', () => {
  it('lists the manifest, personal secrets and gitignore; no AWS items without AWS sources', async () => {
    const dir = sb.project('p', OFFLINE_MANIFEST);
    const projectId = await sb.openProject(dir);
    const { items } = await ok('readiness', { projectId, profile: 'dev' });
    expect(items.map((i) => [i.id, i.state, i.action])).toEqual([
      ['manifest', 'ok', undefined],
      ['keychain:PERSONAL_TOKEN', 'missing', 'set-personal:PERSONAL_TOKEN'],
      ['gitignore', 'ok', undefined],
    ]);
    await ok('secrets.setPersonal', { projectId, name: 'PERSONAL_TOKEN', value: TOKEN });
    expect(
      (await ok('readiness', { projectId, profile: 'dev' })).items.find((i) => i.id === 'keychain:PERSONAL_TOKEN')!
        .state,
    ).toBe('ok');
  });

  it('checks AWS for the profile and region of AWS sources, and shows the 1Password slot for op: sources', async () => {
    const probed: unknown[] = [];
    sb.cleanup();
    sb = createSandbox({
      probeAws: async (aws) => {
        probed.push(aws);
        return { ok: false, detail: 'no AWS credentials found for profile acme-dev' };
      },
    });
    const dir = sb.project(
      'aws',
      'version: 1\naws: { profile: acme-dev, region: eu-west-1 }\nprofiles:\n  dev:\n    sources:\n      - chamber: api/dev\n      - ssm: /one/key\n        as: ONE\n      - op: "op://Vault/Item/field"\n        as: OP_FIELD\n',
    );
    const projectId = await sb.openProject(dir);
    const { items } = await ok('readiness', { projectId, profile: 'dev' });
    expect(probed).toEqual([{ profile: 'acme-dev', region: 'eu-west-1' }]);
    expect(items.map((i) => [i.id, i.state])).toEqual([
      ['manifest', 'ok'],
      ['aws', 'error'],
      ['op', 'missing'],
      ['aws-sessions', 'unavailable'],
      ['gitignore', 'ok'],
    ]);
    expect(items[1]).toMatchObject({
      label: 'AWS credentials for profile acme-dev (eu-west-1)',
      detail: 'no AWS credentials found for profile acme-dev',
    });
    // The sandbox's own AWS files have no acme-dev.
    expect(items[3]).toMatchObject({ detail: 'no AWS profile named acme-dev in the config or credentials file' });
    // The sandbox has no Connect server configured: the checklist offers to configure it.
    expect(items[2]).toMatchObject({
      state: 'missing',
      action: 'configure-op',
      detail: 'no 1Password Connect server is configured',
    });
  });

  it('offers add-gitignore inside a git repo, and gitignore.add fixes it', async () => {
    const dir = sb.project('git', OFFLINE_MANIFEST);
    const projectId = await sb.openProject(dir);
    execFileSync('git', ['init', '-q', dir]);
    const first = await ok('readiness', { projectId, profile: 'dev' });
    expect(first.items.find((i) => i.id === 'gitignore')).toMatchObject({ state: 'missing', action: 'add-gitignore' });
    expect(await ok('gitignore.add', { projectId, profile: 'dev' })).toEqual({
      gitignore: path.join(dir, '.gitignore'),
      added: true,
      ignored: true,
    });
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('/.env\n');
    const second = await ok('readiness', { projectId, profile: 'dev' });
    expect(second.items.find((i) => i.id === 'gitignore')!.state).toBe('ok');
  });

  it('gitignore.add says so when git tracks the target already: the rule alone keeps nothing out (item 7)', async () => {
    const dir = sb.project('tracked', OFFLINE_MANIFEST);
    execFileSync('git', ['init', '-q', dir]);
    writeFileSync(path.join(dir, '.env'), 'A=1\n');
    execFileSync('git', ['-C', dir, 'add', '.env']);
    const projectId = await sb.openProject(dir);
    const result = await ok('gitignore.add', { projectId, profile: 'dev' });
    expect(result).toMatchObject({ added: true, ignored: false });
    expect(result.advice).toMatch(/git tracks \.env already: run `git rm --cached -- \.env`/);
  });

  it('answers an invalid manifest with one item that says where it breaks; an unknown profile is an error', async () => {
    const dir = sb.project('bad', 'version: 1\nprofiles:\n  dev:\n    sources: nope\n');
    const projectId = await sb.openProject(dir);
    const { items } = await ok('readiness', { projectId, profile: 'dev' });
    expect(items).toEqual([
      expect.objectContaining({ id: 'manifest', state: 'error', detail: expect.stringContaining('line 4') }),
    ]);
    const good = await sb.openProject(sb.project('good', OFFLINE_MANIFEST));
    expect((await fails('readiness', { projectId: good, profile: 'missing' })).code).toBe('PROFILE_NOT_FOUND');
  });
});

describe('personal secrets, plan, sync and reveal', () => {
  it('shows a missing personal secret as its row, then plans, syncs, reveals and audits: values only in the reveal', async () => {
    const dir = sb.project('p', OFFLINE_MANIFEST);
    const projectId = await sb.openProject(dir);
    const envelopes: { method: string; envelope: Envelope<unknown> }[] = [];
    const call = async (method: MethodName, payload: unknown) => {
      const envelope = await sb.call(method, payload);
      envelopes.push({ method, envelope });
      return envelope;
    };

    // The plan is whole, the personal secret one needs-input row of it (issue 14, item 1); a sync is refused.
    const needs = await call('plan', { projectId, profile: 'dev' });
    expect(needs.ok).toBe(true);
    const partial = await unpackPlan((needs as { value: MethodOutput<'plan'> }).value.plan);
    expect(partial.entries.find((e) => e.name === 'PERSONAL_TOKEN')?.status).toBe('needs-input');
    expect(partial.counts.add).toBe(2);
    expect(await call('sync', { projectId, profile: 'dev' })).toMatchObject({
      ok: false,
      error: { code: 'NEEDS_INPUT', missing: ['PERSONAL_TOKEN'] },
    });
    expect((await call('secrets.setPersonal', { projectId, name: 'NOT_IN_MANIFEST', value: TOKEN })).ok).toBe(false);
    expect(await call('secrets.setPersonal', { projectId, name: 'PERSONAL_TOKEN', value: TOKEN })).toEqual({
      ok: true,
      value: {},
    });
    expect(sb.keychain.entries.get(personalSecretAccount(path.join(dir, 'latchkey.yml'), 'PERSONAL_TOKEN'))).toBe(
      TOKEN,
    );

    const planned = await call('plan', { projectId, profile: 'dev' });
    expect(planned.ok).toBe(true);
    const plan = await unpackPlan((planned as { value: MethodOutput<'plan'> }).value.plan);
    expect(plan.counts.add).toBe(3);
    expect(plan.writes).toBe(true);
    expect(() => statSync(path.join(dir, '.env'))).toThrow();

    sb.events.length = 0;
    const synced = await call('sync', { projectId, profile: 'dev' });
    expect(synced).toMatchObject({ ok: true, value: { wrote: true } });
    const target = path.join(dir, '.env');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readFileSync(target, 'utf8')).toContain(`PERSONAL_TOKEN=${TOKEN}`);
    const phases = sb.events
      .filter((e) => e.event === 'sync.progress')
      .map((e) => (e.payload as { phase: string }).phase);
    expect(phases).toContain('resolving');
    expect(phases.at(-1)).toBe('done');
    // Progress names the folder; so does the sync's result in the pushed state (state.changed, one per change).
    const progress = sb.events.filter((e) => e.event === 'sync.progress');
    expect(progress.every((e) => (e.payload as { dir: string; profile: string }).dir === dir)).toBe(true);
    const pushed = sb.events.filter((e) => e.event === 'state.changed');
    expect(sb.events).toHaveLength(progress.length + pushed.length);
    expect(
      pushed.map((e) => (e.payload as EventPayload<'state.changed'>).profiles.find((p) => p.profile === 'dev')?.dir),
    ).toEqual(pushed.map(() => dir));

    const again = await call('sync', { projectId, profile: 'dev' });
    expect(again).toMatchObject({ ok: true, value: { wrote: false } });

    const revealed = await call('secrets.reveal', { projectId, profile: 'dev', name: 'PERSONAL_TOKEN' });
    expect(revealed).toEqual({ ok: true, value: { name: 'PERSONAL_TOKEN', value: TOKEN } });
    const unknown = await call('secrets.reveal', { projectId, profile: 'dev', name: 'NOT_THERE' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'SOURCE_NOT_FOUND' } });

    const tail = await call('audit.tail', { limit: 50 });
    const events = (tail as { value: MethodOutput<'audit.tail'> }).value.events;
    expect(events.map((e) => [e.action, e.outcome, e.keys])).toEqual([
      ['secret.set', 'ok', ['PERSONAL_TOKEN']],
      // Each sync records its intent before it writes, and its outcome after (issue 10, item 9).
      ['sync', 'intent', ['LOG_LEVEL', 'API_URL', 'PERSONAL_TOKEN']],
      ['sync', 'ok', ['LOG_LEVEL', 'API_URL', 'PERSONAL_TOKEN']],
      ['sync', 'intent', []],
      ['sync', 'ok', []],
      ['reveal', 'ok', ['PERSONAL_TOKEN']],
      ['reveal', 'error', ['NOT_THERE']],
    ]);

    // The canary: the personal token crosses only in the reveal, and never lands in the app-data folder.
    for (const { method, envelope } of envelopes) {
      if (method === 'secrets.reveal' && envelope.ok) continue;
      expect(JSON.stringify(envelope), method).not.toContain(TOKEN);
    }
    expect(JSON.stringify(sb.events)).not.toContain(TOKEN);
    for (const { file, text } of readTree(sb.appDir)) expect(text, file).not.toContain(TOKEN);
  });

  it('keeps a local edit as a conflict, and takes the remote value when asked', async () => {
    const dir = sb.project('p', OFFLINE_MANIFEST);
    const projectId = await sb.openProject(dir);
    await ok('secrets.setPersonal', { projectId, name: 'PERSONAL_TOKEN', value: TOKEN });
    await ok('sync', { projectId, profile: 'dev' });
    const target = path.join(dir, '.env');
    writeFileSync(target, readFileSync(target, 'utf8').replace('LOG_LEVEL=debug', 'LOG_LEVEL=trace'));

    const plan = await unpackPlan((await ok('plan', { projectId, profile: 'dev' })).plan);
    expect(plan.entries.find((e) => e.name === 'LOG_LEVEL')).toMatchObject({
      status: 'conflict',
      resolution: 'keep-local',
    });
    const kept = await ok('sync', { projectId, profile: 'dev' });
    expect((await unpackPlan(kept.plan)).entries.find((e) => e.name === 'LOG_LEVEL')!.resolution).toBe('keep-local');
    expect(readFileSync(target, 'utf8')).toContain('LOG_LEVEL=trace');

    const taken = await ok('sync', { projectId, profile: 'dev', takeRemote: ['LOG_LEVEL'] });
    expect(taken.wrote).toBe(true);
    expect(readFileSync(target, 'utf8')).toContain('LOG_LEVEL=debug');
  });
});

describe('settings, audit and links', () => {
  it('gets and sets settings, auditing the names of what changed', async () => {
    expect((await ok('settings.get', {})).settings).toEqual({
      theme: 'system',
      revealSeconds: 15,
      clipboardClearSeconds: 30,
      confirmBeforeSync: true,
      editorCommand: '',
      notifications: false,
    });
    const { settings } = await ok('settings.set', { settings: { theme: 'dark', revealSeconds: 15 } });
    expect(settings.theme).toBe('dark');
    await ok('settings.set', { settings: { theme: 'dark' } });
    expect((await auditActions()).map((e) => [e.action, e.keys])).toEqual([['settings.change', ['theme']]]);
    expect((await fails('settings.set', { settings: { revealSeconds: 1 } })).code).toBe('INVALID_INPUT');
  });

  it('opens only https links', async () => {
    await ok('shell.openExternal', { url: 'https://docs.example.com/latchkey?q=1' });
    for (const url of [
      'http://example.com',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'mailto:a@b.c',
      'not a url',
      'smb://host/share',
    ]) {
      expect((await fails('shell.openExternal', { url })).code).toBe('INVALID_INPUT');
    }
    expect(sb.opened).toEqual(['https://docs.example.com/latchkey?q=1']);
  });

  it('returns an empty audit tail on a fresh install', async () => {
    expect(await ok('audit.tail', { limit: 10 })).toEqual({ events: [] });
  });
});
