import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useApp } from '../../../../renderer/state/app-store';
import { useProjects } from '../../../../renderer/state/projects-store';
import { sharedKeyId, useSharedSecrets } from '../../../../renderer/state/shared-secrets-store';
import { OFFLINE_MANIFEST } from '../../../support/ipc-sandbox';
import { installRendererBridge, type RendererBridge } from '../../../support/renderer-bridge';
import { eventually } from '../../../support/wait';

// The key drawer's store over the real preload and router (offline: no SSM, so every shared-key call is refused
// by main, which is what these cases need): a typed value is sent and kept nowhere, a refusal is kept as main said
// it, and rotation progress for another key is ignored.

const TYPED = 'canary-store-typed-19ab';
let root: string;
let dir: string;
let bridge: RendererBridge;

beforeEach(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'latchkey-shared-store-'));
  dir = path.join(root, 'project');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'latchkey.yml'), OFFLINE_MANIFEST);
  bridge = installRendererBridge(path.join(root, 'home'));
  useSharedSecrets.setState({ drawer: null, described: {}, rotation: null, write: null });
  bridge.setPickedFolder(dir);
  await useProjects.getState().pickAndOpen();
});
afterEach(async () => {
  await bridge.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('shared-secrets store', () => {
  it('opens the drawer as the key panel and keeps what main refused, for a key no shared source gives', async () => {
    const target = { ref: { dir, profile: 'dev' }, key: 'LOG_LEVEL' };
    useSharedSecrets.getState().openDrawer(target.ref, target.key);
    expect(useApp.getState().panel).toBe('key');
    await eventually(() => expect(useSharedSecrets.getState().described[sharedKeyId(target)]?.status).toBe('error'));
    expect(useSharedSecrets.getState().described[sharedKeyId(target)]).toMatchObject({
      status: 'error',
      error: { code: 'SOURCE_NOT_FOUND' },
    });
    useSharedSecrets.getState().closeDrawer();
    expect(useApp.getState().panel).toBe(null);
  });

  it('a typed value is sent and kept nowhere in the store, whatever main answers', async () => {
    const target = { ref: { dir, profile: 'dev' }, key: 'LOG_LEVEL' };
    expect(await useSharedSecrets.getState().save(target, TYPED, 1)).toBe(false);
    const state = useSharedSecrets.getState();
    expect(state.write).toMatchObject({ status: 'error', error: { code: 'SOURCE_NOT_FOUND' } });
    expect(JSON.stringify(state)).not.toContain(TYPED);
    expect(state.write?.error?.message ?? '').not.toContain(TYPED);
    // The drawer is told again what is current after a refusal (someone may have changed it meanwhile).
    await eventually(() => expect(useSharedSecrets.getState().described[sharedKeyId(target)]?.status).toBe('error'));
  });

  it('follows the steps of its own rotation only', () => {
    const target = { ref: { dir, profile: 'dev' }, key: 'DB_PASSWORD' };
    useSharedSecrets.setState({ rotation: { target, phase: 'running', step: 'read' } });
    const { onProgress } = useSharedSecrets.getState();
    onProgress({ profile: 'dev', key: 'OTHER_KEY', step: 'write' });
    onProgress({ profile: 'staging', key: 'DB_PASSWORD', step: 'write' });
    expect(useSharedSecrets.getState().rotation?.step).toBe('read');
    onProgress({ profile: 'dev', key: 'DB_PASSWORD', step: 'write' });
    expect(useSharedSecrets.getState().rotation?.step).toBe('write');
    // A running rotation cannot be dismissed: its outcome must be seen.
    useSharedSecrets.getState().closeRotation();
    expect(useSharedSecrets.getState().rotation?.phase).toBe('running');
  });
});
