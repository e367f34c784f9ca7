import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freshBundle } from '../../support/built-bundles';
import { loadMainBundle } from '../../support/electron-main';

// The shipped main bundle when another Latchkey already holds the single-instance lock (a file of its own: the
// bundle runs its top-level code once per process). It must quit at once and never open a window or a backend.

const work = mkdtempSync(path.join(tmpdir(), 'latchkey-main-locked-'));
const savedEnv = { ...process.env };
afterAll(() => {
  process.env = savedEnv;
  rmSync(work, { recursive: true, force: true });
});

it('quits without a window when the single-instance lock is taken', async () => {
  process.env.LATCHKEY_HOME = path.join(work, 'home');
  const { electron } = await loadMainBundle(freshBundle('main'), { singleInstanceLock: false });
  expect(electron.quitCount).toBe(1);
  electron.makeReady();
  await new Promise((r) => setTimeout(r, 100));
  expect(electron.windows).toEqual([]);
  expect(electron.ipcHandlers.size).toBe(0);
  expect(electron.protocolHandlers.size).toBe(0);
  expect(electron.app.listenerCount('second-instance')).toBe(0);
});
