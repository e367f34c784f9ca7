import type { FullItem } from '@1password/connect';
import type { LoginSummary, OpCheck } from '../../../contract/ipc';
import { LatchkeyError, isLatchkeyError } from '../../core/errors';
import { loadOpSettings, normaliseConnectHost, OP_TOKEN_ACCOUNT, saveOpConnectHost } from '../../core/op-settings';
import type { OpReadiness } from '../../core/readiness';
import { loadSettings } from '../../core/settings';
import type { OpSpec } from '../../core/types';
import { createLimiter } from '../../sources/limiter';
import { resolveOpConnection, type OpConnection } from '../../onepassword/client';
import {
  createLoginsApi,
  loginDetails,
  loginFieldValue,
  loginHttpsUrl,
  matchesQuery,
  requireLogin,
  type LoginsApi,
} from '../../onepassword/logins';
import { parseOpRef } from '../../onepassword/ref';
import { createOpApiCache, resolveOpReferences } from '../../onepassword/source';
import { checkOpConnection, type OpStatus } from '../../onepassword/status';
import type { Handlers } from '../types';
import type { HandlerContext } from './context';

type OpHandlers = Pick<
  Handlers,
  'op.status' | 'op.configure' | 'logins.search' | 'logins.details' | 'logins.copy' | 'logins.reveal' | 'logins.openUrl'
>;

const DEFAULT_LOGINS_CACHE_MS = 30_000;
const DEFAULT_CLEAR_SECONDS = 30;
const CHECK_LABELS: Record<OpCheck['id'], string> = {
  connection: 'Server and token configured',
  heartbeat: 'Server answers',
  token: 'Token accepted',
  vaults: 'Vaults in scope',
};
const CHECK_ORDER: OpCheck['id'][] = ['connection', 'heartbeat', 'token', 'vaults'];

const quote = (s: string) => JSON.stringify(s);

/**
 * The 1Password side of the app: the connection (status, configure), the profile checklist's 1Password item, and
 * the Logins view. Every value stays in main: copies go through the clipboard guard, and only `logins.reveal`
 * returns one, because the user asked for it.
 */
/** `openHttps`: the app's one reviewed https-only opener (the shell.openExternal handler). */
export function createOpAccess(
  ctx: HandlerContext,
  openHttps: (url: string) => Promise<void>,
): { handlers: OpHandlers; readiness: (specs: OpSpec[]) => Promise<OpReadiness> } {
  const env = () => ctx.opEnv ?? process.env;
  const connect = () => resolveOpConnection({ env: env(), appDir: ctx.appDir, keychain: ctx.runtime.keychain });
  const opApiFor = createOpApiCache();
  const loginApis = new Map<string, LoginsApi>();
  const loginsApiFor = (c: OpConnection) => {
    const key = `${c.host}\n${c.token}`;
    let api = loginApis.get(key);
    if (!api) loginApis.set(key, (api = createLoginsApi(c)));
    return api;
  };

  // Typing in the search box must not list every vault on every keystroke: the list is reused briefly, and a
  // search that arrives while one is in flight waits for it.
  let cached: { key: string; at: number; list: Promise<LoginSummary[]> } | undefined;
  const vaultNames = new Map<string, string>();
  const allLogins = async (): Promise<LoginSummary[]> => {
    const connection = await connect();
    const api = loginsApiFor(connection);
    const key = `${connection.host}\n${connection.token}`;
    const ttl = ctx.loginsCacheMs ?? DEFAULT_LOGINS_CACHE_MS;
    if (!cached || cached.key !== key || Date.now() - cached.at > ttl) {
      const entry = { key, at: Date.now(), list: api.listLogins() };
      cached = entry;
      entry.list.then(
        (list) => {
          for (const l of list) vaultNames.set(l.vaultId, l.vault);
        },
        () => {
          if (cached === entry) cached = undefined;
        },
      );
    }
    return cached.list;
  };

  /** One GET of the full item behind a summary, with its vault's name as the search saw it; logins only. */
  const fetchLogin = async (vaultId: string, itemId: string): Promise<{ item: FullItem; vault: string }> => {
    const api = loginsApiFor(await connect());
    const item = requireLogin(await api.getItem(vaultId, itemId));
    return { item, vault: vaultNames.get(vaultId) ?? vaultId };
  };

  const hostView = async (): Promise<{ host: string | null; hostSource: 'env' | 'settings' | 'none' }> => {
    const fromEnv = env().OP_CONNECT_HOST?.trim();
    if (fromEnv) {
      try {
        return { host: normaliseConnectHost(fromEnv), hostSource: 'env' };
      } catch {
        return { host: null, hostSource: 'env' };
      }
    }
    const { connectHost } = await loadOpSettings(ctx.appDir);
    return connectHost ? { host: connectHost, hostSource: 'settings' } : { host: null, hostSource: 'none' };
  };

  /** The readiness probe: configured, reachable, token accepted, and every reference resolves (values dropped). */
  const readiness = async (specs: OpSpec[]): Promise<OpReadiness> => {
    let connection: OpConnection;
    try {
      connection = await connect();
    } catch (error) {
      if (isLatchkeyError(error) && error.code === 'NEEDS_INPUT')
        return { state: 'missing', detail: error.message, action: 'configure-op' };
      return {
        state: 'error',
        detail: isLatchkeyError(error) ? error.message : 'the 1Password connection could not be read',
      };
    }
    const status = await checkOpConnection({ appDir: ctx.appDir, keychain: ctx.runtime.keychain }, env());
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

  const handlers: OpHandlers = {
    async 'op.status'() {
      const { host, hostSource } = await hostView();
      let status: OpStatus | undefined;
      let missing: string | undefined;
      try {
        await connect();
      } catch (error) {
        if (isLatchkeyError(error) && error.code === 'NEEDS_INPUT')
          missing = error.hint ? `${error.message}. ${error.hint}` : error.message;
      }
      if (!missing) status = await checkOpConnection({ appDir: ctx.appDir, keychain: ctx.runtime.keychain }, env());
      const checks: OpCheck[] = CHECK_ORDER.map((id) => {
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
    },

    async 'op.configure'({ host, token }) {
      const changed: string[] = [];
      if (host !== undefined) {
        await saveOpConnectHost(ctx.appDir, host);
        changed.push('opConnectHost');
      }
      if (token !== undefined) {
        const trimmed = token.trim();
        if (trimmed === '')
          throw new LatchkeyError('INVALID_INPUT', 'the 1Password Connect token is empty; nothing stored');
        await ctx.runtime.keychain.set(OP_TOKEN_ACCOUNT, trimmed);
        changed.push(OP_TOKEN_ACCOUNT);
      }
      if (changed.length > 0) {
        cached = undefined;
        await ctx.audit({ action: 'settings.change', keys: changed, outcome: 'ok' });
      }
      return {};
    },

    async 'logins.search'({ query }) {
      const logins = (await allLogins())
        .filter((l) => matchesQuery(l, query))
        .sort((a, b) => a.title.localeCompare(b.title) || a.vault.localeCompare(b.vault));
      return { logins };
    },

    async 'logins.details'({ vaultId, itemId }) {
      const { item, vault } = await fetchLogin(vaultId, itemId);
      return { login: { ...loginDetails(item, vault), vaultId, itemId } };
    },

    /** The value goes from Connect to the clipboard; the renderer learns only which field and for how long. */
    async 'logins.copy'({ vaultId, itemId, field }) {
      let what = `login ${itemId} in vault ${vaultId}`;
      try {
        const { item, vault } = await fetchLogin(vaultId, itemId);
        what = `login ${quote(item.title ?? itemId)} in vault ${quote(vault)}`;
        const value = loginFieldValue(item, field);
        const clearsInSeconds = (await loadSettings(ctx.appDir)).clipboardClearSeconds ?? DEFAULT_CLEAR_SECONDS;
        await ctx.clipboardGuard.copy(value, clearsInSeconds);
        await ctx.audit({ action: 'copy', keys: [field], outcome: 'ok', detail: what.slice(0, 500) });
        return { field, clearsInSeconds };
      } catch (error) {
        const code = isLatchkeyError(error) ? error.code : 'INTERNAL';
        await ctx
          .audit({ action: 'copy', keys: [field], outcome: 'error', detail: `${what} (${code})`.slice(0, 500) })
          .catch(() => undefined);
        throw error;
      }
    },

    async 'logins.reveal'({ vaultId, itemId }) {
      let what = `login ${itemId} in vault ${vaultId}`;
      let value: string;
      try {
        const { item, vault } = await fetchLogin(vaultId, itemId);
        what = `login ${quote(item.title ?? itemId)} in vault ${quote(vault)}`;
        value = loginFieldValue(item, 'password');
      } catch (error) {
        const code = isLatchkeyError(error) ? error.code : 'INTERNAL';
        await ctx
          .audit({ action: 'reveal', keys: ['password'], outcome: 'error', detail: `${what} (${code})`.slice(0, 500) })
          .catch(() => undefined);
        throw error;
      }
      await ctx.audit({ action: 'reveal', keys: ['password'], outcome: 'ok', detail: what.slice(0, 500) });
      return { value };
    },

    async 'logins.openUrl'({ vaultId, itemId }) {
      const { item } = await fetchLogin(vaultId, itemId);
      await openHttps(loginHttpsUrl(item));
      return {};
    },
  };

  return { handlers, readiness };
}
