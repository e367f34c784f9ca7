import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../../../../renderer/api';
import { pendingSummary, syncBlocker } from '../../../../renderer/lib/plan-summary';
import { profileKey, useProfiles, type ProfileData } from '../../../../renderer/state/profile-store';
import { projectIdOf } from '../../../../renderer/state/project-ids';
import { useProjects } from '../../../../renderer/state/projects-store';
import { OFFLINE_MANIFEST } from '../../../support/ipc-sandbox';
import { installRendererBridge, type RendererBridge } from '../../../support/renderer-bridge';

// Issue 14, item 1: one personal secret not set yet marks its own row; the store keeps the whole plan, and a sync
// is refused with the reason, until the secret is set. Over the real preload, router and use cases.

const CANARY = 'canary-partial-plan-7Qz';
let root: string;
let dir: string;
let bridge: RendererBridge;
beforeEach(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'latchkey-partial-plan-'));
  dir = path.join(root, 'project');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'latchkey.yml'), OFFLINE_MANIFEST);
  bridge = installRendererBridge(path.join(root, 'home'));
  useProfiles.setState({ byKey: {} });
  bridge.setPickedFolder(dir);
  await useProjects.getState().pickAndOpen();
});
afterEach(async () => {
  await bridge.dispose();
  rmSync(root, { recursive: true, force: true });
});

const ref = () => ({ dir, profile: 'dev' });
const data = (): ProfileData => useProfiles.getState().byKey[profileKey(ref())]!;

describe('a personal secret not set yet', () => {
  it('is one needs-input row of a whole plan, blocks the sync with the reason, and plans as new once set', async () => {
    await useProfiles.getState().runPlan(ref());
    expect(data().plan.status).toBe('ready');
    expect(data().plan.error).toBeUndefined();
    const plan = data().plan.plan!;
    expect(plan.entries.map((e) => [e.name, e.status]).sort()).toEqual([
      ['API_URL', 'add'],
      ['LOG_LEVEL', 'add'],
      ['PERSONAL_TOKEN', 'needs-input'],
    ]);
    expect(syncBlocker(plan)).toEqual({ text: '1 key needs input', tone: 'warn' });
    expect(pendingSummary(plan, false, false).text).toBe('1 key needs input');

    // A sync that gets through anyway (the shortcut, a race) is refused by main, naming the key, and writes nothing.
    expect(await useProfiles.getState().runSync(ref())).toBe(false);
    expect(data().sync.error).toMatchObject({ code: 'NEEDS_INPUT', missing: ['PERSONAL_TOKEN'] });

    const set = await call('secrets.setPersonal', {
      projectId: projectIdOf(dir),
      name: 'PERSONAL_TOKEN',
      value: CANARY,
    });
    expect(set.ok).toBe(true);
    await useProfiles.getState().runPlan(ref(), { quiet: true });
    const after = data().plan.plan!;
    expect(after.entries.find((e) => e.name === 'PERSONAL_TOKEN')?.status).toBe('add');
    expect(syncBlocker(after)).toBeUndefined();
    expect(JSON.stringify(useProfiles.getState().byKey)).not.toContain(CANARY);
    expect(await useProfiles.getState().runSync(ref())).toBe(true);
  });
});
