import type { OpCheckId } from '../../contract/ipc';
import { isLatchkeyError } from '../core/errors';
import type { Keychain } from '../core/keychain';
import { createOpApi, resolveOpConnection, type OpConnection } from './client';

interface OpCheck {
  name: OpCheckId;
  ok: boolean;
  message: string;
  hint?: string;
}

export interface OpStatus {
  ok: boolean;
  host?: string;
  hostFrom?: OpConnection['hostFrom'];
  tokenFrom?: OpConnection['tokenFrom'];
  checks: OpCheck[];
  vaults: { id: string; name: string }[];
}

/**
 * "Test connection": the configuration, then the server's heartbeat, then the token, then the vaults it sees. Each
 * step runs only when the one before passed, so the first failing check is the one to fix.
 */
export async function checkOpConnection(
  runtime: { appDir: string; keychain: Keychain },
  env: NodeJS.ProcessEnv = process.env,
): Promise<OpStatus> {
  const status: OpStatus = { ok: false, checks: [], vaults: [] };
  const fail = (name: OpCheck['name'], error: unknown, fallback: string) => {
    status.checks.push({
      name,
      ok: false,
      message: isLatchkeyError(error) ? error.message : fallback,
      ...(isLatchkeyError(error) && error.hint && { hint: error.hint }),
    });
    return status;
  };
  let connection: OpConnection;
  try {
    connection = await resolveOpConnection({ env, appDir: runtime.appDir, keychain: runtime.keychain });
  } catch (error) {
    return fail('connection', error, 'cannot read the 1Password Connect configuration');
  }
  Object.assign(status, { host: connection.host, hostFrom: connection.hostFrom, tokenFrom: connection.tokenFrom });
  status.checks.push({
    name: 'connection',
    ok: true,
    message: `server ${connection.host} (from ${connection.hostFrom}), token from ${connection.tokenFrom}`,
  });
  const api = createOpApi(connection, { retries: 1 });
  if (!(await api.heartbeat())) {
    return fail(
      'heartbeat',
      undefined,
      `no heartbeat from ${connection.host}/heartbeat: is the Connect server running, and is the URL right?`,
    );
  }
  status.checks.push({ name: 'heartbeat', ok: true, message: 'the server answers' });
  let vaults;
  try {
    vaults = await api.listVaults();
  } catch (error) {
    return fail('token', error, 'the vault list could not be read');
  }
  status.checks.push({ name: 'token', ok: true, message: 'the token is accepted' });
  status.vaults = vaults.map((v) => ({ id: v.id ?? '', name: v.name ?? '' }));
  if (vaults.length === 0) {
    status.checks.push({
      name: 'vaults',
      ok: false,
      message: 'the token sees no vaults',
      hint: 'Give the Connect token access to the vaults your profiles use.',
    });
    return status;
  }
  status.checks.push({
    name: 'vaults',
    ok: true,
    message: `${vaults.length} vault${vaults.length === 1 ? '' : 's'} in scope: ${status.vaults.map((v) => v.name).join(', ')}`,
  });
  status.ok = true;
  return status;
}
