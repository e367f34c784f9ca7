import { afterEach, beforeEach } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppDeps } from '../../main/app/deps';
import { tailAudit, type AuditEvent } from '../../main/core/audit';
import { personalSecretAccount } from '../../main/core/keychain';
import { memoryKeychain, OFFLINE_MANIFEST, offlineRuntime } from './ipc-sandbox';

// Shared by the test/unit/app tests (not a test file itself): the use cases' dependencies over a throwaway app-data
// folder and an in-memory keychain, with the sources that need no network (set, keychain).

export interface AppSandbox {
  root: string;
  appDir: string;
  keychain: ReturnType<typeof memoryKeychain>;
  deps: AppDeps;
  /** A new folder under the sandbox, with `manifest` as its latchkey.yml when given. */
  project(name: string, manifest?: string): string;
  /** A project with OFFLINE_MANIFEST whose personal secret PERSONAL_TOKEN the keychain holds as `token`. */
  offlineProject(token: string): Promise<string>;
  audit(): Promise<AuditEvent[]>;
  cleanup(): void;
}

export function createAppSandbox(): AppSandbox {
  const root = mkdtempSync(path.join(tmpdir(), 'latchkey-app-'));
  const appDir = path.join(root, 'home');
  const keychain = memoryKeychain();
  return {
    root,
    appDir,
    keychain,
    deps: { runtime: offlineRuntime(appDir, keychain) },
    project(name, manifest) {
      const dir = path.join(root, 'projects', name);
      mkdirSync(dir, { recursive: true });
      if (manifest !== undefined) writeFileSync(path.join(dir, 'latchkey.yml'), manifest);
      return dir;
    },
    async offlineProject(token) {
      const dir = this.project('offline', OFFLINE_MANIFEST);
      await keychain.set(personalSecretAccount(path.join(dir, 'latchkey.yml'), 'PERSONAL_TOKEN'), token);
      return dir;
    },
    audit: () => tailAudit(appDir, 1000),
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh sandbox for each test of the file, holding an offline project whose personal secret is `token`; the
 * holder's fields are set before each test.
 */
export function useOfflineProject(token: string): { sb: AppSandbox; dir: string } {
  const holder = {} as { sb: AppSandbox; dir: string };
  beforeEach(async () => {
    holder.sb = createAppSandbox();
    holder.dir = await holder.sb.offlineProject(token);
  });
  afterEach(() => holder.sb.cleanup());
  return holder;
}
