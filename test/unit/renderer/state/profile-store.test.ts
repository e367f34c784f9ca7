import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_DEBOUNCE_MS, DEFAULT_GRACE_MS } from '../../../../main/ipc/watch';
import { call, subscribe } from '../../../../renderer/api';
import { standingSyncResult, useMainState } from '../../../../renderer/state/main-state';
import { profileKey, useProfiles, type ProfileData } from '../../../../renderer/state/profile-store';
import { projectIdOf } from '../../../../renderer/state/project-ids';
import { useProjects } from '../../../../renderer/state/projects-store';
import { OFFLINE_MANIFEST } from '../../../support/ipc-sandbox';
import { installRendererBridge, type RendererBridge } from '../../../support/renderer-bridge';
import { eventually, settle } from '../../../support/wait';

// The store as the app runs it: window.latchkey from the real preload over the real router and file watcher, and
// plan.invalidated wired to onInvalidated as App.tsx wires it. Which disk events are our own write's echo is
// decided in main (main/ipc/watch.ts); the store takes every event it is given.

let root: string;
let dir: string;
let target: string;
let bridge: RendererBridge;
let offInvalidated: () => void;
beforeEach(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'latchkey-profile-store-'));
  dir = path.join(root, 'project');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'latchkey.yml'), OFFLINE_MANIFEST);
  target = path.join(dir, '.env');
  bridge = installRendererBridge(path.join(root, 'home'));
  offInvalidated = subscribe('plan.invalidated', (p) => useProfiles.getState().onInvalidated(p));
  useProfiles.setState({ byKey: {} });
  // The folder enters as the user opens it: main's dialog answers it, the renderer's own store opens it.
  bridge.setPickedFolder(dir);
  await useProjects.getState().pickAndOpen();
  const projectId = projectIdOf(dir);
  expect(projectId).not.toBe('');
  expect((await call('secrets.setPersonal', { projectId, name: 'PERSONAL_TOKEN', value: 'canary-personal' })).ok).toBe(
    true,
  );
});
afterEach(async () => {
  offInvalidated();
  await bridge.dispose();
  rmSync(root, { recursive: true, force: true });
});

const ref = () => ({ dir, profile: 'dev' });
const data = (): ProfileData => useProfiles.getState().byKey[profileKey(ref())]!;
const planSettled = () => expect(data().plan.status).toBe('ready');

describe('profile store: one echo rule (main decides what is our own write)', () => {
  it('an edit made right after a sync from the app reaches the renderer and marks the plan stale', async () => {
    await useProfiles.getState().runPlan(ref());
    expect(await useProfiles.getState().runSync(ref())).toBe(true);
    expect(data().sync.result?.wrote).toBe(true);

    // At once, while the sync's own re-plan may still be in flight: someone edits the file by hand.
    writeFileSync(target, `${readFileSync(target, 'utf8')}HAND_EDIT=1\n`);
    await eventually(() => {
      planSettled();
      expect(data().plan.stale).toBe('target');
    }, 5000);
  });

  it('a sync on its own leaves the plan current: main drops the echo of our write', async () => {
    await useProfiles.getState().runPlan(ref());
    expect(await useProfiles.getState().runSync(ref())).toBe(true);
    await eventually(planSettled);
    // Past the watcher's debounce and its grace after our write: any echo would have arrived by now.
    await settle(DEFAULT_DEBOUNCE_MS + DEFAULT_GRACE_MS + 200);
    expect(data().plan.stale).toBeUndefined();
  });

  it('a change that lands while a plan is in flight makes that plan stale when it arrives', async () => {
    await useProfiles.getState().runPlan(ref());
    const replan = useProfiles.getState().runPlan(ref());
    useProfiles.getState().onInvalidated({ dir, profile: 'dev', reason: 'manifest' });
    await replan;
    expect(data().plan.stale).toBe('manifest');
  });

  it('an event names the profiles it concerns: another folder or profile is left alone', async () => {
    await useProfiles.getState().runPlan(ref());
    await useProfiles.getState().runPlan({ dir, profile: 'other' });
    const other = () => useProfiles.getState().byKey[profileKey({ dir, profile: 'other' })]!;

    useProfiles.getState().onInvalidated({ dir: path.join(root, 'elsewhere'), reason: 'manifest' });
    useProfiles.getState().onInvalidated({ dir, profile: 'other', reason: 'target' });
    expect(data().plan.stale).toBeUndefined();
    expect(other().plan.stale).toBe('target');

    // Without a profile, the event is about the folder's manifest: every profile of it is stale.
    useProfiles.getState().onInvalidated({ dir, reason: 'manifest' });
    expect(data().plan.stale).toBe('manifest');
    expect(other().plan.stale).toBe('manifest');
  });
});

describe('profile store: a sync result stands while main holds that sync as the last', () => {
  // The panel shows the window's own result only while main's pushed state (state.changed) still names that sync.
  let offState: () => void;
  beforeEach(() => {
    useMainState.setState({ revision: 0, profiles: {} });
    offState = subscribe('state.changed', (p) => useMainState.getState().onState(p));
  });
  afterEach(() => offState());
  const pushed = () => useMainState.getState().profiles[profileKey(ref())];
  const standing = () => standingSyncResult(data().sync.result, pushed());

  it('an in-sync re-plan keeps "Wrote .env"; a plan that finds a conflict ends it', async () => {
    await useProfiles.getState().runPlan(ref());
    expect(await useProfiles.getState().runSync(ref())).toBe(true);
    await eventually(planSettled);
    await eventually(() => expect(standing()?.wrote).toBe(true));
    await useProfiles.getState().runPlan(ref());
    expect(standing()?.wrote).toBe(true);

    writeFileSync(target, readFileSync(target, 'utf8').replace('LOG_LEVEL=debug', 'LOG_LEVEL=trace'));
    await useProfiles.getState().runPlan(ref());
    expect(data().plan.plan!.counts.conflict).toBe(1);
    await eventually(() => expect(pushed()?.lastSync).toBeUndefined());
    expect(standing()).toBeUndefined();
  });

  it('keeps "Wrote .env" while the re-plan shows only what was held back; new work ends it', async () => {
    await useProfiles.getState().runPlan(ref());
    useProfiles.getState().setChoice(ref(), 'API_URL', 'keep-local');
    expect(await useProfiles.getState().runSync(ref())).toBe(true);
    await eventually(planSettled);
    expect(readFileSync(target, 'utf8')).not.toContain('API_URL');
    await useProfiles.getState().runPlan(ref());
    // The held-back add is offered again, and the result of the sync the user just made stands beside it.
    expect(data().plan.plan!.entries.find((e) => e.name === 'API_URL')?.status).toBe('add');
    await eventually(() => expect(standing()?.wrote).toBe(true));
    expect(pushed()?.lastSync?.heldBack).toBe(1);

    writeFileSync(target, readFileSync(target, 'utf8').replace('LOG_LEVEL=debug', 'LOG_LEVEL=trace'));
    await useProfiles.getState().runPlan(ref());
    expect(data().plan.plan!.counts.conflict).toBe(1);
    await eventually(() => expect(pushed()?.lastSync).toBeUndefined());
    expect(standing()).toBeUndefined();
  });

  it("a later sync from elsewhere ends this window's result", async () => {
    await useProfiles.getState().runPlan(ref());
    expect(await useProfiles.getState().runSync(ref())).toBe(true);
    await eventually(() => expect(standing()?.wrote).toBe(true));
    // Another window (the same main) syncs the profile: the pushed last sync is that one now.
    const other = await call('sync', { projectId: projectIdOf(dir), profile: 'dev' });
    expect(other.ok).toBe(true);
    await eventually(() => expect(pushed()?.lastSync?.at).toBe(other.ok ? other.value.syncedAt : ''));
    expect(data().sync.status).toBe('done');
    expect(standing()).toBeUndefined();
  });
});

describe('profile store: conflict choices', () => {
  it('sends take-remote for the chosen keys and keeps choices only for keys still with a change', async () => {
    await useProfiles.getState().runPlan(ref());
    await useProfiles.getState().runSync(ref());
    await eventually(planSettled);
    writeFileSync(target, readFileSync(target, 'utf8').replace('LOG_LEVEL=debug', 'LOG_LEVEL=trace'));
    await useProfiles.getState().runPlan(ref());
    const conflict = data().plan.plan!.entries.find((e) => e.name === 'LOG_LEVEL');
    expect(conflict?.status).toBe('conflict');

    useProfiles.getState().setChoice(ref(), 'LOG_LEVEL', 'take-remote');
    useProfiles.getState().setChoice(ref(), 'API_URL', 'take-remote');
    await useProfiles.getState().runPlan(ref());
    // API_URL has no change: its choice is dropped; LOG_LEVEL's reached main.
    expect(data().choices).toEqual({ LOG_LEVEL: 'take-remote' });
    expect(data().plan.plan!.entries.find((e) => e.name === 'LOG_LEVEL')?.resolution).toBe('take-remote');

    // keep-local is stored too: a conflict's default, but an unticked add, change or removal for main (keepLocal).
    useProfiles.getState().setChoice(ref(), 'LOG_LEVEL', 'keep-local');
    expect(data().choices).toEqual({ LOG_LEVEL: 'keep-local' });
    await useProfiles.getState().runPlan(ref());
    expect(data().plan.plan!.entries.find((e) => e.name === 'LOG_LEVEL')?.resolution).toBe('keep-local');
  });
});

describe('profile store: the cached first picture (issue 14, item 5)', () => {
  it('shows main’s cached last plan, marked, only while no plan is shown; the live plan clears the mark', async () => {
    // Never planned: nothing cached, nothing shown.
    await useProfiles.getState().loadCachedPlan(ref());
    expect(useProfiles.getState().byKey[profileKey(ref())]?.plan.plan).toBeUndefined();

    await useProfiles.getState().runPlan(ref());
    const live = data().plan.plan!;
    expect(data().plan.cachedAt).toBeUndefined();
    // With a plan shown, the cached picture does not replace it.
    await useProfiles.getState().loadCachedPlan(ref());
    expect(data().plan.plan).toBe(live);
    expect(data().plan.cachedAt).toBeUndefined();

    // The window opens again (a fresh store): the picture comes first, then the live plan replaces it.
    useProfiles.setState({ byKey: {} });
    await useProfiles.getState().loadCachedPlan(ref());
    expect(data().plan.cachedAt).toEqual(expect.any(String));
    expect(data().plan.plan?.entries.map((e) => [e.name, e.status])).toEqual(
      live.entries.map((e) => [e.name, e.status]),
    );
    expect(JSON.stringify(data().plan.plan)).not.toContain('canary-personal');
    await useProfiles.getState().runPlan(ref());
    planSettled();
    expect(data().plan.cachedAt).toBeUndefined();
  });
});
