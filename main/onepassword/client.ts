import { OnePasswordConnect, type FullItem, type Vault } from '@1password/connect';
import { setTimeout as sleep } from 'node:timers/promises';
import { LatchkeyError } from '../core/errors';
import type { Keychain } from '../core/keychain';
import { loadOpSettings, normaliseConnectHost, OP_TOKEN_ACCOUNT } from '../core/op-settings';
import { createConnectHttpClient, type ConnectHttpOptions } from './http-client';

/** Where the Connect server is and which token to use, and where each came from (for `op status`). */
export interface OpConnection {
  host: string;
  token: string;
  hostFrom: 'OP_CONNECT_HOST' | 'settings';
  tokenFrom: 'OP_CONNECT_TOKEN' | 'keychain';
}

/** An item summary, as listing a vault returns it (no fields): its version and date too, where Connect gives them. */
interface OpItemSummary {
  id: string;
  title: string;
  vaultId: string;
  version?: number | undefined;
  updatedAt?: string | undefined;
  lastEditedBy?: string | undefined;
}

/** The few Connect calls Latchkey makes, each retried and with its rejection normalised into a LatchkeyError. */
export interface OpApi {
  readonly host: string;
  listVaults(signal?: AbortSignal): Promise<Vault[]>;
  listItems(vaultId: string, signal?: AbortSignal): Promise<OpItemSummary[]>;
  getItem(vaultId: string, itemId: string, signal?: AbortSignal): Promise<FullItem>;
  /** GET /heartbeat (no auth): true when the server answers 200. */
  heartbeat(signal?: AbortSignal): Promise<boolean>;
}

export interface RetryOptions {
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

const DEFAULT_RETRY: Required<RetryOptions> = { retries: 4, baseDelayMs: 100, maxDelayMs: 2000 };
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EPIPE',
  'EAI_AGAIN',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/**
 * The standard OP_CONNECT_HOST / OP_CONNECT_TOKEN win, each on its own (CI sets both; a developer may set only the
 * host). Otherwise the host comes from op.json and the token from the keychain.
 */
export async function resolveOpConnection(opts: {
  env: NodeJS.ProcessEnv;
  appDir: string;
  keychain: Keychain;
}): Promise<OpConnection> {
  const envHost = opts.env.OP_CONNECT_HOST?.trim();
  const envToken = opts.env.OP_CONNECT_TOKEN?.trim();
  const host = envHost ? normaliseConnectHost(envHost) : (await loadOpSettings(opts.appDir)).connectHost;
  if (!host) {
    throw new LatchkeyError(
      'NEEDS_INPUT',
      'no 1Password Connect server is configured',
      'Run `latchkey op set-host <url>`, or set OP_CONNECT_HOST (and OP_CONNECT_TOKEN).',
      { action: 'open-op-settings' },
    );
  }
  let token = envToken;
  if (!token) {
    try {
      token = (await opts.keychain.get(OP_TOKEN_ACCOUNT)) ?? undefined;
    } catch (error) {
      throw new LatchkeyError(
        'KEYCHAIN_UNAVAILABLE',
        'cannot read the 1Password Connect token from the OS keychain',
        'Set OP_CONNECT_TOKEN instead.',
        { cause: error, action: 'unlock-keychain' },
      );
    }
  }
  if (!token) {
    throw new LatchkeyError(
      'NEEDS_INPUT',
      'no 1Password Connect token is set',
      'Run `latchkey op set-token` (it reads the token from stdin), or set OP_CONNECT_TOKEN.',
      { action: 'open-op-settings' },
    );
  }
  return {
    host,
    token,
    hostFrom: envHost ? 'OP_CONNECT_HOST' : 'settings',
    tokenFrom: envToken ? 'OP_CONNECT_TOKEN' : 'keychain',
  };
}

/**
 * The connection for reading values (a sync, `op read`). Not configured there is a source that cannot be reached,
 * exit 5 like any other (issue 12, item 5): NEEDS_INPUT (exit 6) means a personal secret to type, and the settings
 * screens still see NEEDS_INPUT through resolveOpConnection to offer their form.
 */
export async function resolveOpConnectionForReading(
  opts: Parameters<typeof resolveOpConnection>[0],
): Promise<OpConnection> {
  try {
    return await resolveOpConnection(opts);
  } catch (error) {
    if (!(error instanceof LatchkeyError) || error.code !== 'NEEDS_INPUT') throw error;
    throw new LatchkeyError('SOURCE_FAILED', error.message, error.hint, { cause: error });
  }
}

/** What a rejection of the Connect client tells us: it rejects with `{status, message}` bodies, or axios errors. */
function describeRejection(error: unknown): {
  status?: number | undefined;
  code?: string | undefined;
  message: string;
} {
  if (error instanceof LatchkeyError) return { message: error.message };
  const e = error as { status?: unknown; message?: unknown; code?: unknown; response?: { status?: unknown } } | null;
  const status =
    typeof e?.status === 'number' ? e.status : typeof e?.response?.status === 'number' ? e.response.status : undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return { status, code, message };
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof LatchkeyError) return false;
  const { status, code, message } = describeRejection(error);
  if (status !== undefined) return status === 429 || status >= 500;
  return (code !== undefined && TRANSIENT_CODES.has(code)) || /socket hang up/i.test(message);
}

/**
 * Normalises a rejection into a LatchkeyError about `what` (a reference, or "the vault list"). The server's own
 * message is kept, but only its first line and capped: Connect's messages name ids and vaults, never values.
 */
export function normaliseOpError(error: unknown, what: string, host: string): LatchkeyError {
  if (error instanceof LatchkeyError) return error;
  const { status, code, message } = describeRejection(error);
  const said = message.split('\n')[0]!.slice(0, 200);
  if (status === 401) {
    return new LatchkeyError(
      'ACCESS_DENIED',
      `1Password Connect rejected the token (401) while reading ${what}`,
      'Set a valid token with `latchkey op set-token` or OP_CONNECT_TOKEN.',
      { action: 'open-op-settings' },
    );
  }
  if (status === 403) {
    return new LatchkeyError(
      'ACCESS_DENIED',
      `1Password Connect refused access to ${what} (403: ${said})`,
      "Give the Connect token access to the item's vault.",
    );
  }
  if (status === 404) return new LatchkeyError('SOURCE_NOT_FOUND', `1Password: ${what} not found (404: ${said})`);
  if (status !== undefined)
    return new LatchkeyError('SOURCE_FAILED', `1Password Connect answered ${status} while reading ${what}: ${said}`);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new LatchkeyError(
      'SOURCE_FAILED',
      `cannot reach the 1Password Connect server at ${host} (${code})`,
      'Check `latchkey op status` and the server URL.',
      { action: 'open-op-settings' },
    );
  }
  return new LatchkeyError(
    'SOURCE_FAILED',
    `1Password Connect request for ${what} failed${code ? ` (${code})` : ''}: ${said}`,
  );
}

/** Retries 429, 5xx and dropped connections with exponential backoff and full jitter. */
export async function withRetry<T>(
  task: () => Promise<T>,
  opts: RetryOptions & { signal?: AbortSignal | undefined } = {},
): Promise<T> {
  const { retries, baseDelayMs, maxDelayMs } = { ...DEFAULT_RETRY, ...opts };
  for (let attempt = 0; ; attempt++) {
    opts.signal?.throwIfAborted();
    try {
      return await task();
    } catch (error) {
      if (attempt >= retries || !isRetryable(error)) throw error;
      const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
      await sleep(cap / 2 + Math.random() * (cap / 2), undefined, { signal: opts.signal });
    }
  }
}

/** A Connect SDK client whose requests have Latchkey's time limits (http-client.ts). */
export function connectClient(connection: Pick<OpConnection, 'host' | 'token'>, http: ConnectHttpOptions = {}) {
  return OnePasswordConnect({
    serverURL: connection.host,
    token: connection.token,
    httpClient: createConnectHttpClient(http),
  });
}

export function createOpApi(
  connection: Pick<OpConnection, 'host' | 'token'>,
  retry: RetryOptions = {},
  http: ConnectHttpOptions = {},
): OpApi {
  const client = connectClient(connection, http);
  const host = connection.host;
  const call = async <T>(what: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> => {
    try {
      return await withRetry(task, { ...retry, signal });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw normaliseOpError(error, what, host);
    }
  };
  return {
    host,
    listVaults: (signal) => call('the vault list', () => client.listVaults(), signal),
    listItems: (vaultId, signal) =>
      call(
        `the items of vault ${vaultId}`,
        async () =>
          (await client.listItems(vaultId)).map((i) => {
            const updated = i.updatedAt as Date | string | undefined;
            return {
              id: i.id ?? '',
              title: i.title ?? '',
              vaultId,
              version: i.version,
              updatedAt: updated instanceof Date ? updated.toISOString() : updated,
              lastEditedBy: i.lastEditedBy,
            };
          }),
        signal,
      ),
    getItem: (vaultId, itemId, signal) =>
      call(`item ${itemId} in vault ${vaultId}`, () => client.getItemById(vaultId, itemId), signal),
    async heartbeat(signal) {
      try {
        const response = await fetch(new URL('/heartbeat', `${host}/`), {
          signal: signal ?? AbortSignal.timeout(10_000),
        });
        await response.body?.cancel();
        return response.ok;
      } catch {
        return false;
      }
    },
  };
}
