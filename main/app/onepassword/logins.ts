import type { LoginDetails, LoginField, LoginSummary } from '../../../contract/ipc';
import type { ClipboardGuard } from '../../core/clipboard-guard';
import { loadSettings } from '../../core/settings';
import type { OpConnection } from '../../onepassword/client';
import {
  createLoginsApi,
  loginDetails,
  loginFieldValue,
  loginHttpsUrl,
  matchesQuery,
  requireLogin,
  type LoginItem,
  type LoginsApi,
} from '../../onepassword/logins';
import { auditedAttempt } from '../audit-trail';
import type { AppDeps } from '../deps';
import { openHttpsLink, type BrowserOpener } from '../links';
import { connectOp } from './connection';

export interface LoginsDeps extends AppDeps {
  /** Copies a value and takes it back later, only if the clipboard still holds it. */
  clipboardGuard: ClipboardGuard;
  openInBrowser: BrowserOpener;
  /** How long a search reuses the vault and summary lists (default 30 s). */
  loginsCacheMs?: number;
}

interface LoginRef {
  vaultId: string;
  itemId: string;
}

export interface Logins {
  search(query: string): Promise<LoginSummary[]>;
  details(login: LoginRef): Promise<LoginDetails & LoginRef>;
  /** The value goes from Connect to the clipboard; the caller learns only for how long. */
  copy(login: LoginRef, field: LoginField): Promise<{ clearsInSeconds: number }>;
  /** The password, because the user asked for it; audited whether it works or not. */
  reveal(login: LoginRef): Promise<string>;
  openUrl(login: LoginRef): Promise<void>;
  /** Drops the cached list (the connection changed). */
  forget(): void;
}

const DEFAULT_LOGINS_CACHE_MS = 30_000;
const DEFAULT_CLEAR_SECONDS = 30;

const quote = (s: string) => JSON.stringify(s);

/** The Logins view: the org's shared login items. Every value stays in main but the one the user reveals. */
export function createLogins(deps: LoginsDeps): Logins {
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
    const connection = await connectOp(deps);
    const api = loginsApiFor(connection);
    const key = `${connection.host}\n${connection.token}`;
    const ttl = deps.loginsCacheMs ?? DEFAULT_LOGINS_CACHE_MS;
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
  const fetchLogin = async ({ vaultId, itemId }: LoginRef): Promise<{ item: LoginItem; vault: string }> => {
    const api = loginsApiFor(await connectOp(deps));
    const item = requireLogin(await api.getItem(vaultId, itemId));
    return { item, vault: vaultNames.get(vaultId) ?? vaultId };
  };

  /** A fetched login's value, audited as `action` on `field` with the login named by title and vault. */
  const auditedValue = <T>(
    action: 'copy' | 'reveal',
    login: LoginRef,
    field: LoginField,
    use: (value: string) => Promise<T>,
  ): Promise<T> => {
    let what = `login ${login.itemId} in vault ${login.vaultId}`;
    return auditedAttempt(
      deps,
      (outcome, code) => ({
        action,
        keys: [field],
        outcome,
        detail: (code === undefined ? what : `${what} (${code})`).slice(0, 500),
      }),
      async () => {
        const { item, vault } = await fetchLogin(login);
        what = `login ${quote(item.title ?? login.itemId)} in vault ${quote(vault)}`;
        return use(loginFieldValue(item, field));
      },
    );
  };

  return {
    async search(query) {
      return (await allLogins())
        .filter((l) => matchesQuery(l, query))
        .sort((a, b) => a.title.localeCompare(b.title) || a.vault.localeCompare(b.vault));
    },
    async details(login) {
      const { item, vault } = await fetchLogin(login);
      return { ...loginDetails(item, vault), vaultId: login.vaultId, itemId: login.itemId };
    },
    copy(login, field) {
      return auditedValue('copy', login, field, async (value) => {
        const clearsInSeconds =
          (await loadSettings(deps.runtime.appDir)).clipboardClearSeconds ?? DEFAULT_CLEAR_SECONDS;
        await deps.clipboardGuard.copy(value, clearsInSeconds);
        return { clearsInSeconds };
      });
    },
    reveal(login) {
      return auditedValue('reveal', login, 'password', async (value) => value);
    },
    async openUrl(login) {
      const { item } = await fetchLogin(login);
      await openHttpsLink(deps.openInBrowser, loginHttpsUrl(item));
    },
    forget() {
      cached = undefined;
    },
  };
}
