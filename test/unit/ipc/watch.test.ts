import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../../contract/ipc';
import { writeFileAtomic } from '../../../main/core/atomic-write';
import { createIpcBackend, type IpcBackend } from '../../../main/ipc';
import { createPlanWatcher, type FolderListener, type PlanWatcher } from '../../../main/ipc/watch';
import { memoryClipboard, memoryKeychain, OFFLINE_MANIFEST, offlineRuntime, TRUSTED } from '../../support/ipc-sandbox';
import { eventually, settle } from '../../support/wait';

type Invalidated = EventPayload<'plan.invalidated'>;

const DEBOUNCE = 60;
const GRACE = 250;

let root: string;
let dir: string;
let manifestPath: string;
let target: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'latchkey-watch-'));
  dir = path.join(root, 'project');
  mkdirSync(dir);
  manifestPath = path.join(dir, 'latchkey.yml');
  target = path.join(dir, '.env');
  writeFileSync(manifestPath, OFFLINE_MANIFEST);
  writeFileSync(target, 'A=1\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('createPlanWatcher on the real file system', () => {
  let events: Invalidated[];
  let watcher: PlanWatcher;
  beforeEach(() => {
    events = [];
    watcher = createPlanWatcher({ emit: (p) => events.push(p), debounceMs: DEBOUNCE, graceMs: GRACE });
  });
  afterEach(() => watcher.dispose());

  it('says "target" when the target is edited in place or replaced by a rename, once per burst', async () => {
    watcher.watch({ dir, profile: 'dev', manifestPath, target });
    writeFileSync(target, 'A=2\n');
    writeFileSync(target, 'A=3\n');
    writeFileSync(target, 'A=4\n');
    await eventually(() => expect(events).toEqual([{ dir, profile: 'dev', reason: 'target' }]));
    await settle(DEBOUNCE * 3);
    expect(events).toHaveLength(1);

    const temp = path.join(dir, '.env.editor-tmp');
    writeFileSync(temp, 'A=5\n');
    renameSync(temp, target);
    await eventually(() => expect(events).toHaveLength(2));
    expect(events[1]).toEqual({ dir, profile: 'dev', reason: 'target' });
  });

  it('says "manifest" when latchkey.yml changes, and ignores other files in the folder', async () => {
    watcher.watch({ dir, profile: 'dev', manifestPath, target });
    writeFileSync(path.join(dir, 'README.md'), 'hello');
    writeFileSync(path.join(dir, '.env.other'), 'X=1');
    await settle(DEBOUNCE * 4);
    expect(events).toEqual([]);
    writeFileSync(manifestPath, `${OFFLINE_MANIFEST}# edited\n`);
    await eventually(() => expect(events).toEqual([{ dir, profile: 'dev', reason: 'manifest' }]));
  });

  it('watches a target in a subfolder through that folder', async () => {
    const nested = path.join(dir, 'config', '.env');
    mkdirSync(path.dirname(nested));
    watcher.watch({ dir, profile: 'dev', manifestPath, target: nested });
    writeFileSync(nested, 'B=1\n');
    await eventually(() => expect(events).toEqual([{ dir, profile: 'dev', reason: 'target' }]));
  });

  it('ignores our own write while it runs and for the grace period, then sees the next outside edit', async () => {
    watcher.watch({ dir, profile: 'dev', manifestPath, target });
    await watcher.suppress(target, () => writeFileAtomic(target, 'A=ours\n'));
    await settle(DEBOUNCE * 3);
    expect(events).toEqual([]);
    await settle(GRACE);
    writeFileSync(target, 'A=theirs\n');
    await eventually(() => expect(events).toEqual([{ dir, profile: 'dev', reason: 'target' }]));
  });

  it('sees a user edit that lands right after our write, inside the grace period', async () => {
    watcher.watch({ dir, profile: 'dev', manifestPath, target });
    await watcher.suppress(target, () => writeFileAtomic(target, 'A=ours\n'));
    writeFileSync(target, 'A=edited-at-once\n');
    await eventually(() => expect(events).toEqual([{ dir, profile: 'dev', reason: 'target' }]));
  });

  it('a manifest change is never suppressed by a sync of the target', async () => {
    watcher.watch({ dir, profile: 'dev', manifestPath, target });
    await watcher.suppress(target, async () => {
      writeFileSync(manifestPath, `${OFFLINE_MANIFEST}# during sync\n`);
    });
    await eventually(() => expect(events).toEqual([{ dir, profile: 'dev', reason: 'manifest' }]));
  });

  it('stops after unwatchDir and after dispose', async () => {
    watcher.watch({ dir, profile: 'dev', manifestPath, target });
    watcher.unwatchDir(dir);
    writeFileSync(target, 'A=9\n');
    await settle(DEBOUNCE * 4);
    expect(events).toEqual([]);

    watcher.watch({ dir, profile: 'dev', manifestPath, target });
    writeFileSync(target, 'A=10\n');
    watcher.dispose();
    await settle(DEBOUNCE * 4);
    expect(events).toEqual([]);
    watcher.watch({ dir, profile: 'dev', manifestPath, target });
    writeFileSync(target, 'A=11\n');
    await settle(DEBOUNCE * 4);
    expect(events).toEqual([]);
  });

  it('keeps working without a target folder that exists', async () => {
    watcher.watch({ dir, profile: 'dev', manifestPath, target: path.join(dir, 'missing', '.env') });
    writeFileSync(manifestPath, `${OFFLINE_MANIFEST}# x\n`);
    await eventually(() => expect(events).toEqual([{ dir, profile: 'dev', reason: 'manifest' }]));
  });
});

describe('createPlanWatcher rules (injected folder watch)', () => {
  it('shares one folder watch between profiles, reports each profile, and closes what is no longer needed', () => {
    const open = new Map<string, FolderListener>();
    const closed: string[] = [];
    const events: Invalidated[] = [];
    const watcher = createPlanWatcher({
      emit: (p) => events.push(p),
      debounceMs: 0,
      watchFolder: (folder, listener) => {
        open.set(folder, listener);
        return { close: () => closed.push(folder) };
      },
    });
    watcher.watch({ dir: '/p', profile: 'dev', manifestPath: '/p/latchkey.yml', target: '/p/.env' });
    watcher.watch({ dir: '/p', profile: 'prod', manifestPath: '/p/latchkey.yml', target: '/p/deploy/.env' });
    expect([...open.keys()].sort()).toEqual(['/p', '/p/deploy']);
    watcher.unwatchDir('/p');
    expect(closed.sort()).toEqual(['/p', '/p/deploy']);
    watcher.dispose();
  });

  it('a folder-only watch (broken manifest) gives way to the profile watch', async () => {
    const listeners = new Map<string, FolderListener>();
    const events: Invalidated[] = [];
    const watcher = createPlanWatcher({
      emit: (p) => events.push(p),
      debounceMs: 0,
      watchFolder: (folder, listener) => {
        listeners.set(folder, listener);
        return { close: () => listeners.delete(folder) };
      },
    });
    watcher.watch({ dir: '/p', manifestPath: '/p/latchkey.yml' });
    listeners.get('/p')!('latchkey.yml');
    await settle(10);
    expect(events).toEqual([{ dir: '/p', reason: 'manifest' }]);
    watcher.watch({ dir: '/p', profile: 'dev', manifestPath: '/p/latchkey.yml', target: '/p/.env' });
    listeners.get('/p')!('latchkey.yml');
    await settle(10);
    expect(events).toEqual([
      { dir: '/p', reason: 'manifest' },
      { dir: '/p', profile: 'dev', reason: 'manifest' },
    ]);
    watcher.dispose();
  });
});

describe('the backend: a sync does not invalidate itself, an outside edit does', () => {
  let backend: IpcBackend;
  let events: { event: EventName; payload: unknown }[];
  beforeEach(() => {
    events = [];
    const keychain = memoryKeychain();
    backend = createIpcBackend({
      runtime: offlineRuntime(path.join(root, 'home'), keychain),
      emit: (event, payload) => {
        events.push({ event, payload });
      },
      // The project folder, as main's folder dialog answers it.
      pickFolder: async () => dir,
      // Nothing here configures 1Password: a new Connect server would be refused, as an unconfirmed one is.
      confirmConnectHost: async () => false,
      openExternal: async () => undefined,
      clipboard: memoryClipboard(),
      allowedOrigins: ['https://latchkey.test'],
    });
  });
  afterEach(() => backend.dispose());

  it('watches after a plan, stays quiet through the sync, and speaks up for an editor', async () => {
    const invalidations = () => events.filter((e) => e.event === 'plan.invalidated').map((e) => e.payload);
    const picked = await backend.router.handle('projects.pick', TRUSTED, {});
    const { projectId } = (picked as { ok: true; value: { picked: { projectId: string } } }).value.picked;
    const call = (method: string, payload: object) => backend.router.handle(method, TRUSTED, { projectId, ...payload });
    expect((await call('secrets.setPersonal', { name: 'PERSONAL_TOKEN', value: 'tok' })).ok).toBe(true);
    expect((await call('plan', { profile: 'dev' })).ok).toBe(true);
    expect(await call('sync', { profile: 'dev' })).toMatchObject({
      ok: true,
      value: { wrote: true },
    });
    await settle(400);
    expect(invalidations()).toEqual([]);
    await settle(600);
    writeFileSync(target, 'EDITED=1\n');
    await eventually(() => expect(invalidations()).toEqual([{ dir, profile: 'dev', reason: 'target' }]));
  });
});
