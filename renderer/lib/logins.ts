import type { LoginField, LoginSummary } from '../../contract/ipc';
import { shortcut } from './keys';

/** One item, across vaults: the ids 1Password Connect gives every login. */
export const loginKey = (l: Pick<LoginSummary, 'vaultId' | 'itemId'>) => `${l.vaultId}/${l.itemId}`;

/** The host of a login's URL for the list ("github.com"); the raw text when it does not parse. */
export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url.includes('://') ? url : `https://${url}`).host || url;
  } catch {
    return url;
  }
}

export const FIELD_WORDS: Record<LoginField, string> = {
  username: 'Username',
  password: 'Password',
  otp: 'One-time code',
};

/**
 * Enter copies the password; Mod+U (or Mod+B) the username; Mod+T the one-time code. Mod+O stays "Open folder…"
 * everywhere, so the code is on T (for TOTP).
 */
export const LOGIN_SHORTCUTS: Record<LoginField, string> = {
  password: '↵',
  username: shortcut('U'),
  otp: shortcut('T'),
};
