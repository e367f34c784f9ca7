import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope, EventName, MethodName, MethodOutput } from '../../../contract/ipc';
import { tailAudit } from '../../../main/core/audit';
import { createClipboardGuard } from '../../../main/core/clipboard-guard';
import { OP_TOKEN_ACCOUNT } from '../../../main/core/op-settings';
import { createHandlers } from '../../../main/ipc/handlers';
import { createRouter, type SenderInfo } from '../../../main/ipc/router';
import { createSenderCheck } from '../../../main/ipc/sender';
import { createRuntime } from '../../../main/app/runtime';
import { createKeytarKeychain } from '../../../main/adapters/keytar-keychain';
import { readTree } from '../../support/cli';
import { grafanaLogin, startConnectServer, type ConnectServer } from '../../support/connect-server';
import { memoryClipboard } from '../../support/ipc-sandbox';
import { currentTotp } from '../../support/totp';

// The Logins view's main side, end to end: the real router and handlers, the real @1password/connect client
// against the Connect test server, the real keyring (with-keyring.sh), an in-memory clipboard and a clear timer
// the test fires itself. The password must reach the clipboard and never an envelope, except logins.reveal.

const ORIGIN = 'https://latchkey.test';
const WINDOW: SenderInfo = { url: `${ORIGIN}/index.html`, isMainFrame: true };
const TOKEN = 'logins-connect-token-canary-5c1d';
const PASSWORD = 'logins-canary-grafana-pass-8e41';
const FTP_PASSWORD = 'logins-canary-ftp-pass-2b77';
const API_KEY = 'logins-canary-apikey-90af';
const HIDDEN = 'logins-canary-hidden-3c3c';
const OTP_SECRET = 'otpauth://totp/Grafana:ops?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Grafana';
const CANARIES = [TOKEN, PASSWORD, FTP_PASSWORD, API_KEY, HIDDEN, OTP_SECRET];

let server: ConnectServer;
let root: string;
let appDir: string;
let project: string;
const keychain = createKeytarKeychain(`latchkey-test-logins-${process.pid}`);
const clipboard = memoryClipboard('what the user had before');
const events: { event: EventName; payload: unknown }[] = [];
const opened: string[] = [];
const envelopes: { method: string; envelope: Envelope<unknown> }[] = [];
/** The guard's clear timers, fired by the test instead of waiting. */
const timers: { run: () => void; ms: number; cancelled: boolean }[] = [];
let router: ReturnType<typeof createRouter>;
const ids = { shared: '', ops: '', grafana: '', ftp: '', apiKeys: '', pagerduty: '' };

async function call<M extends MethodName>(method: M, payload: unknown): Promise<Envelope<MethodOutput<M>>> {
  const envelope = await router.handle(method, WINDOW, payload);
  envelopes.push({ method, envelope });
  return envelope as Envelope<MethodOutput<M>>;
}

/** The project let in as the user would (main's folder dialog answers it); the id the window names it by. */
async function projectIdOf(dir: string): Promise<string> {
  expect(dir).toBe(project);
  const { picked } = await ok('projects.pick', {});
  return picked!.projectId;
}

async function ok<M extends MethodName>(method: M, payload: unknown): Promise<MethodOutput<M>> {
  const envelope = await call(method, payload);
  if (!envelope.ok) throw new Error(`${method} failed: ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value;
}

/** Runs the newest pending clear timer, as if its seconds had passed, and lets the async clear finish. */
async function fireClear(): Promise<void> {
  const timer = timers.filter((t) => !t.cancelled).at(-1);
  if (!timer) throw new Error('no clear is pending');
  timer.cancelled = true;
  const before = events.length;
  timer.run();
  await expect.poll(() => events.length).toBeGreaterThan(before);
}

const login = (item: string, vault = ids.shared) => ({ vaultId: vault, itemId: item });
const getItemRequests = (itemId: string) =>
  Object.entries(server.stats().byPath)
    .filter(([key]) => key.startsWith('GET ') && key.endsWith(`/items/${itemId}`))
    .reduce((n, [, c]) => n + c, 0);

beforeAll(async () => {
  server = await startConnectServer({
    token: TOKEN,
    vaults: [
      {
        name: 'Shared',
        items: [
          grafanaLogin(PASSWORD, {
            otp: OTP_SECRET,
            more: {
              updatedAt: '2026-11-02T09:00:00Z',
              urls: [
                { href: 'https://grafana.example.test/login', primary: true },
                { href: 'https://grafana-backup.example.test/' },
              ],
            },
          }),
          {
            title: 'Legacy FTP',
            category: 'LOGIN',
            urls: [{ href: 'ftp://files.example.test/' }],
            fields: [
              { label: 'username', value: 'uploader', purpose: 'USERNAME' },
              { label: 'password', value: FTP_PASSWORD, purpose: 'PASSWORD', type: 'CONCEALED' },
            ],
          },
          {
            title: 'API Keys',
            category: 'API_CREDENTIAL',
            fields: [{ label: 'credential', value: API_KEY, type: 'CONCEALED' }],
          },
        ],
      },
      {
        name: 'Ops',
        items: [
          {
            title: 'PagerDuty',
            category: 'LOGIN',
            urls: [{ href: 'http://pagerduty.example.test/' }],
            fields: [{ label: 'username', value: 'oncall', purpose: 'USERNAME' }],
          },
        ],
      },
      {
        name: 'Board',
        inScope: false,
        items: [
          { title: 'Bank', category: 'LOGIN', fields: [{ label: 'password', value: HIDDEN, purpose: 'PASSWORD' }] },
        ],
      },
    ],
  });
  const [shared, ops] = server.vaults;
  Object.assign(ids, {
    shared: shared!.id,
    ops: ops!.id,
    grafana: shared!.items[0]!.id,
    ftp: shared!.items[1]!.id,
    apiKeys: shared!.items[2]!.id,
    pagerduty: ops!.items[0]!.id,
  });

  root = mkdtempSync(path.join(tmpdir(), 'latchkey-logins-'));
  appDir = path.join(root, 'home');
  project = path.join(root, 'project');
  mkdirSync(project, { recursive: true });
  await keychain.delete(OP_TOKEN_ACCOUNT);

  const emit = <E extends EventName>(event: E, payload: unknown) => {
    events.push({ event, payload });
  };
  const clipboardGuard = createClipboardGuard(clipboard, {
    emit,
    setTimer: (run, ms) => {
      const timer = { run, ms, cancelled: false };
      timers.push(timer);
      return () => void (timer.cancelled = true);
    },
  });
  const handlers = createHandlers(
    {
      runtime: createRuntime({ appDir, keychain }),
      emit,
      // The project folder, as main's folder dialog answers it.
      pickFolder: async () => project,
      // The user confirms the test Connect server in main's dialog (refusal: test/unit/ipc/project-registry.test.ts).
      confirmConnectHost: async () => true,
      openExternal: async (url) => void opened.push(url),
      clipboard,
    },
    { clipboardGuard, opEnv: {}, probeAws: async () => ({ ok: true, detail: 'not used' }) },
  );
  router = createRouter(handlers, { isTrustedSender: createSenderCheck([ORIGIN]) });
});

afterAll(async () => {
  await keychain.delete(OP_TOKEN_ACCOUNT).catch(() => undefined);
  await server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('1Password connection through IPC', () => {
  it('before configuring: status says what is missing, and the checklist offers configure-op', async () => {
    const status = await ok('op.status', {});
    expect(status).toMatchObject({ host: null, hostSource: 'none' });
    expect(status.checks.map((c) => [c.id, c.state])).toEqual([
      ['connection', 'missing'],
      ['heartbeat', 'skipped'],
      ['token', 'skipped'],
      ['vaults', 'skipped'],
    ]);
    writeFileSync(
      path.join(project, 'latchkey.yml'),
      'version: 1\nprofiles:\n  dev:\n    sources:\n      - op: "op://Shared/Grafana/password"\n        as: GRAFANA_PASSWORD\n',
    );
    const { items } = await ok('readiness', { projectId: await projectIdOf(project), profile: 'dev' });
    expect(items.find((i) => i.id === 'op')).toMatchObject({ state: 'missing', action: 'configure-op' });
  });

  it('configure stores the host in settings and the token in the keyring, audited by name only', async () => {
    await ok('op.configure', { host: `${server.url}/`, token: TOKEN });
    expect(await keychain.get(OP_TOKEN_ACCOUNT)).toBe(TOKEN);
    const [event] = (await tailAudit(appDir, 1)).slice(-1);
    expect(event).toMatchObject({
      action: 'settings.change',
      keys: ['opConnectHost', OP_TOKEN_ACCOUNT],
      outcome: 'ok',
    });

    const status = await ok('op.status', {});
    expect(status).toMatchObject({ host: server.url, hostSource: 'settings' });
    expect(status.checks.map((c) => [c.id, c.state])).toEqual([
      ['connection', 'ok'],
      ['heartbeat', 'ok'],
      ['token', 'ok'],
      ['vaults', 'ok'],
    ]);
    expect(status.checks[3]!.detail).toContain('Shared, Ops');
  });

  it('the checklist is ok when every reference resolves, and names the reference that does not', async () => {
    let { items } = await ok('readiness', { projectId: await projectIdOf(project), profile: 'dev' });
    expect(items.find((i) => i.id === 'op')).toMatchObject({ state: 'ok', label: '1Password connected' });
    writeFileSync(
      path.join(project, 'latchkey.yml'),
      'version: 1\nprofiles:\n  dev:\n    sources:\n      - op: "op://Shared/Grafana/password"\n        as: GRAFANA_PASSWORD\n      - op: "op://Shared/Nowhere/password"\n        as: NOWHERE\n',
    );
    ({ items } = await ok('readiness', { projectId: await projectIdOf(project), profile: 'dev' }));
    const op = items.find((i) => i.id === 'op')!;
    expect(op.state).toBe('error');
    expect(op.detail).toContain('op://Shared/Nowhere/password');
    expect(op.detail).toContain('no item titled "Nowhere"');
  });
});

describe('Logins through IPC', () => {
  beforeEach(() => {
    clipboard.text = 'what the user had before';
  });

  it('search: login summaries across the vaults the token sees, filtered case-insensitively, from a brief cache', async () => {
    server.resetStats();
    const all = await ok('logins.search', { query: '' });
    expect(all.logins).toEqual([
      {
        vaultId: ids.shared,
        itemId: ids.grafana,
        vault: 'Shared',
        title: 'Grafana',
        url: 'https://grafana.example.test/login',
        updatedAt: '2026-11-02T09:00:00.000Z',
      },
      {
        vaultId: ids.shared,
        itemId: ids.ftp,
        vault: 'Shared',
        title: 'Legacy FTP',
        url: 'ftp://files.example.test/',
        updatedAt: '2026-11-01T10:00:00.000Z',
      },
      {
        vaultId: ids.ops,
        itemId: ids.pagerduty,
        vault: 'Ops',
        title: 'PagerDuty',
        url: 'http://pagerduty.example.test/',
        updatedAt: '2026-11-01T10:00:00.000Z',
      },
    ]);
    const requests = server.stats().total;
    expect((await ok('logins.search', { query: 'GRAF' })).logins.map((l) => l.title)).toEqual(['Grafana']);
    expect((await ok('logins.search', { query: 'ops' })).logins.map((l) => l.title)).toEqual(['PagerDuty']);
    expect((await ok('logins.search', { query: 'files.example' })).logins.map((l) => l.title)).toEqual(['Legacy FTP']);
    expect((await ok('logins.search', { query: 'bank' })).logins).toEqual([]);
    // Typing reuses the listing: no request for any of these keystrokes.
    expect(server.stats().total).toBe(requests);
  });

  it('details: one GET of the item; the username shows, the password and the code do not', async () => {
    server.resetStats();
    const { login: details } = await ok('logins.details', login(ids.grafana));
    expect(details).toEqual({
      vaultId: ids.shared,
      itemId: ids.grafana,
      vault: 'Shared',
      title: 'Grafana',
      url: 'https://grafana.example.test/login',
      updatedAt: '2026-11-02T09:00:00.000Z',
      username: 'ops@example.test',
      hasPassword: true,
      hasOtp: true,
      urls: ['https://grafana.example.test/login', 'https://grafana-backup.example.test/'],
    });
    expect(getItemRequests(ids.grafana)).toBe(1);
    expect(server.stats().total).toBe(1);
    expect((await ok('logins.details', login(ids.pagerduty, ids.ops))).login).toMatchObject({
      username: 'oncall',
      hasPassword: false,
      hasOtp: false,
    });
  });

  it('copy password: the clipboard holds it, the result does not; cleared after the configured seconds', async () => {
    const result = await call('logins.copy', { ...login(ids.grafana), field: 'password' });
    expect(result).toEqual({ ok: true, value: { field: 'password', clearsInSeconds: 30 } });
    expect(clipboard.text).toBe(PASSWORD);
    expect(timers.at(-1)!.ms).toBe(30_000);

    await ok('settings.set', { settings: { clipboardClearSeconds: 5 } });
    expect(await ok('logins.copy', { ...login(ids.grafana), field: 'password' })).toEqual({
      field: 'password',
      clearsInSeconds: 5,
    });
    expect(timers.filter((t) => !t.cancelled).map((t) => t.ms)).toEqual([5000]);
    await fireClear();
    expect(clipboard.text).toBe('');
    expect(events.at(-1)).toEqual({ event: 'clipboard.cleared', payload: { reason: 'timeout' } });

    const audit = await tailAudit(appDir, 10);
    const copies = audit.filter((e) => e.action === 'copy');
    expect(copies.at(-1)).toMatchObject({
      keys: ['password'],
      outcome: 'ok',
      detail: 'login "Grafana" in vault "Shared"',
    });
  });

  it('copy, then the user copies something else: the clear leaves their content alone', async () => {
    await ok('logins.copy', { ...login(ids.grafana), field: 'password' });
    expect(clipboard.text).toBe(PASSWORD);
    clipboard.writeText('a link the user copied');
    await fireClear();
    expect(clipboard.text).toBe('a link the user copied');
    expect(events.at(-1)).toEqual({ event: 'clipboard.cleared', payload: { reason: 'replaced' } });
  });

  it('copy username and the current one-time code (the server sends totp)', async () => {
    await ok('logins.copy', { ...login(ids.grafana), field: 'username' });
    expect(clipboard.text).toBe('ops@example.test');
    const before = Date.now();
    await ok('logins.copy', { ...login(ids.grafana), field: 'otp' });
    const codes = [currentTotp(OTP_SECRET, before), currentTotp(OTP_SECRET, Date.now())];
    expect(codes).toContain(clipboard.text);
    expect(clipboard.text).toMatch(/^\d{6}$/);
    const noCode = await call('logins.copy', { ...login(ids.ftp), field: 'otp' });
    expect(noCode).toMatchObject({
      ok: false,
      error: { code: 'SOURCE_NOT_FOUND', message: 'login "Legacy FTP" has no usable one-time password' },
    });
    expect((await tailAudit(appDir, 1))[0]).toMatchObject({ action: 'copy', keys: ['otp'], outcome: 'error' });
    await fireClear();
  });

  it('reveal returns the password because the user asked, and is audited', async () => {
    expect(await ok('logins.reveal', login(ids.grafana))).toEqual({ value: PASSWORD });
    expect((await tailAudit(appDir, 1))[0]).toMatchObject({
      action: 'reveal',
      keys: ['password'],
      outcome: 'ok',
      detail: 'login "Grafana" in vault "Shared"',
    });
  });

  it('openUrl opens the first https URL and refuses a login that has none', async () => {
    await ok('logins.openUrl', login(ids.grafana));
    expect(opened).toEqual(['https://grafana.example.test/login']);
    for (const [item, vault] of [
      [ids.ftp, ids.shared],
      [ids.pagerduty, ids.ops],
    ] as const) {
      const refused = await call('logins.openUrl', login(item, vault));
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', hint: 'Latchkey opens only https links in the browser.' },
      });
    }
    expect(opened).toHaveLength(1);
  });

  it('only logins: another item, a vault out of scope or an unknown id is a clean error', async () => {
    expect(await call('logins.copy', { ...login(ids.apiKeys), field: 'password' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: '1Password item "API Keys" is not a login' },
    });
    const board = server.vaults[2]!;
    expect(await call('logins.reveal', login(board.items[0]!.id, board.id))).toMatchObject({
      ok: false,
      error: { code: 'ACCESS_DENIED' },
    });
    expect(await call('logins.details', login('a'.repeat(26)))).toMatchObject({
      ok: false,
      error: { code: 'SOURCE_NOT_FOUND' },
    });
  });

  it('a rejected token is a clear error in status and in search', async () => {
    await ok('op.configure', { token: 'not-the-token' });
    const status = await ok('op.status', {});
    expect(status.checks.map((c) => [c.id, c.state])).toEqual([
      ['connection', 'ok'],
      ['heartbeat', 'ok'],
      ['token', 'error'],
      ['vaults', 'skipped'],
    ]);
    expect(status.checks[2]!.detail).toContain('rejected the token (401)');
    expect(await call('logins.search', { query: '' })).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });
    await ok('op.configure', { token: TOKEN });
    expect((await ok('logins.search', { query: 'graf' })).logins).toHaveLength(1);
  });

  it('canaries: no value in any envelope but reveal, nor in audit, state or settings files', () => {
    expect(envelopes.length).toBeGreaterThan(20);
    for (const { method, envelope } of envelopes) {
      const text = JSON.stringify(envelope);
      for (const canary of CANARIES) {
        if (method === 'logins.reveal' && canary === PASSWORD) continue;
        expect(text, method).not.toContain(canary);
      }
    }
    expect(envelopes.filter((e) => JSON.stringify(e.envelope).includes(PASSWORD)).map((e) => e.method)).toEqual([
      'logins.reveal',
    ]);
    const files = readTree(appDir);
    expect(files.map((f) => path.basename(f.file))).toEqual(
      expect.arrayContaining(['audit.jsonl', 'settings.json', 'op.json']),
    );
    for (const { file, text } of files) for (const canary of CANARIES) expect(text, file).not.toContain(canary);
    for (const { event, payload } of events)
      for (const canary of CANARIES) expect(JSON.stringify({ event, payload })).not.toContain(canary);
  });
});
