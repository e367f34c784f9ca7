import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../support/ipc-sandbox';

let sb: Sandbox;
beforeEach(() => {
  sb = createSandbox();
});
afterEach(() => sb.cleanup());

it('manifest.create into a ~/.ssh the user never opened is refused and writes nothing', async () => {
  const ssh = path.join(sb.root, 'fake-home', '.ssh');
  mkdirSync(ssh, { recursive: true });
  const result = await sb.call('manifest.create', {
    dir: ssh,
    aws: {},
    profile: {
      name: 'dev',
      target: 'authorized_keys',
      sources: [{ kind: 'set', values: { SSH: 'ssh-ed25519 AAAA attacker' } }],
    },
  });
  expect(result.ok).toBe(false);
  expect(existsSync(path.join(ssh, 'latchkey.yml'))).toBe(false);
});
