import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AwsProfileView } from '../../../../contract/ipc';
import { subscribe } from '../../../../renderer/api';
import { useAws } from '../../../../renderer/state/aws-store';
import { applyEnv } from '../../../support/aws-env';
import { installRendererBridge, type RendererBridge } from '../../../support/renderer-bridge';

// The AWS store as the app runs it: window.latchkey from the real preload over the real backend (its state store
// following the AWS files), and state.changed wired to onState as App.tsx wires it.

let root: string;
let credentials: string;
let bridge: RendererBridge;
let undoEnv: () => void;
let offState: () => void;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'latchkey-aws-store-'));
  credentials = path.join(root, 'credentials');
  writeFileSync(path.join(root, 'config'), '[profile dev]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::1:mfa/dev\n');
  writeFileSync(credentials, '', { mode: 0o600 });
  undoEnv = applyEnv({
    HOME: root,
    AWS_CONFIG_FILE: path.join(root, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  });
  bridge = installRendererBridge(path.join(root, 'home'));
  offState = subscribe('state.changed', (p) => useAws.getState().onState(p));
});

afterEach(async () => {
  offState();
  await bridge.dispose();
  undoEnv();
  rmSync(root, { recursive: true, force: true });
});

const dev = () => useAws.getState().profiles.find((p) => p.name === 'dev');

describe('aws store: it renders the state main pushes', () => {
  it('a session another process writes shows without a call; a list older than a pushed state is dropped', async () => {
    await useAws.getState().load();
    expect(dev()?.session.active).toBe(false);

    // As the CLI's `latchkey aws login` would leave it.
    const expires = new Date(Date.now() + 3600_000).toISOString();
    writeFileSync(
      credentials,
      `[dev]\naws_access_key_id = ASIAX\naws_secret_access_key = x\naws_session_token = y\nx_latchkey_managed = true\nx_latchkey_expiration = ${expires}\n`,
      { mode: 0o600 },
    );
    await expect
      .poll(() => dev()?.session, { timeout: 5_000 })
      .toEqual({
        active: true,
        managed: true,
        expiresAt: expires,
      });

    // A list on its way when a newer state lands: the state stands.
    const pushed: AwsProfileView = { ...dev()!, session: { active: false, managed: true } };
    const load = useAws.getState().load(true);
    useAws.getState().onState({ revision: 1_000_000, sessions: [pushed], profiles: [] });
    await load;
    expect(useAws.getState().profiles).toEqual([pushed]);
    // And an older push than the one shown is dropped too.
    useAws.getState().onState({ revision: 1, sessions: [], profiles: [] });
    expect(useAws.getState().profiles).toEqual([pushed]);
  });
});
