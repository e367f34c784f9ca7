import type { FullItem } from '@1password/connect';
import type { LoginDetails, LoginField, LoginSummary } from '../../contract/ipc';
import { LatchkeyError } from '../core/errors';
import { connectClient, normaliseOpError, withRetry, type OpConnection, type RetryOptions } from './client';
import { totpNow } from './totp';

/**
 * The Logins view's side of Connect: login summaries across every vault the token sees, and one full item on
 * demand. Same retries and error normalisation as the `op:` source; listing keeps what a summary shows (URL, last
 * change), which the source's item list drops.
 */
export interface LoginsApi {
  listLogins(): Promise<LoginSummary[]>;
  getItem(vaultId: string, itemId: string): Promise<FullItem>;
}

/** One Connect item with its fields: the app handles it through this name, never through the SDK's own. */
export type LoginItem = FullItem;

const LOGIN_CATEGORY = 'LOGIN';

/** What a summary and a full item share (the client's list type is not exported). */
type ItemLike = Pick<FullItem, 'id' | 'title' | 'category' | 'urls' | 'updatedAt'>;

export function createLoginsApi(connection: Pick<OpConnection, 'host' | 'token'>, retry: RetryOptions = {}): LoginsApi {
  const client = connectClient(connection);
  const call = async <T>(what: string, task: () => Promise<T>): Promise<T> => {
    try {
      return await withRetry(task, retry);
    } catch (error) {
      throw normaliseOpError(error, what, connection.host);
    }
  };
  return {
    async listLogins() {
      const vaults = await call('the vault list', () => client.listVaults());
      const perVault = await Promise.all(
        vaults.map(async (vault) => {
          const items = await call(`the items of vault ${vault.id}`, () => client.listItems(vault.id!));
          return items.filter(isLogin).map((item) => loginSummary(item, vault.id!, vault.name ?? vault.id!));
        }),
      );
      return perVault.flat();
    },
    getItem: (vaultId, itemId) => call(`item ${itemId} in vault ${vaultId}`, () => client.getItemById(vaultId, itemId)),
  };
}

const isLogin = (item: Pick<ItemLike, 'category'>) => String(item.category) === LOGIN_CATEGORY;

/** The primary URL first, then the others in the item's order. */
function orderedUrls(item: Pick<ItemLike, 'urls'>): string[] {
  const urls = item.urls ?? [];
  return [...urls.filter((u) => u.primary), ...urls.filter((u) => !u.primary)]
    .map((u) => u.href)
    .filter((h): h is string => typeof h === 'string' && h !== '');
}

const isoTime = (value: Date | string | undefined) =>
  value === undefined ? undefined : value instanceof Date ? value.toISOString() : String(value);

function loginSummary(item: ItemLike, vaultId: string, vaultName: string): LoginSummary {
  const url = orderedUrls(item)[0];
  const updatedAt = isoTime(item.updatedAt as Date | string | undefined);
  return {
    vaultId,
    itemId: item.id ?? '',
    vault: vaultName,
    title: item.title ?? '',
    ...(url !== undefined && { url }),
    ...(updatedAt !== undefined && { updatedAt }),
  };
}

/** Case-insensitive match on title, vault and URL; an empty query matches everything. */
export function matchesQuery(login: LoginSummary, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return true;
  return [login.title, login.vault, login.url ?? ''].some((text) => text.toLowerCase().includes(q));
}

type Field = NonNullable<FullItem['fields']>[number];
const isOtpField = (f: Field) => ['OTP', 'TOTP'].includes(String(f.type));
const byPurpose = (item: FullItem, purpose: string) => (item.fields ?? []).find((f) => String(f.purpose) === purpose);

/** Refuses anything that is not a login: the Logins view acts only on what its search can show. */
export function requireLogin(item: FullItem): FullItem {
  if (!isLogin(item))
    throw new LatchkeyError('INVALID_INPUT', `1Password item ${JSON.stringify(item.title ?? item.id)} is not a login`);
  return item;
}

/** What the view shows on demand: the username (not a secret) and whether a password and a code exist. */
export function loginDetails(item: FullItem, vaultName: string): LoginDetails {
  const username = byPurpose(item, 'USERNAME')?.value;
  return {
    ...loginSummary(item, item.vault?.id ?? '', vaultName),
    ...(username !== undefined && username !== '' && { username }),
    hasPassword: Boolean(byPurpose(item, 'PASSWORD')?.value),
    hasOtp: (item.fields ?? []).some((f) => isOtpField(f) && Boolean(f.otp || f.value)),
    urls: orderedUrls(item),
  };
}

/**
 * The value a copy puts on the clipboard: the username, the password, or the current one-time code (the server's
 * `totp`, else computed from the secret). Errors name the item and the field, never a value.
 */
export function loginFieldValue(item: FullItem, field: LoginField, nowMs = Date.now()): string {
  const title = JSON.stringify(item.title ?? item.id);
  if (field === 'otp') {
    const otp = (item.fields ?? []).find((f) => isOtpField(f) && Boolean(f.otp || f.value));
    const code = otp?.otp || (otp?.value ? totpNow(otp.value, nowMs) : undefined);
    if (!code) throw new LatchkeyError('SOURCE_NOT_FOUND', `login ${title} has no usable one-time password`);
    return code;
  }
  const value = byPurpose(item, field === 'username' ? 'USERNAME' : 'PASSWORD')?.value;
  if (!value) throw new LatchkeyError('SOURCE_NOT_FOUND', `login ${title} has no ${field}`);
  return value;
}

/** The first https URL of the item, or a clear refusal. */
export function loginHttpsUrl(item: FullItem): string {
  for (const href of orderedUrls(item)) {
    try {
      const url = new URL(href);
      if (url.protocol === 'https:') return url.href;
    } catch {
      // not a URL at all: try the next one
    }
  }
  throw new LatchkeyError(
    'INVALID_INPUT',
    `login ${JSON.stringify(item.title ?? item.id)} has no https URL`,
    'Latchkey opens only https links in the browser.',
  );
}
