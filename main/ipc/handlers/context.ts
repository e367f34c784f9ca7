import path from 'node:path';
import type { EventName, EventPayload } from '../../../contract/ipc';
import { appendAuditEvent, type AuditInput } from '../../core/audit';
import { createClipboardGuard, type ClipboardGuard } from '../../core/clipboard-guard';
import { LatchkeyError } from '../../core/errors';
import { loadManifest } from '../../core/manifest';
import { profileOf } from '../../core/sync';
import type { Manifest, Profile } from '../../core/types';
import type { AwsAccessResult } from '../../aws/access';
import type { SessionRefresher } from '../../aws/refresher';
import type { HandlerDeps } from '../types';
import type { PlanWatcher } from '../watch';

/** Services the handlers share beyond HandlerDeps; each has a default, tests and the backend may replace them. */
export interface HandlerServices {
  /** Live invalidation of shown plans; without one, nothing is watched. */
  watcher?: PlanWatcher;
  /** The readiness AWS probe (STS GetCallerIdentity by default). */
  probeAws?: (aws: Manifest['aws']) => Promise<AwsAccessResult>;
  /** Copies logins and takes them back; by default one over HandlerDeps.clipboard with real timers. */
  clipboardGuard?: ClipboardGuard;
  /** Where OP_CONNECT_HOST / OP_CONNECT_TOKEN are read (default: process.env). */
  opEnv?: NodeJS.ProcessEnv;
  /** How long a login search reuses the vault and summary lists (default 30 s). */
  loginsCacheMs?: number;
  /** Where the aws.* methods read AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and endpoints (default: process.env). */
  awsEnv?: NodeJS.ProcessEnv;
  /** Told to rescan after a login or logout, so the new session is refreshed before it expires. */
  sessionRefresher?: SessionRefresher;
}

export interface HandlerContext extends HandlerDeps, HandlerServices {
  appDir: string;
  /** emit that never throws: a window gone mid-sync must not fail the sync. */
  send<E extends EventName>(event: E, payload: EventPayload<E>): void;
  audit(input: AuditInput): Promise<void>;
  clipboardGuard: ClipboardGuard;
}

export function createContext(deps: HandlerDeps, services: HandlerServices): HandlerContext {
  const send: HandlerContext['send'] = (event, payload) => {
    try {
      deps.emit(event, payload);
    } catch {
      // The renderer is gone or reloading: progress is a courtesy, the work goes on.
    }
  };
  return {
    ...deps,
    ...services,
    appDir: deps.runtime.appDir,
    send,
    clipboardGuard: services.clipboardGuard ?? createClipboardGuard(deps.clipboard, { emit: send }),
    async audit(input) {
      await appendAuditEvent(deps.runtime.appDir, input);
    },
  };
}

/**
 * A project folder from the renderer: absolute, and a plain path. The main process has no meaningful working
 * directory, so a relative path would point somewhere nobody chose.
 */
export function projectDir(dir: string): string {
  if (dir.includes('\0')) throw new LatchkeyError('INVALID_INPUT', 'The folder path contains a NUL character.');
  if (!path.isAbsolute(dir))
    throw new LatchkeyError(
      'INVALID_INPUT',
      'Expected an absolute folder path.',
      'Pick the folder with the Open button.',
    );
  return path.resolve(dir);
}

export async function manifestIn(dir: string): Promise<Manifest> {
  return loadManifest({ dir: projectDir(dir) });
}

export async function profileIn(dir: string, profileName: string): Promise<{ manifest: Manifest; profile: Profile }> {
  const manifest = await manifestIn(dir);
  return { manifest, profile: profileOf(manifest, profileName) };
}
