import { LatchkeyError } from './errors';
import type { Keychain } from './keychain';
import { bytesHmac, loadOrCreateHmacKey, valueHmac } from './state';
import type { Profile } from './types';

/*
 * Drift tracking needs the HMAC key, and the key lives only in the OS keychain. A CI container has no keychain,
 * and a profile without `keychain:` sources needs none to be synced, so there the sync runs untracked instead of
 * failing: it compares the sources with the file only. Nothing replaces the key at rest: a key in a file beside
 * the state would let anyone who reads both test guesses against the stored HMACs, and a plain or salted hash
 * would do the same for short values (`on`, `0123`). So without a keychain no fingerprint of any value is kept at
 * all: the state is not written (only entries for keys this sync rewrote are dropped from an existing one, so that
 * a later tracked sync does not mistake them for local edits), and a key whose file value differs from its
 * source is a conflict, kept local unless --take-remote says otherwise: with no record of what Latchkey wrote,
 * a local edit and a remote change look alike, and nothing typed by a person is overwritten on a guess.
 */

export type DriftTracking =
  | {
      tracked: true;
      mac: (name: string, value: string) => string;
      /** The same for a file secret's bytes, bound to its path. */
      fileMac: (filePath: string, bytes: Uint8Array) => string;
    }
  | { tracked: false; notice: string };

export const UNTRACKED_NOTICE =
  'drift tracking is off: the OS keychain, which holds the key for the sync state, is not available. ' +
  'Values are compared with the file only, so a key whose file value differs from its source is a conflict ' +
  '(kept local; --take-remote KEY takes the source), and no sync state is written.';

export async function driftTracking(keychain: Keychain, profile: Profile): Promise<DriftTracking> {
  try {
    const key = await loadOrCreateHmacKey(keychain);
    return {
      tracked: true,
      mac: (name, value) => valueHmac(key, name, value),
      fileMac: (filePath, bytes) => bytesHmac(key, filePath, bytes),
    };
  } catch (error) {
    // Locked is as good as absent here: the HMAC key cannot be read, and a prompt must not hold the sync.
    const unavailable =
      error instanceof LatchkeyError && (error.code === 'KEYCHAIN_UNAVAILABLE' || error.code === 'KEYCHAIN_LOCKED');
    // A profile that reads personal secrets from the keychain cannot run without one anyway: say so as before.
    if (!unavailable || profile.sources.some((spec) => spec.kind === 'keychain')) throw error;
    return { tracked: false, notice: UNTRACKED_NOTICE };
  }
}

/** The `mac` of an untracked sync: never called, because an untracked plan has no previous entries. */
export function noMac(): never {
  throw new LatchkeyError('INTERNAL', 'an untracked sync has no HMAC key');
}
