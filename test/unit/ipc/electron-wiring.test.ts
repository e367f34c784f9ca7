import { beforeEach, describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES, eventChannel, methodChannel } from '../../../contract/ipc';
import type { IpcBackend } from '../../../main/ipc';
import type { SenderInfo } from '../../../main/ipc/router';

// No Electron binary can run here: the module is replaced by the few functions main/electron/ipc.ts uses, so the
// wiring (one handler per method, the sender as the router needs it, checked events) is tested under Node.
const electron = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, payload: unknown) => unknown>(),
  removed: [] as string[],
  dialogResult: { canceled: false, filePaths: ['/picked'] } as { canceled: boolean; filePaths: string[] },
  opened: [] as string[],
}));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, payload: unknown) => unknown) => electron.handlers.set(channel, fn),
    removeHandler: (channel: string) => {
      electron.handlers.delete(channel);
      electron.removed.push(channel);
    },
  },
  dialog: { showOpenDialog: async () => electron.dialogResult },
  shell: {
    openExternal: async (url: string) => {
      electron.opened.push(url);
    },
  },
}));

const { registerIpc, createElectronEmitter, createElectronShellDeps } = await import('../../../main/electron/ipc');

function fakeWindow() {
  const sent: { channel: string; payload: unknown }[] = [];
  const mainFrame = { url: 'app://latchkey/index.html' };
  const webContents = {
    mainFrame,
    isDestroyed: () => false,
    send: (channel: string, payload: unknown) => sent.push({ channel, payload }),
  };
  const window = { webContents, isDestroyed: () => false };
  return { window, webContents, mainFrame, sent };
}

function recordingBackend() {
  const calls: { method: string; sender: SenderInfo; payload: unknown }[] = [];
  const backend: IpcBackend = {
    router: {
      async handle(method, sender, payload) {
        calls.push({ method, sender, payload });
        return { ok: true, value: {} };
      },
    },
    dispose: async () => undefined,
  };
  return { backend, calls };
}

beforeEach(() => {
  electron.handlers.clear();
  electron.removed.length = 0;
  electron.opened.length = 0;
});

describe('registerIpc', () => {
  it('registers one handler per contract method and removes them all again', () => {
    const { window } = fakeWindow();
    const unregister = registerIpc({ window: window as never, backend: recordingBackend().backend });
    expect([...electron.handlers.keys()].sort()).toEqual(METHOD_NAMES.map(methodChannel).sort());
    unregister();
    expect(electron.handlers.size).toBe(0);
    expect(electron.removed.sort()).toEqual(METHOD_NAMES.map(methodChannel).sort());
  });

  it('passes the sender frame: our top frame, a subframe, another window, a frame that is gone', async () => {
    const { window, webContents, mainFrame } = fakeWindow();
    const { backend, calls } = recordingBackend();
    registerIpc({ window: window as never, backend });
    const handle = electron.handlers.get(methodChannel('plan'))!;
    const other = fakeWindow();
    await handle({ sender: webContents, senderFrame: mainFrame }, { dir: '/p', profile: 'dev' });
    await handle({ sender: webContents, senderFrame: { url: 'app://latchkey/frame.html' } }, {});
    await handle({ sender: other.webContents, senderFrame: other.mainFrame }, {});
    await handle({ sender: webContents, senderFrame: null }, {});
    expect(calls.map((c) => [c.method, c.sender])).toEqual([
      ['plan', { url: 'app://latchkey/index.html', isMainFrame: true }],
      ['plan', { url: 'app://latchkey/frame.html', isMainFrame: false }],
      ['plan', { url: 'app://latchkey/index.html', isMainFrame: false }],
      ['plan', { url: '', isMainFrame: false }],
    ]);
    expect(calls[0]!.payload).toEqual({ dir: '/p', profile: 'dev' });
  });
});

describe('createElectronEmitter', () => {
  it('sends contract-checked payloads on the event channel, and skips a closed window', () => {
    const { window, sent } = fakeWindow();
    let current: typeof window | undefined = window;
    const emit = createElectronEmitter(() => current as never);
    emit('plan.invalidated', { dir: '/p', profile: 'dev', reason: 'target' });
    emit('sync.progress', { dir: '/p', profile: 'dev', phase: 'exploding', done: 0, total: 1 } as never);
    expect(sent).toEqual([
      { channel: eventChannel('plan.invalidated'), payload: { dir: '/p', profile: 'dev', reason: 'target' } },
    ]);
    current = undefined;
    emit('plan.invalidated', { dir: '/p', reason: 'manifest' });
    expect(sent).toHaveLength(1);
  });
});

describe('createElectronShellDeps', () => {
  it('returns the picked folder or null, and opens https links only', async () => {
    const deps = createElectronShellDeps(() => undefined);
    expect(await deps.pickFolder()).toBe('/picked');
    electron.dialogResult = { canceled: true, filePaths: [] };
    expect(await deps.pickFolder()).toBeNull();
    await deps.openExternal('https://example.com/');
    await expect(deps.openExternal('file:///etc/passwd')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(electron.opened).toEqual(['https://example.com/']);
  });
});
