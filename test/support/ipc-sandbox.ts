import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EventName, EventPayload } from '../../contract/ipc';
import type { ClipboardPort } from '../../main/core/clipboard-guard';
import { keychainLocked, type Keychain } from '../../main/core/keychain';
import { createHandlers, type HandlerServices } from '../../main/ipc/handlers';
import { createRouter, type SenderInfo } from '../../main/ipc/router';
import { createSenderCheck } from '../../main/ipc/sender';
import type { Runtime } from '../../main/app/runtime';
import { createKeychainSource } from '../../main/sources/keychain-source';
import { setSource } from '../../main/sources/set-source';

// Shared by the ipc-* unit tests (not a test file itself): the real handlers and router over a throwaway
// app-data folder and an in-memory keychain, with manifests that need no network (set and keychain sources).

export const ORIGIN = 'https://latchkey.test';
export const TRUSTED: SenderInfo = { url: `${ORIGIN}/index.html`, isMainFrame: true };

/**
 * The runtime with the sources that need no network (set, keychain): an AWS source in a manifest a test (or the
 * fuzzer) writes then fails cleanly as unavailable instead of reaching for credentials and endpoints.
 */
export function offlineRuntime(appDir: string, keychain: Keychain): Runtime {
  return {
    appDir,
    keychain,
    syncEnvironment: (manifest) => ({
      sources: { set: setSource, keychain: createKeychainSource(keychain, manifest.path) },
      keychain,
      appDir,
    }),
  };
}

export function memoryKeychain(): Keychain & { entries: Map<string, string>; locked: boolean } {
  const entries = new Map<string, string>();
  // Locked, it answers as the keytar adapter does over a locked Secret Service (tested for real in
  // test/integration/cli/keychain-locked.test.ts): KEYCHAIN_LOCKED, and nothing read, written or deleted.
  const refuse = (what: string) => {
    if (keychain.locked) throw keychainLocked(what);
  };
  const keychain = {
    entries,
    locked: false,
    async get(account: string) {
      refuse('read');
      return entries.get(account) ?? null;
    },
    async set(account: string, secret: string) {
      refuse('write');
      entries.set(account, secret);
    },
    async delete(account: string) {
      refuse('delete');
      return entries.delete(account);
    },
  };
  return keychain;
}

/** The system clipboard as a test sees it: what is on it now, and every text written, in order. */
export function memoryClipboard(initial = ''): Omit<ClipboardPort, 'writeText'> & {
  text: string;
  writes: string[];
  /** Synchronous, like Electron's: a test writes as the user would, with nothing to await. */
  writeText(text: string): void;
} {
  const board = {
    text: initial,
    writes: [] as string[],
    readText: () => board.text,
    writeText(text: string) {
      board.text = text;
      board.writes.push(text);
    },
  };
  return board;
}

/** A profile that syncs offline: plain values plus one personal secret. */
export const OFFLINE_MANIFEST = `# offline test manifest
version: 1
profiles:
  dev:
    description: Offline profile
    target: .env
    sources:
      - set: { LOG_LEVEL: debug, API_URL: "https://api.canary.test" }
      - keychain: PERSONAL_TOKEN   # asked for once
  other:
    target: .env.other
    sources:
      - set: { OTHER: "1" }
`;

/** AWS files inside the sandbox (absent until something writes them), an endpoint nothing listens on, no keys. */
function sandboxAwsEnv(root: string): NodeJS.ProcessEnv {
  return {
    HOME: root,
    AWS_CONFIG_FILE: path.join(root, 'aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(root, 'aws', 'credentials'),
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_REGION: 'us-east-1',
  };
}

export interface Sandbox {
  root: string;
  appDir: string;
  keychain: ReturnType<typeof memoryKeychain>;
  clipboard: ReturnType<typeof memoryClipboard>;
  events: { event: EventName; payload: unknown }[];
  opened: string[];
  /** Files handed to the desktop to open (latchkey.yml in the user's editor). */
  openedFiles: string[];
  logs: string[];
  router: ReturnType<typeof createRouter>;
  setPicked(dir: string | null): void;
  /** What main's save dialog answers next (default: the user cancels). */
  setSaveFile(file: string | null): void;
  /** What main's "send the token to this server?" dialog answers (default: the user confirms); every host asked. */
  setConfirmHost(answer: boolean): void;
  hostsAsked: string[];
  /**
   * Lets `dir` in as the user would (main's folder dialog answers it, then projects.pick and projects.open) and
   * returns the id the window names it by.
   */
  openProject(dir: string): Promise<string>;
  /** A new folder under the sandbox, with `manifest` as its latchkey.yml when given. */
  project(name: string, manifest?: string): string;
  /** How often main told the runtime to drop its AWS clients (after a session started or ended). */
  awsClientsForgotten(): number;
  call(method: string, payload: unknown, sender?: SenderInfo): ReturnType<ReturnType<typeof createRouter>['handle']>;
  cleanup(): void;
}

export function createSandbox(services: HandlerServices = {}): Sandbox {
  const root = mkdtempSync(path.join(tmpdir(), 'latchkey-ipc-'));
  const appDir = path.join(root, 'home');
  const keychain = memoryKeychain();
  const clipboard = memoryClipboard();
  const events: Sandbox['events'] = [];
  const opened: string[] = [];
  const openedFiles: string[] = [];
  const logs: string[] = [];
  let picked: string | null = null;
  let saveFile: string | null = null;
  let confirmHost = true;
  const hostsAsked: string[] = [];
  let awsClientsForgotten = 0;
  const handlers = createHandlers(
    {
      runtime: { ...offlineRuntime(appDir, keychain), forgetAwsClients: () => void (awsClientsForgotten += 1) },
      emit<E extends EventName>(event: E, payload: EventPayload<E>) {
        events.push({ event, payload });
      },
      pickFolder: async () => picked,
      pickSaveFile: async () => saveFile,
      confirmConnectHost: async (host) => {
        hostsAsked.push(host);
        return confirmHost;
      },
      openExternal: async (url) => {
        opened.push(url);
      },
      openFile: async (file) => {
        openedFiles.push(file);
      },
      clipboard,
    },
    // No OP_CONNECT_* from the developer's shell: 1Password is configured only through op.configure here. No
    // ~/.aws either: the aws.* methods see the sandbox's own (absent) AWS files and no endpoint.
    {
      probeAws: async () => ({ ok: true, detail: 'signed in (test)' }),
      opEnv: {},
      awsEnv: sandboxAwsEnv(root),
      ...services,
    },
  );
  const router = createRouter(handlers, {
    isTrustedSender: createSenderCheck([ORIGIN]),
    log: (line) => logs.push(line),
  });
  return {
    root,
    appDir,
    keychain,
    clipboard,
    events,
    opened,
    openedFiles,
    logs,
    router,
    setPicked(dir) {
      picked = dir;
    },
    setSaveFile(file) {
      saveFile = file;
    },
    setConfirmHost(answer) {
      confirmHost = answer;
    },
    hostsAsked,
    awsClientsForgotten: () => awsClientsForgotten,
    async openProject(dir) {
      const before = picked;
      picked = dir;
      const pick = await router.handle('projects.pick', TRUSTED, {});
      picked = before;
      if (!pick.ok) throw new Error(`projects.pick: ${pick.error.code}: ${pick.error.message}`);
      const { projectId } = (pick.value as { picked: { projectId: string } }).picked;
      const open = await router.handle('projects.open', TRUSTED, { projectId });
      if (!open.ok) throw new Error(`projects.open: ${open.error.code}: ${open.error.message}`);
      return projectId;
    },
    project(name, manifest) {
      const dir = path.join(root, 'projects', name);
      mkdirSync(dir, { recursive: true });
      if (manifest !== undefined) writeFileSync(path.join(dir, 'latchkey.yml'), manifest);
      return dir;
    },
    call(method, payload, sender = TRUSTED) {
      return router.handle(method, sender, payload);
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
