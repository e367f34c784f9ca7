import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPaletteData, paletteSnapshot, runPaletteCommand } from '../../../../renderer/lib/commands';
import { derivePaletteCommands } from '../../../../renderer/lib/palette-commands';
import { syncNow } from '../../../../renderer/profile/actions';
import { useApp } from '../../../../renderer/state/app-store';
import { usePalette } from '../../../../renderer/state/palette-store';
import { profileKey, useProfiles } from '../../../../renderer/state/profile-store';
import { useProjects } from '../../../../renderer/state/projects-store';
import { OFFLINE_MANIFEST } from '../../../support/ipc-sandbox';
import { installRendererBridge, type RendererBridge } from '../../../support/renderer-bridge';
import { eventually } from '../../../support/wait';

// The palette's loading and running over the real preload and router (offline runtime): what it asks main for when
// it opens, and what a command found there does.

let root: string;
let dir: string;
let bridge: RendererBridge;
let calls: string[];

beforeEach(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'latchkey-palette-'));
  dir = path.join(root, 'project');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'latchkey.yml'), OFFLINE_MANIFEST);
  bridge = installRendererBridge(path.join(root, 'home'));
  bridge.setPickedFolder(dir);
  await useProjects.getState().pickAndOpen();
  // A later start of the app: the project is only in the recent list, nothing of it is loaded.
  useProjects.setState({ projects: null, manifests: {} });
  useProfiles.setState({ byKey: {} });
  useApp.getState().showProject(null);
  usePalette.setState({ logins: [], loginsAt: 0 });
  const holder = globalThis as unknown as { window: { latchkey: Record<string, unknown> } };
  const api = holder.window.latchkey;
  calls = [];
  holder.window = {
    latchkey: new Proxy(api, {
      get(target, key: string) {
        calls.push(key);
        return target[key];
      },
    }),
  };
});
afterEach(async () => {
  await bridge.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('palette data', () => {
  it('reads the recent projects’ manifests, the AWS profiles and the logins on opening, and plans nothing', async () => {
    loadPaletteData();
    await eventually(() => expect(useProjects.getState().manifests[dir]?.status).toBe('ready'));
    await eventually(() => expect(calls).toEqual(expect.arrayContaining(['aws.list', 'logins.search'])));
    expect(calls).toEqual(expect.arrayContaining(['projects.list', 'manifest.read']));
    expect(calls.filter((c) => c === 'plan' || c === 'sync' || c === 'readiness')).toEqual([]);

    const commands = derivePaletteCommands(paletteSnapshot());
    const sync = commands.find((c) => c.id === `sync:${dir}:other`);
    expect(sync).toMatchObject({ label: 'Sync project ▸ other' });
    expect(sync?.disabled).toBeUndefined();
    // 1Password is not set up here: no login commands, and nothing else is missing for it.
    expect(commands.filter((c) => c.group === 'Logins')).toEqual([]);
  });

  it('runs "Sync <project> ▸ <profile>": opens the profile with its plan, and writes on the confirming press', async () => {
    loadPaletteData();
    await eventually(() => expect(useProjects.getState().manifests[dir]?.status).toBe('ready'));
    const sync = derivePaletteCommands(paletteSnapshot()).find((c) => c.id === `sync:${dir}:other`)!;
    await runPaletteCommand(sync);

    const app = useApp.getState();
    expect([app.screen, app.projectDir, app.profile, app.panel]).toEqual(['projects', dir, 'other', 'plan']);
    // "Confirm before sync" is on by default: the plan is shown, nothing is written yet.
    await eventually(() =>
      expect(useProfiles.getState().byKey[profileKey({ dir, profile: 'other' })]?.plan.status).toBe('ready'),
    );
    expect(calls).not.toContain('sync');
    expect(existsSync(path.join(dir, '.env.other'))).toBe(false);
    syncNow({ dir, profile: 'other' });
    await eventually(() =>
      expect(useProfiles.getState().byKey[profileKey({ dir, profile: 'other' })]?.sync.status).toBe('done'),
    );
    expect(useProfiles.getState().byKey[profileKey({ dir, profile: 'other' })]?.sync.status).toBe('done');
    expect(readFileSync(path.join(dir, '.env.other'), 'utf8')).toContain('OTHER=1');
    expect(existsSync(path.join(dir, '.env'))).toBe(false);
    expect(usePalette.getState().recent[0]).toBe(`sync:${dir}:other`);
    // The sync's own follow-ups (a quiet re-plan, the checklist) land before the folder goes.
    await eventually(() => {
      const after = useProfiles.getState().byKey[profileKey({ dir, profile: 'other' })];
      expect([after?.plan.status, after?.readiness.status]).toEqual(['ready', 'ready']);
    });
  });

  it('does nothing for a disabled command', async () => {
    loadPaletteData();
    await eventually(() => expect(useProjects.getState().manifests[dir]?.status).toBe('ready'));
    const sync = derivePaletteCommands(paletteSnapshot()).find((c) => c.id === `sync:${dir}:dev`)!;
    const before = calls.length;
    await runPaletteCommand({ ...sync, disabled: 'Sync is not possible yet: 1 key needs input' });
    expect(calls.length).toBe(before);
    expect(useApp.getState().projectDir).toBeNull();
    expect(existsSync(path.join(dir, '.env'))).toBe(false);
  });
});
