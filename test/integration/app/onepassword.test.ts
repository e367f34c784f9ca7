import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDesktopApp, type DesktopApp } from '../../../main/app';
import { createClipboardGuard } from '../../../main/core/clipboard-guard';
import { OP_TOKEN_ACCOUNT } from '../../../main/core/op-settings';
import { readTree } from '../../support/cli';
import { grafanaLogin, startConnectServer, type ConnectServer } from '../../support/connect-server';
import { createAppSandbox, type AppSandbox } from '../../support/app-sandbox';
import { memoryClipboard } from '../../support/ipc-sandbox';

// The 1Password use cases against the Connect test server: configuration and its audit, `op read` audited as a
// reveal, the checklist probe, and the Logins view's cache, copy and reveal. Values reach only the clipboard and
// the explicit reveals.

const TOKEN = 'app-op-token-canary-77d1';
const PASSWORD = 'app-op-canary-grafana-pass-1f0e';
const DB_PASSWORD = 'app-op-canary-db-pass-c4a9';
const OP_MANIFEST = `version: 1
profiles:
  dev:
    sources:
      - op: "op://Shared/Backend DB/password"
        as: DB
`;

let server: ConnectServer;
let sb: AppSandbox;
let app: DesktopApp;
let clipboard: ReturnType<typeof memoryClipboard>;
let opened: string[];

beforeAll(async () => {
  server = await startConnectServer({
    token: TOKEN,
    vaults: [
      {
        name: 'Shared',
        items: [
          grafanaLogin(PASSWORD),
          {
            title: 'Backend DB',
            category: 'DATABASE',
            fields: [{ label: 'password', value: DB_PASSWORD, type: 'CONCEALED' }],
          },
        ],
      },
    ],
  });
});
afterAll(async () => server?.stop());

beforeEach(() => {
  sb = createAppSandbox();
  clipboard = memoryClipboard('what the user had before');
  opened = [];
  app = createDesktopApp({
    openFile: () => Promise.reject(new Error('not in this test')),
    ...sb.deps,
    opEnv: {},
    clipboardGuard: createClipboardGuard(clipboard, { emit: () => undefined, setTimer: () => () => undefined }),
    openInBrowser: async (url) => void opened.push(url),
    // The user confirms every server in main's dialog here; refusals: test/unit/ipc/project-registry.test.ts.
    confirmConnectHost: async () => true,
  });
});
afterEach(() => sb.cleanup());

const grafana = () => ({ vaultId: server.vaults[0]!.id, itemId: server.vaults[0]!.items[0]!.id });
const listRequests = () =>
  Object.entries(server.stats().byPath)
    .filter(([key]) => key.startsWith('GET ') && key.endsWith('/items'))
    .reduce((n, [, c]) => n + c, 0);

function expectNoValuesAtRest(): void {
  for (const { file, text } of readTree(sb.appDir))
    for (const canary of [TOKEN, PASSWORD, DB_PASSWORD]) expect(text, file).not.toContain(canary);
}

describe('1Password use cases', () => {
  it('configures the server and token with one audit event naming both, never the token; an empty token is refused', async () => {
    expect((await app.op.status()).checks[0]).toMatchObject({ id: 'connection', state: 'missing' });
    expect(await app.op.configure({ host: `${server.url}/`, token: ` ${TOKEN} ` })).toEqual({ host: server.url });
    expect(await sb.keychain.get(OP_TOKEN_ACCOUNT)).toBe(TOKEN);
    await expect(app.op.configure({ token: '  ' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await sb.audit()).map((e) => [e.action, e.keys, e.detail])).toEqual([
      ['settings.change', ['opConnectHost', OP_TOKEN_ACCOUNT], server.url],
    ]);
    const status = await app.op.status();
    expect(status).toMatchObject({ host: server.url, hostSource: 'settings' });
    expect(status.checks.map((c) => c.state)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect((await app.op.check()).ok).toBe(true);
    expectNoValuesAtRest();
  });

  it('op read returns the value, audited as a reveal of the reference; a bad reference is audited as an error', async () => {
    await app.op.configure({ host: server.url, token: TOKEN });
    expect(await app.op.read('op://Shared/Backend DB/password')).toBe(DB_PASSWORD);
    await expect(app.op.read('op://Shared/Backend DB/nope')).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    const reveals = (await sb.audit()).filter((e) => e.action === 'reveal');
    expect(reveals.map((e) => [e.outcome, e.detail])).toEqual([
      ['ok', 'op read op://Shared/Backend DB/password'],
      ['error', 'op read op://Shared/Backend DB/nope (SOURCE_NOT_FOUND)'],
    ]);
    expect(reveals[0]!.keys).toHaveLength(1);
    expectNoValuesAtRest();
  });

  it("the checklist's probe: missing before configuration, ok once every reference resolves", async () => {
    const dir = sb.project('p', OP_MANIFEST);
    const readiness = await app.sync.readiness({ dir }, 'dev');
    expect(readiness.find((i) => i.id === 'op')).toMatchObject({ state: 'missing', action: 'configure-op' });
    await app.op.configure({ host: server.url, token: TOKEN });
    const again = await app.sync.readiness({ dir }, 'dev');
    expect(again.find((i) => i.id === 'op')).toMatchObject({ state: 'ok' });
  });

  it('logins: the list is reused between searches until the connection changes; copy and reveal are audited', async () => {
    await app.op.configure({ host: server.url, token: TOKEN });
    server.resetStats();
    expect((await app.logins.search('graf')).map((l) => l.title)).toEqual(['Grafana']);
    expect(await app.logins.search('')).toHaveLength(1);
    expect(listRequests()).toBe(1);
    await app.op.configure({ host: server.url });
    await app.logins.search('graf');
    expect(listRequests()).toBe(2);

    expect(await app.logins.copy(grafana(), 'password')).toEqual({ clearsInSeconds: 30 });
    expect(clipboard.text).toBe(PASSWORD);
    expect(await app.logins.reveal(grafana())).toBe(PASSWORD);
    await app.logins.openUrl(grafana());
    expect(opened).toEqual(['https://grafana.example.test/login']);
    const used = (await sb.audit()).filter((e) => e.action === 'copy' || e.action === 'reveal');
    expect(used.map((e) => [e.action, e.keys, e.outcome, e.detail])).toEqual([
      ['copy', ['password'], 'ok', 'login "Grafana" in vault "Shared"'],
      ['reveal', ['password'], 'ok', 'login "Grafana" in vault "Shared"'],
    ]);
    await expect(app.logins.copy({ ...grafana(), itemId: 'x'.repeat(26) }, 'password')).rejects.toBeDefined();
    expect((await sb.audit()).at(-1)).toMatchObject({ action: 'copy', outcome: 'error' });
    expectNoValuesAtRest();
  });
});
