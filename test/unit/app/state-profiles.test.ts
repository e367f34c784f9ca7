import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AwsProfileView, EventPayload, ProfileState, ReadinessItem } from '../../../contract/ipc';
import { heldBackFile, type Plan, type PlanEntry, type PlanFile } from '../../../contract/plan';
import { createStateStore, type StateChange } from '../../../main/app/state-store';
import { createSandbox, OFFLINE_MANIFEST, type Sandbox } from '../../support/ipc-sandbox';

// The one state model (issue 14, deliver 2), per profile: plan summaries, sync results and checklists derived in
// main's state store and pushed with the sessions. First the store alone over derivations the test controls, then
// behind the real handlers over an offline project, with canaries that must never reach a push.

const AT = { dir: '/work/acme', profile: 'dev' };
const session = (active: boolean): AwsProfileView => ({
  name: 'dev',
  kind: 'keychain-keys',
  latchkeyProcess: false,
  isDefault: false,
  session: { active, managed: active },
});
const item = (id: string, state: ReadinessItem['state']): ReadinessItem => ({ id, label: id, state });
const entry = (name: string, status: PlanEntry['status']) => ({ name, status }) as PlanEntry;
function plan(entries: PlanEntry[]): Plan {
  const counts: Record<string, number> = {};
  for (const e of entries) counts[e.status] = (counts[e.status] ?? 0) + 1;
  return {
    profile: 'dev',
    manifestPath: 'latchkey.yml',
    target: '.env',
    dialect: 'portable',
    entries,
    files: [],
    counts: counts as Plan['counts'],
    warnings: [],
    gitignoreNeeded: false,
    writes: entries.some((e) => e.status !== 'unchanged'),
  };
}

function storeOver(truth: { sessions: AwsProfileView[]; readiness: () => ReadinessItem[] }) {
  const pushed: StateChange[] = [];
  let clock = Date.parse('2030-01-01T00:00:00.000Z');
  const store = createStateStore({
    readSessions: async () => truth.sessions,
    readReadiness: async () => truth.readiness(),
    emit: (c) => void pushed.push(c),
    now: () => clock,
  });
  const profile = (): ProfileState | undefined => pushed.at(-1)?.profiles.find((p) => p.profile === AT.profile);
  return { store, pushed, profile, tick: (ms: number) => (clock += ms) };
}

describe('the state store, per profile', () => {
  it('keeps and pushes a checklist, and checks it again (once, in main) when a session starts', async () => {
    let readinessReads = 0;
    const truth = {
      sessions: [session(false)],
      readiness: () => {
        readinessReads += 1;
        return [item('aws-sessions', truth.sessions[0]!.session.active ? 'ok' : 'missing')];
      },
    };
    const { store, pushed, profile } = storeOver(truth);
    await store.refresh();
    expect(await store.readiness(AT)).toEqual([item('aws-sessions', 'missing')]);
    expect(profile()?.readiness).toEqual([item('aws-sessions', 'missing')]);
    const revision = pushed.at(-1)!.revision;

    truth.sessions = [session(true)];
    await store.refresh();
    expect(readinessReads).toBe(2);
    // One push carries both: the session and the checklist that follows from it, so they cannot disagree.
    expect(pushed.at(-1)!.revision).toBe(revision + 1);
    expect(pushed.at(-1)!.sessions[0]!.session.active).toBe(true);
    expect(profile()?.readiness).toEqual([item('aws-sessions', 'ok')]);

    // Nothing changed: no derivation, no push.
    await store.refresh();
    expect(readinessReads).toBe(2);
    expect(pushed.at(-1)!.revision).toBe(revision + 1);
  });

  it('a checklist without an AWS item is not checked again; one that fails to re-derive keeps what it had', async () => {
    let fail = false;
    let items = [item('target-ignored', 'ok')];
    const truth = {
      sessions: [session(false)],
      readiness: () => {
        if (fail) throw new Error('probe failed');
        return items;
      },
    };
    const { store, profile } = storeOver(truth);
    await store.refresh();
    await store.readiness(AT);
    items = [item('target-ignored', 'missing')];
    truth.sessions = [session(true)];
    await store.refresh();
    expect(profile()?.readiness).toEqual([item('target-ignored', 'ok')]);

    items = [item('aws-sessions', 'ok')];
    await store.readiness(AT);
    fail = true;
    truth.sessions = [session(false)];
    await store.refresh();
    expect(profile()?.readiness).toEqual([item('aws-sessions', 'ok')]);
    await expect(store.readiness(AT)).rejects.toThrow('probe failed');
    expect(profile()?.readiness).toEqual([item('aws-sessions', 'ok')]);
  });

  it('summarises a plan; a cached picture never replaces a live one', async () => {
    const { store, pushed, profile, tick } = storeOver({ sessions: [], readiness: () => [] });
    store.planned(AT, plan([entry('A', 'unchanged'), entry('B', 'add')]), { cachedAt: '2029-12-31T00:00:00.000Z' });
    expect(profile()?.plan).toEqual({
      counts: { unchanged: 1, add: 1 },
      plannedAt: '2029-12-31T00:00:00.000Z',
      cached: true,
      inSync: false,
    });
    tick(5_000);
    store.planned(AT, plan([entry('A', 'unchanged'), entry('B', 'unchanged')]));
    expect(profile()?.plan).toEqual({
      counts: { unchanged: 2 },
      plannedAt: '2030-01-01T00:00:05.000Z',
      cached: false,
      inSync: true,
    });
    const count = pushed.length;
    store.planned(AT, plan([entry('B', 'add')]), { cachedAt: '2029-12-31T00:00:00.000Z' });
    expect(pushed).toHaveLength(count);
    // A blocker is not "in sync", though nothing would be written.
    store.planned(AT, plan([entry('A', 'unchanged'), entry('T', 'needs-input')]));
    expect(profile()?.plan?.inSync).toBe(false);
  });

  it('a sync result stands while plans find nothing new, and a newer plan with new work supersedes it', async () => {
    const { store, profile, tick } = storeOver({ sessions: [], readiness: () => [] });
    store.planned(AT, plan([entry('A', 'add'), entry('B', 'add'), entry('C', 'change')]));
    tick(1_000);
    store.synced(AT, { wrote: true, heldBack: ['C'] });
    expect(profile()?.lastSync).toEqual({ wrote: true, heldBack: 1, at: '2030-01-01T00:00:01.000Z' });
    // The sync's plan was what there was to do; the summary waits for the plan after it.
    expect(profile()?.plan).toBeUndefined();

    // The plan after it: only the change the user held back is left. The result stands.
    store.planned(AT, plan([entry('A', 'unchanged'), entry('B', 'unchanged'), entry('C', 'change')]));
    expect(profile()?.lastSync?.wrote).toBe(true);
    // Then in sync: it still stands.
    store.planned(AT, plan([entry('A', 'unchanged'), entry('B', 'unchanged'), entry('C', 'unchanged')]));
    expect(profile()?.lastSync?.wrote).toBe(true);
    // A cached picture never ends it.
    store.planned(AT, plan([entry('A', 'conflict')]), { cachedAt: '2029-12-31T00:00:00.000Z' });
    expect(profile()?.lastSync?.wrote).toBe(true);
    // A source that cannot be read now tells nothing new about the file: it stands.
    store.planned(AT, {
      ...plan([entry('A', 'source-offline')]),
      offline: [{ kind: 'chamber', refs: ['api/dev'], reason: 'down' }],
    });
    expect(profile()?.lastSync?.wrote).toBe(true);
    // A key that needs input is something to do.
    store.planned(AT, plan([entry('A', 'unchanged'), entry('D', 'needs-input')]));
    expect(profile()?.lastSync).toBeUndefined();
    store.synced(AT, { wrote: true, heldBack: [] });
    // A conflict found later: "Wrote .env" no longer stands above it.
    store.planned(AT, plan([entry('A', 'conflict'), entry('B', 'unchanged'), entry('C', 'unchanged')]));
    expect(profile()?.lastSync).toBeUndefined();
    expect(profile()?.plan).toMatchObject({ counts: { conflict: 1, unchanged: 2 }, inSync: false });
  });

  it('a file secret held back in the sync does not end its result; a file change found later does', async () => {
    const { store, profile } = storeOver({ sessions: [], readiness: () => [] });
    const withFile = (status: PlanFile['status']): Plan => {
      const p = plan([entry('A', 'unchanged')]);
      return { ...p, files: [{ path: 'certs/key.pem', status } as PlanFile], counts: { ...p.counts, [status]: 1 } };
    };
    store.planned(AT, withFile('change'));
    store.synced(AT, { wrote: false, heldBack: [heldBackFile('certs/key.pem')] });
    store.planned(AT, withFile('change'));
    expect(profile()?.lastSync).toMatchObject({ wrote: false, heldBack: 1 });

    // The same held-back change under a variable's name would be new work: names and paths stay apart.
    store.synced(AT, { wrote: false, heldBack: ['certs/key.pem'] });
    store.planned(AT, withFile('change'));
    expect(profile()?.lastSync).toBeUndefined();
  });

  it('another profile is summarised apart', async () => {
    const { store, pushed } = storeOver({ sessions: [], readiness: () => [] });
    store.planned(AT, plan([entry('A', 'add')]));
    store.planned({ ...AT, profile: 'prod' }, plan([entry('A', 'unchanged')]));
    expect(pushed.at(-1)!.profiles.map((p) => [p.profile, p.plan?.inSync])).toEqual([
      ['dev', false],
      ['prod', true],
    ]);
  });
});

describe('the per-profile state behind the handlers', () => {
  const TOKEN = 'personal-token-canary-7d1f';
  let sb: Sandbox;
  let dir: string;
  let projectId: string;
  const pushes = () =>
    sb.events.filter((e) => e.event === 'state.changed').map((e) => e.payload as EventPayload<'state.changed'>);
  const dev = () =>
    pushes()
      .at(-1)
      ?.profiles.find((p) => p.profile === 'dev');

  beforeEach(async () => {
    sb = createSandbox();
    dir = sb.project('acme', OFFLINE_MANIFEST);
    projectId = await sb.openProject(dir);
  });
  afterEach(() => sb.cleanup());

  it('readiness, plan and sync reach the push; failed ones leave it as it was; no value in any push', async () => {
    const readiness = await sb.call('readiness', { projectId, profile: 'dev' });
    expect(readiness.ok).toBe(true);
    expect(dev()).toMatchObject({ dir, profile: 'dev' });
    expect(dev()?.readiness).toEqual((readiness as { value: { items: unknown } }).value.items);

    // A personal secret not set: a partial plan (its own row needs input), summarised, and a sync that refuses.
    expect((await sb.call('plan', { projectId, profile: 'dev' })).ok).toBe(true);
    expect(dev()?.plan).toMatchObject({ counts: { add: 2, 'needs-input': 1 }, cached: false, inSync: false });
    const before = pushes().length;
    const beforeState = dev();
    expect((await sb.call('sync', { projectId, profile: 'dev' })).ok).toBe(false);
    expect(pushes()).toHaveLength(before);

    const set = await sb.call('secrets.setPersonal', { projectId, name: 'PERSONAL_TOKEN', value: TOKEN });
    expect(set.ok).toBe(true);
    expect((await sb.call('sync', { projectId, profile: 'dev' })).ok).toBe(true);
    expect(dev()?.lastSync).toMatchObject({ wrote: true, heldBack: 0 });
    expect((await sb.call('plan', { projectId, profile: 'dev' })).ok).toBe(true);
    expect(dev()?.plan).toMatchObject({ counts: { unchanged: 3 }, inSync: true });
    expect(dev()?.lastSync?.wrote).toBe(true);

    // A manifest broken under it: the plan fails, and the state is as it was.
    const settled = pushes().length;
    const settledState = dev();
    writeFileSync(path.join(dir, 'latchkey.yml'), 'version: 1\nprofiles: [unterminated\n');
    expect((await sb.call('plan', { projectId, profile: 'dev' })).ok).toBe(false);
    expect((await sb.call('sync', { projectId, profile: 'dev' })).ok).toBe(false);
    expect(pushes()).toHaveLength(settled);
    expect(dev()).toEqual(settledState);
    expect(beforeState).not.toEqual(settledState);

    const pushed = JSON.stringify(pushes());
    for (const canary of [TOKEN, 'api.canary.test', 'debug']) expect(pushed).not.toContain(canary);
  });
});
