import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { METHODS, type MethodName } from '../../../contract/ipc';
import { recordProject } from '../../../main/core/projects';
import { startConnectServer, type ConnectServer } from '../../support/connect-server';
import { createSandbox, OFFLINE_MANIFEST, type Sandbox } from '../../support/ipc-sandbox';

// Issue 10, finding 11, through the real router and handlers: the window names folders only by ids main issued
// (the folder dialog, the recent list, the menu, the command line), and a new 1Password Connect server gets the
// stored token only after main's own dialog confirmed it. Each test here failed before the registry existed.

const ATTACKER_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIattacker canary-attacker@evil';
const MADE_UP_ID = `p_${'Q'.repeat(22)}`;

let sb: Sandbox;
beforeEach(() => {
  sb = createSandbox();
});
afterEach(() => sb.cleanup());

/** A home folder with an .ssh the user never opened in Latchkey. */
function fakeSsh(): string {
  const ssh = path.join(sb.root, 'home-of-user', '.ssh');
  mkdirSync(ssh, { recursive: true });
  writeFileSync(path.join(ssh, 'authorized_keys'), 'ssh-ed25519 AAAA the-users-own-key\n');
  return ssh;
}

const attackerProfile = {
  name: 'dev',
  target: 'authorized_keys',
  dialect: 'shell',
  sources: [{ kind: 'set', values: { KEY: ATTACKER_KEY } }],
};

/** Every method that named a folder by path before: a valid payload for each, with the project given. */
function payloads(projectId: unknown): Record<string, Record<string, unknown>> {
  const profile = { name: 'dev', target: '.env', sources: [{ kind: 'set', values: { A: 'b' } }] };
  return {
    'projects.open': { projectId },
    'projects.forget': { projectId },
    'manifest.read': { projectId },
    'manifest.openInEditor': { projectId },
    'manifest.create': { projectId, aws: {}, profile },
    'manifest.writeProfile': { projectId, profile },
    readiness: { projectId, profile: 'dev' },
    plan: { projectId, profile: 'dev' },
    'plan.cached': { projectId, profile: 'dev' },
    'plan.cachedChunk': { projectId, profile: 'dev', savedAt: '2026-01-01T00:00:00.000Z', index: 1 },
    sync: { projectId, profile: 'dev' },
    'gitignore.add': { projectId, profile: 'dev' },
    'keys.keep': { projectId, profile: 'dev', key: 'LOG_LEVEL' },
    'target.openAtKey': { projectId, profile: 'dev', name: 'LOG_LEVEL' },
    'target.openFile': { projectId, profile: 'dev', path: 'certs/dev.pem' },
    'secrets.revealFileChange': { projectId, profile: 'dev', path: 'certs/dev.pem' },
    'secrets.setPersonal': { projectId, name: 'PERSONAL_TOKEN', value: 'canary-personal-4b1d' },
    'secrets.reveal': { projectId, profile: 'dev', name: 'LOG_LEVEL' },
    'secrets.revealChange': { projectId, profile: 'dev', name: 'LOG_LEVEL' },
    'chamber.listServices': { projectId },
    'chamber.listKeys': { projectId, service: 'api/dev' },
    'chamber.find': { projectId, pattern: '*' },
    'sharedSecrets.describe': { projectId, profile: 'dev', key: 'LOG_LEVEL' },
    'sharedSecrets.rotate': { projectId, profile: 'dev', key: 'LOG_LEVEL' },
    'sharedSecrets.write': { projectId, profile: 'dev', key: 'LOG_LEVEL', value: 'canary-shared-3c9e', ifVersion: 1 },
  };
}

describe('no raw paths from the renderer', () => {
  it('manifest.create into ~/.ssh is refused, by path or by a made-up id, and nothing is written there', async () => {
    const ssh = fakeSsh();
    const before = readdirSync(ssh);
    const byPath = await sb.call('manifest.create', { dir: ssh, aws: {}, profile: attackerProfile });
    expect(byPath).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const byPathAsId = await sb.call('manifest.create', { projectId: ssh, aws: {}, profile: attackerProfile });
    expect(byPathAsId).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const byMadeUpId = await sb.call('manifest.create', { projectId: MADE_UP_ID, aws: {}, profile: attackerProfile });
    expect(byMadeUpId).toMatchObject({ ok: false, error: { code: 'PROJECT_NOT_OPEN' } });
    // Then the sync that would have written the key: no folder to write to either.
    expect(await sb.call('sync', { projectId: MADE_UP_ID, profile: 'dev' })).toMatchObject({
      ok: false,
      error: { code: 'PROJECT_NOT_OPEN' },
    });
    expect(readdirSync(ssh)).toEqual(before);
    expect(existsSync(path.join(ssh, 'latchkey.yml'))).toBe(false);
  });

  it('refuses a made-up id in every formerly-path method, with the error that says how to open the folder', async () => {
    // A real, registered project exists: a made-up id must not fall back to it (or to anything else).
    await sb.openProject(sb.project('real', OFFLINE_MANIFEST));
    const cases = payloads(MADE_UP_ID);
    for (const [method, payload] of Object.entries(cases)) {
      const envelope = await sb.call(method, payload);
      expect(envelope, method).toMatchObject({ ok: false, error: { code: 'PROJECT_NOT_OPEN' } });
      if (!envelope.ok) expect(envelope.error.hint).toMatch(/Open Folder/);
    }
    expect(Object.keys(cases).sort()).toEqual(methodsNamingAProject());
  });

  it('refuses a path where an id belongs, in the schema, before any handler runs', async () => {
    const real = sb.project('real', OFFLINE_MANIFEST);
    await sb.openProject(real);
    for (const raw of [real, fakeSsh(), '/', 'relative/folder', `${MADE_UP_ID}/..`]) {
      for (const [method, payload] of Object.entries(payloads(raw))) {
        const envelope = await sb.call(method, payload);
        expect(envelope, `${method} ${raw}`).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      }
      // The old shape, a `dir` beside or instead of the id, is no way in either.
      for (const [method, payload] of Object.entries(payloads(undefined)))
        expect((await sb.call(method, { ...payload, dir: raw })).ok, method).toBe(false);
    }
    expect(readdirSync(real).sort()).toEqual(['latchkey.yml']);
  });

  it('lets in only what main registered: the dialog, the recent list; a forgotten folder is closed again', async () => {
    const dir = sb.project('picked', OFFLINE_MANIFEST);
    const projectId = await sb.openProject(dir);
    expect(await sb.call('readiness', { projectId, profile: 'dev' })).toMatchObject({ ok: true });

    // A folder an earlier session recorded in the recent list gets an id when the list is read.
    const earlier = sb.project('earlier', OFFLINE_MANIFEST);
    await recordProject(sb.appDir, earlier, new Date('2020-01-01T00:00:00Z'));
    const listed = await sb.call('projects.list', {});
    const projects = listed.ok ? (listed.value as { projects: { id: string; dir: string }[] }).projects : [];
    expect(projects.map((p) => p.dir)).toEqual([dir, earlier]);
    expect(projects[0]!.id).toBe(projectId);
    expect(await sb.call('readiness', { projectId: projects[1]!.id, profile: 'dev' })).toMatchObject({ ok: true });

    expect((await sb.call('projects.forget', { projectId })).ok).toBe(true);
    expect(await sb.call('readiness', { projectId, profile: 'dev' })).toMatchObject({
      ok: false,
      error: { code: 'PROJECT_NOT_OPEN' },
    });
  });

  it("opens a registered project's latchkey.yml in the editor, found by main, even when it does not parse", async () => {
    const dir = sb.project('broken', 'version: 1\nprofiles:\n  dev: { description: "open\n');
    const projectId = await sb.openProject(dir);
    expect(await sb.call('manifest.read', { projectId })).toMatchObject({
      ok: false,
      error: { code: 'MANIFEST_INVALID', action: 'open-manifest' },
    });
    expect(await sb.call('manifest.openInEditor', { projectId })).toEqual({ ok: true, value: {} });
    expect(sb.openedFiles).toEqual([path.join(dir, 'latchkey.yml')]);

    const empty = sb.project('empty');
    expect(await sb.call('manifest.openInEditor', { projectId: await sb.openProject(empty) })).toMatchObject({
      ok: false,
      error: { code: 'MANIFEST_NOT_FOUND' },
    });
    expect(sb.openedFiles).toHaveLength(1);
  });
});

/** The contract's methods whose input names a project: what `payloads` must cover. */
function methodsNamingAProject(): string[] {
  return (Object.keys(METHODS) as MethodName[])
    .filter((m) => {
      const shape = (METHODS[m].input as { shape?: Record<string, unknown> }).shape;
      return shape !== undefined && 'projectId' in shape;
    })
    .sort();
}

describe('op.configure: the token goes only to a server confirmed in main', () => {
  const TOKEN = 'canary-connect-token-77e2';
  let trusted: ConnectServer;
  /** A server that records who called it with which Authorization header. */
  let evil: Server;
  let evilUrl: string;
  const evilSaw: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    trusted = await startConnectServer({ token: TOKEN, vaults: [{ name: 'Shared', items: [] }] });
    evil = createServer((req, res) => {
      evilSaw.push(req.headers);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await trusted.stop();
    await new Promise((resolve) => evil.close(resolve));
  });
  beforeEach(() => {
    evilSaw.length = 0;
  });

  it('asks main before a new server; a refusal keeps the old one, and the new one never hears from Latchkey', async () => {
    expect((await sb.call('op.configure', { host: trusted.url, token: TOKEN })).ok).toBe(true);
    expect(sb.hostsAsked).toEqual([trusted.url]);
    // The confirmed server is not asked about again.
    expect((await sb.call('op.configure', { host: `${trusted.url}/` })).ok).toBe(true);
    expect(sb.hostsAsked).toEqual([trusted.url]);

    sb.setConfirmHost(false);
    const refused = await sb.call('op.configure', { host: evilUrl });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(JSON.stringify(refused)).not.toContain(TOKEN);
    expect(sb.hostsAsked).toEqual([trusted.url, evilUrl]);
    // Nor does a new token sent along with the refused server get stored.
    expect((await sb.call('op.configure', { host: evilUrl, token: 'canary-other-token' })).ok).toBe(false);
    expect(await sb.keychain.get('op-connect-token')).toBe(TOKEN);

    // Everything that talks to Connect now still talks to the confirmed server.
    const status = await sb.call('op.status', {});
    expect(status).toMatchObject({ ok: true, value: { host: trusted.url, hostSource: 'settings' } });
    await sb.call('logins.search', { query: '' });
    expect(evilSaw).toEqual([]);
  });

  it('sends the token to the new server once the user confirmed it in main (so the check above can fail)', async () => {
    expect((await sb.call('op.configure', { host: trusted.url, token: TOKEN })).ok).toBe(true);
    sb.setConfirmHost(true);
    expect((await sb.call('op.configure', { host: evilUrl })).ok).toBe(true);
    await sb.call('op.status', {});
    await sb.call('logins.search', { query: '' });
    expect(evilSaw.map((h) => h.authorization)).toContain(`Bearer ${TOKEN}`);
  });
});
