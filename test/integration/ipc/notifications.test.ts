import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../contract/ipc';
import { createRuntime, type Runtime } from '../../../main/app/runtime';
import { sessionAccount } from '../../../main/aws/profiles';
import { storeCachedSession } from '../../../main/aws/vault';
import type { DesktopNotice } from '../../../main/core/notifications';
import { createIpcBackend, type DesktopBackend } from '../../../main/ipc';
import type { SenderInfo } from '../../../main/ipc/router';
import { applyEnv } from '../../support/aws-env';
import { memoryClipboard } from '../../support/ipc-sandbox';

// Issue 14, deliver 10: "a session expiring in 10 min", against a real session cached in the real keyring (as
// `latchkey aws login` leaves one for a credential_process profile), through the real backend: the state store
// derives the sessions, the minute's check reads them, and the notice goes out through the `notify` port. The
// clock is the backend's injected one, moved forward instead of waited for.

const ORIGIN = 'https://latchkey.test';
const WINDOW: SenderInfo = { url: `${ORIGIN}/index.html`, isMainFrame: true };
const PROFILE = `ipc-notify-${randomBytes(3).toString('hex')}`;
const SESSION_SECRET = `notifyCanary${randomBytes(12).toString('hex')}`;
const MINUTE = 60_000;

let home: string;
let runtime: Runtime;
let backend: DesktopBackend;
let undoEnv: () => void;
let clock: number;
let notices: DesktopNotice[];
/** The user clicking each notice, in order. */
let clicks: (() => void)[];
let events: { event: string; payload: unknown }[];

beforeEach(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'latchkey-ipc-notify-'));
  mkdirSync(path.join(home, '.aws'), { mode: 0o700 });
  const config = path.join(home, '.aws', 'config');
  const credentials = path.join(home, '.aws', 'credentials');
  writeFileSync(
    config,
    `[profile ${PROFILE}]\nregion = us-east-1\ncredential_process = latchkey aws credential-process ${PROFILE}\n`,
  );
  writeFileSync(credentials, '', { mode: 0o600 });
  // Nothing to refresh the session with (no long-lived keys, no STS): it only runs out.
  undoEnv = applyEnv({
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
  });
  clock = Date.now();
  notices = [];
  clicks = [];
  events = [];
  runtime = createRuntime({ appDir: path.join(home, 'app') });
  await storeCachedSession(runtime.keychain, PROFILE, {
    accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: SESSION_SECRET,
    sessionToken: `token-${SESSION_SECRET}`,
    // Ends in 25 minutes of the test's clock: not yet within the 10-minute warning.
    expiration: new Date(clock + 25 * MINUTE).toISOString(),
  });
  backend = createIpcBackend({
    runtime,
    emit: (event, payload) => void events.push({ event, payload }),
    pickFolder: async () => null,
    confirmConnectHost: async () => false,
    openExternal: async () => undefined,
    clipboard: memoryClipboard(),
    notify: (notice, onClick) => {
      notices.push(notice);
      clicks.push(onClick);
    },
    now: () => new Date(clock),
    allowedOrigins: [ORIGIN],
  });
});

afterEach(async () => {
  await backend.dispose();
  await runtime.keychain.delete(sessionAccount(PROFILE));
  undoEnv();
  rmSync(home, { recursive: true, force: true });
});

async function setNotifications(on: boolean): Promise<void> {
  const got = (await backend.router.handle('settings.get', WINDOW, {})) as Envelope<{ settings: object }>;
  if (!got.ok) throw new Error(got.error.message);
  const set = await backend.router.handle('settings.set', WINDOW, {
    settings: { ...got.value.settings, notifications: on },
  });
  expect(set).toMatchObject({ ok: true });
}

describe('the 10-minute session notification', () => {
  it('is sent once through notify when a cached session comes within 10 minutes of its end, with notifications on', async () => {
    await setNotifications(true);
    expect(await backend.checkSessions()).toEqual([]);

    clock += 16 * MINUTE; // 9 minutes left
    const sent = await backend.checkSessions();
    expect(sent).toHaveLength(1);
    expect(notices).toEqual(sent);
    expect(notices[0]).toMatchObject({ title: `AWS session ${PROFILE} ends in 9 min`, screen: 'aws' });

    // The next minutes' checks find the same session: not told again.
    clock += MINUTE;
    expect(await backend.checkSessions()).toEqual([]);
    clock += MINUTE;
    expect(await backend.checkSessions()).toEqual([]);
    expect(notices).toHaveLength(1);

    const everything = JSON.stringify({ notices, events });
    expect(everything).not.toContain(SESSION_SECRET);
  });

  it('is not sent while notifications are off, even within the 10 minutes', async () => {
    await setNotifications(false);
    clock += 20 * MINUTE; // 5 minutes left
    expect(await backend.checkSessions()).toEqual([]);
    clock += MINUTE;
    expect(await backend.checkSessions()).toEqual([]);
    expect(notices).toEqual([]);
  });
});

describe('a click on a notification', () => {
  const pending = async () => {
    const answer = (await backend.router.handle('menu.pending', WINDOW, {})) as Envelope<{ commands: unknown[] }>;
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.value.commands;
  };
  const shown = () => events.filter((e) => e.event === 'menu.command').map((e) => e.payload);
  const showAws = { command: 'show-screen', screen: 'aws' };

  it('shows its screen, and waits for a page that does not listen yet (starting, reloading)', async () => {
    await setNotifications(true);
    clock += 16 * MINUTE;
    expect(await backend.checkSessions()).toHaveLength(1);
    const click = clicks[0]!;

    // The window's page is still starting: the click waits in main for the page to ask.
    click();
    expect(shown()).toEqual([]);
    expect(await pending()).toEqual([showAws]);
    expect(await pending()).toEqual([]);

    // It listens now: the click is sent as it comes.
    click();
    expect(shown()).toEqual([showAws]);

    // A reload: the new page does not listen yet, and the click is kept for it again.
    backend.pageGone();
    click();
    expect(shown()).toEqual([showAws]);
    expect(await pending()).toEqual([showAws]);
  });
});
