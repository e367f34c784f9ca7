import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_DEBOUNCE_MS, DEFAULT_GRACE_MS } from '../../../../main/ipc/watch';
import { call, subscribe } from '../../../../renderer/api';
import { PLAN_CHUNK_ENTRIES, PLAN_HEAD_ENTRIES } from '../../../../contract/plan-packing';
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

describe('profile store: a big cached picture crosses a screenful first (issue 14, item 5)', () => {
  const KEYS = 1_234;
  const bigRef = () => ({ dir, profile: 'big' });
  const big = (): ProfileData => useProfiles.getState().byKey[profileKey(bigRef())]!;

  beforeEach(async () => {
    const values = Array.from({ length: KEYS }, (_, i) => `KEY_${String(i).padStart(4, '0')}: "v${i}"`).join(', ');
    writeFileSync(
      path.join(dir, 'latchkey.yml'),
      `${OFFLINE_MANIFEST}  big:\n    target: .env.big\n    sources:\n      - set: { ${values} }\n`,
    );
    await useProfiles.getState().runPlan(bigRef());
    expect(big().plan.plan?.entries).toHaveLength(KEYS);
    useProfiles.setState({ byKey: {} });
  });

  it('paints from the first chunk, marked partial, then holds every row of the picture', async () => {
    const shown: { rows: number; partial: boolean }[] = [];
    const off = useProfiles.subscribe((s) => {
      const plan = s.byKey[profileKey(bigRef())]?.plan;
      if (plan?.plan) shown.push({ rows: plan.plan.entries.length, partial: plan.cachedPartial === true });
    });
    try {
      await useProfiles.getState().loadCachedPlan(bigRef());
    } finally {
      off();
    }
    expect(shown[0]).toEqual({ rows: PLAN_HEAD_ENTRIES, partial: true });
    expect(shown.at(-1)).toEqual({ rows: KEYS, partial: false });
    expect(big().plan.cachedAt).toEqual(expect.any(String));
    expect(big().plan.plan?.entries.map((e) => e.name)).toEqual(
      Array.from({ length: KEYS }, (_, i) => `KEY_${String(i).padStart(4, '0')}`),
    );
  });

  it('an opening shows the profile with the picture’s first rows in, asked for once', async () => {
    // The preload's api is frozen: the page sees a copy whose plan.cached counts the asks.
    const page = globalThis as unknown as { window: { latchkey: Record<string, (input: unknown) => unknown> } };
    const ask = page.window.latchkey['plan.cached']!;
    let asks = 0;
    page.window.latchkey = {
      ...page.window.latchkey,
      'plan.cached': (input) => {
        asks++;
        return ask(input);
      },
    };
    // What the profile holds when the project screen turns from the manifest's skeleton to the profile.
    const atReady: (number | undefined)[] = [];
    const off = useProjects.subscribe((s, before) => {
      if (s.manifests[dir]?.status === 'ready' && before.manifests[dir]?.status !== 'ready')
        atReady.push(useProfiles.getState().byKey[profileKey(bigRef())]?.plan.plan?.entries.length);
    });
    try {
      useProjects.setState({ manifests: {} });
      await useProjects.getState().open(dir, 'big');
    } finally {
      off();
    }
    expect(atReady).toEqual([PLAN_HEAD_ENTRIES]);
    expect(big().plan.cachedAt).toEqual(expect.any(String));
    // The view, mounting now, asks too (ProfileView's effect): it joins the picture under way, or finds it shown.
    await useProfiles.getState().loadCachedPlan(bigRef());
    await eventually(() => expect(big().plan.plan?.entries).toHaveLength(KEYS));
    expect(asks).toBe(1);
  });

  it('never puts the picture, whole or cut, over the live plan that lands while it crosses', async () => {
    const loading = useProfiles.getState().loadCachedPlan(bigRef());
    await useProfiles.getState().runPlan(bigRef());
    const live = big().plan.plan;
    await loading;
    expect(big().plan.plan).toBe(live);
    expect(big().plan.status).toBe('ready');
    expect(big().plan.cachedAt).toBeUndefined();
    expect(big().plan.cachedPartial).toBeUndefined();
  });

  it('main serves the rest of the picture it answered, in order, once, and to no other picture', async () => {
    const projectId = projectIdOf(dir);
    const first = await call('plan.cached', { projectId, profile: 'big' });
    const cached = first.ok ? first.value.cached : undefined;
    expect(cached?.more).toBe(Math.ceil((KEYS - PLAN_HEAD_ENTRIES) / PLAN_CHUNK_ENTRIES));
    const savedAt = cached!.savedAt;
    const chunk = async (at: string, index: number) => {
      const answer = await call('plan.cachedChunk', { projectId, profile: 'big', savedAt: at, index });
      expect(answer.ok).toBe(true);
      return answer.ok ? answer.value.chunk : undefined;
    };
    // An ask about another picture gets nothing, and takes nothing from this one.
    expect(await chunk('2000-01-01T00:00:00.000Z', 1)).toBeUndefined();
    const names: string[] = [];
    for (let index = 1; index <= cached!.more; index++) {
      const text = await chunk(savedAt, index);
      expect(text).toEqual(expect.any(String));
      names.push(...(JSON.parse(text!) as { name: string }[]).map((e) => e.name));
    }
    expect(names).toEqual(
      Array.from(
        { length: KEYS - PLAN_HEAD_ENTRIES },
        (_, i) => `KEY_${String(i + PLAN_HEAD_ENTRIES).padStart(4, '0')}`,
      ),
    );
    expect(names.join()).not.toContain('canary');
    // The last chunk released what main held: asking again is asking for a picture that is gone.
    expect(await chunk(savedAt, 1)).toBeUndefined();
  });
});
