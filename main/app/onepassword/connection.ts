import { OP_CHECK_IDS, type OpCheck, type OpHostSource } from '../../../contract/ipc';
import { LatchkeyError, isLatchkeyError } from '../../core/errors';
import { loadOpSettings, normaliseConnectHost, OP_TOKEN_ACCOUNT, saveOpConnectHost } from '../../core/op-settings';
import type { OpReadiness } from '../../core/readiness';
import type { OpSpec } from '../../core/types';
import {
  createOpApi,
  resolveOpConnection,
  resolveOpConnectionForReading,
  type OpConnection,
} from '../../onepassword/client';
import { parseOpRef } from '../../onepassword/ref';
import { createOpApiCache, readOpReference, resolveOpReferences } from '../../onepassword/source';
import { checkOpConnection, type OpStatus } from '../../onepassword/status';
import { createLimiter } from '../../sources/limiter';
import { auditedAttempt, recordAudit } from '../audit-trail';
import { opEnvOf, type AppDeps } from '../deps';

export type { OpStatus };

export interface OpStatusView {
  host: string | null;
  hostSource: OpHostSource;
  checks: OpCheck[];
}

const CHECK_LABELS: Record<OpCheck['id'], string> = {
  connection: 'Server and token configured',
  heartbeat: 'Server answers',
  token: 'Token accepted',
  vaults: 'Vaults in scope',
};

/** The server and token in use: the environment's, else the app's settings and the keychain's. */
export function connectOp(deps: AppDeps): Promise<OpConnection> {
  return resolveOpConnection({ env: opEnvOf(deps), appDir: deps.runtime.appDir, keychain: deps.runtime.keychain });
}

/** "Test connection": configuration, heartbeat, token, vaults; each step only when the one before passed. */
export function checkOp(deps: AppDeps): Promise<OpStatus> {
  return checkOpConnection({ appDir: deps.runtime.appDir, keychain: deps.runtime.keychain }, opEnvOf(deps));
}

/** The connection screen: where the host comes from, and every check in order (a missing setting skips the rest). */
export async function opStatusView(deps: AppDeps): Promise<OpStatusView> {
  const { host, hostSource } = await hostView(deps);
  let status: OpStatus | undefined;
  let missing: string | undefined;
  try {
    await connectOp(deps);
  } catch (error) {
    if (isLatchkeyError(error) && error.code === 'NEEDS_INPUT')
      missing = error.hint ? `${error.message}. ${error.hint}` : error.message;
  }
  if (!missing) status = await checkOp(deps);
  const checks: OpCheck[] = OP_CHECK_IDS.map((id) => {
    const label = CHECK_LABELS[id];
    if (id === 'connection' && missing) return { id, label, state: 'missing', detail: missing };
    const found = status?.checks.find((c) => c.name === id);
    if (!found) return { id, label, state: 'skipped' };
    return {
      id,
      label,
      state: found.ok ? 'ok' : 'error',
      detail: found.hint ? `${found.message}. ${found.hint}` : found.message,
    };
  });
  return { host: status?.host ?? host, hostSource, checks };
}

async function hostView(deps: AppDeps): Promise<Pick<OpStatusView, 'host' | 'hostSource'>> {
  const fromEnv = opEnvOf(deps).OP_CONNECT_HOST?.trim();
  if (fromEnv) {
    try {
      return { host: normaliseConnectHost(fromEnv), hostSource: 'env' };
    } catch {
      return { host: null, hostSource: 'env' };
    }
  }
  const { connectHost } = await loadOpSettings(deps.runtime.appDir);
  return connectHost ? { host: connectHost, hostSource: 'settings' } : { host: null, hostSource: 'none' };
}

/**
 * Sets the Connect server (saved in settings, normalised) and/or the token (in the keychain). One audit event
 * names what changed, with the server's URL (never the token). Returns the server as saved.
 */
export async function configureOp(
  deps: AppDeps & { confirmHost?: ConfirmConnectHost },
  input: { host?: string | undefined; token?: string | undefined },
): Promise<{ host?: string }> {
  if (input.host !== undefined && deps.confirmHost) await confirmNewHost(deps, deps.confirmHost, input.host);
  const changed: string[] = [];
  let host: string | undefined;
  if (input.host !== undefined) {
    host = await saveOpConnectHost(deps.runtime.appDir, input.host);
    changed.push('opConnectHost');
  }
  if (input.token !== undefined) {
    const trimmed = input.token.trim();
    if (trimmed === '')
      throw new LatchkeyError('INVALID_INPUT', 'the 1Password Connect token is empty; nothing stored');
    await deps.runtime.keychain.set(OP_TOKEN_ACCOUNT, trimmed);
    changed.push(OP_TOKEN_ACCOUNT);
  }
  if (changed.length > 0)
    await recordAudit(deps, {
      action: 'settings.change',
      keys: changed,
      outcome: 'ok',
      ...(host !== undefined && { detail: host.slice(0, 500) }),
    });
  return host !== undefined ? { host } : {};
}

/**
 * Asks main-side whether the stored token may go to this server; true when the user confirmed it. The app's window
 * may be compromised, so only a dialog main shows itself can confirm a server (issue 10, finding 11).
 */
export type ConfirmConnectHost = (host: string) => Promise<boolean>;

/**
 * The app's gate before a new Connect server is saved: the server already confirmed passes, any other must be
 * confirmed in main's dialog first. A refusal changes nothing (neither the server nor a token sent with it), so no
 * request carries the token to a server the user did not confirm.
 */
async function confirmNewHost(deps: AppDeps, confirm: ConfirmConnectHost, input: string): Promise<void> {
  const host = normaliseConnectHost(input);
  const { confirmedHost } = await loadOpSettings(deps.runtime.appDir);
  if (host === confirmedHost) return;
  if (!(await confirm(host)))
    throw new LatchkeyError(
      'CANCELLED',
      `The 1Password Connect server ${host} was not confirmed; the settings are unchanged.`,
      'Save it again and confirm the server in the dialog Latchkey shows.',
    );
}

/** The profile checklist's 1Password item: configured, reachable, token accepted, every reference resolves (values dropped). */
export function createOpReadiness(deps: AppDeps): (specs: OpSpec[]) => Promise<OpReadiness> {
  const opApiFor = createOpApiCache();
  return async (specs) => {
    let connection: OpConnection;
    try {
      connection = await connectOp(deps);
    } catch (error) {
      if (isLatchkeyError(error) && error.code === 'NEEDS_INPUT')
        return { state: 'missing', detail: error.message, action: 'configure-op' };
      return {
        state: 'error',
        detail: isLatchkeyError(error) ? error.message : 'the 1Password connection could not be read',
      };
    }
    const status = await checkOp(deps);
    const failed = status.checks.find((c) => !c.ok);
    if (failed) return { state: 'error', detail: failed.message };
    try {
      const refs = specs.map((spec) => parseOpRef(spec.ref, { allFields: spec.fields === 'all' }));
      await resolveOpReferences(opApiFor(connection), refs, { limiter: createLimiter() });
    } catch (error) {
      return { state: 'error', detail: isLatchkeyError(error) ? error.message : 'the references could not be checked' };
    }
    const n = specs.length;
    return { state: 'ok', detail: `${n} reference${n === 1 ? '' : 's'} resolve through ${connection.host}` };
  };
}

/** `op read`: one reference's value, revealed because the user asked; audited whether it works or not. */
export function readOpValue(deps: AppDeps, reference: string): Promise<string> {
  const detail = `op read ${reference}`.slice(0, 500);
  let sourceKey = '';
  return auditedAttempt(
    deps,
    (outcome, code) =>
      outcome === 'ok'
        ? { action: 'reveal', keys: [sourceKey.slice(0, 256)], outcome, detail }
        : { action: 'reveal', outcome, detail: `${detail} (${code})`.slice(0, 500) },
    async () => {
      const connection = await resolveOpConnectionForReading({
        env: opEnvOf(deps),
        appDir: deps.runtime.appDir,
        keychain: deps.runtime.keychain,
      });
      const read = await readOpReference(createOpApi(connection), reference);
      sourceKey = read.sourceKey;
      return read.value;
    },
  );
}
