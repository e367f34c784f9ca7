import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { LatchkeyError } from '../core/errors';
import { assertStorableSecret, KEYCHAIN_SERVICE, keychainLocked, type Keychain } from '../core/keychain';

// keytar's repository is archived; this file is the only place that knows about it, so that swapping it for
// @napi-rs/keyring (same functions) touches nothing else.
interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<{ account: string; password: string }[]>;
}

const UNAVAILABLE_HINT =
  'Latchkey keeps credentials only in the OS keychain and never falls back to plain files. On Linux, run a ' +
  'Secret Service (gnome-keyring or KeePassXC) on the session D-Bus and unlock it; on a headless machine see the README.';

let loaded: KeytarModule | undefined;

function keytar(): KeytarModule {
  if (loaded) return loaded;
  try {
    // A native module: loaded lazily so that commands which never touch the keychain work without it. Node's own
    // idiom (a `require` made by createRequire) lets the tools that follow imports (knip, the layer rule) see it.
    const require = createRequire(import.meta.url);
    loaded = require('keytar') as KeytarModule;
    return loaded;
  } catch (error) {
    throw new LatchkeyError(
      'KEYCHAIN_UNAVAILABLE',
      'the keychain module (keytar) could not be loaded',
      UNAVAILABLE_HINT,
      {
        cause: error,
      },
    );
  }
}

/**
 * What libsecret (Linux) and the macOS keychain say when the keychain is there but locked and no unlock prompt
 * could be shown: "Cannot create an item in a locked collection", "User interaction is not allowed".
 */
const LOCKED_WORDS = /\blocked collection\b|\bis locked\b|interaction is not allowed/i;

/**
 * keytar reports a missing or locked keychain with the platform's own words; give people ours instead, and tell a
 * locked keychain (KEYCHAIN_LOCKED: unlock it) from one that is not there (KEYCHAIN_UNAVAILABLE).
 */
export function keytarFailure(action: string, error: unknown): LatchkeyError {
  const detail = error instanceof Error ? error.message : String(error);
  if (LOCKED_WORDS.test(detail)) return keychainLocked(action, { cause: error });
  return new LatchkeyError(
    'KEYCHAIN_UNAVAILABLE',
    `the OS keychain is not available (${action}): ${detail}`,
    UNAVAILABLE_HINT,
    {
      cause: error,
    },
  );
}

const LOCKED_REPLY = /variant\s+boolean\s+true/;

/**
 * Whether the Secret Service's default collection is locked, asked over the session D-Bus with dbus-send (no
 * native module needed). libsecret answers a read of a locked collection exactly as a missing entry (null, after a
 * prompt that may never show on a headless machine), so a null read is only "not set" once this says unlocked.
 * No D-Bus, no dbus-send, no default collection (a keyring never created): not locked, as before.
 */
function secretServiceLocked(): Promise<boolean> {
  if (process.platform !== 'linux') return Promise.resolve(false);
  return new Promise((resolve) => {
    execFile(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        '--dest=org.freedesktop.secrets',
        '/org/freedesktop/secrets/aliases/default',
        'org.freedesktop.DBus.Properties.Get',
        'string:org.freedesktop.Secret.Collection',
        'string:Locked',
      ],
      { timeout: 3000, windowsHide: true },
      (error, stdout) => resolve(!error && LOCKED_REPLY.test(String(stdout))),
    );
  });
}

/** How long one answer to "is the keychain locked?" stands for the reads after it. */
const LOCK_ANSWER_MS = 1000;

/**
 * One lock check serves every empty read of one operation: a plan with ten unset personal secrets reads ten entries
 * at once, and each would otherwise spawn its own dbus-send. Reads that overlap share the question in flight; reads
 * within LOCK_ANSWER_MS of the answer reuse it. The window is short so that a keychain the user has just unlocked
 * is believed on the next click.
 */
export function shareLockAnswer(check: () => Promise<boolean>, now: () => number = Date.now): () => Promise<boolean> {
  let pending: Promise<boolean> | undefined;
  let answer: { locked: boolean; at: number } | undefined;
  return () => {
    if (answer && now() - answer.at < LOCK_ANSWER_MS) return Promise.resolve(answer.locked);
    pending ??= check()
      .then((locked) => {
        answer = { locked, at: now() };
        return locked;
      })
      .finally(() => (pending = undefined));
    return pending;
  };
}

export interface KeytarKeychainOptions {
  /** Is the keychain locked? Asked only after a read found nothing; the Secret Service's answer by default. */
  isLocked?: () => Promise<boolean>;
}

export function createKeytarKeychain(service = KEYCHAIN_SERVICE, options: KeytarKeychainOptions = {}): Keychain {
  const isLocked = shareLockAnswer(options.isLocked ?? secretServiceLocked);
  return {
    async get(account) {
      let value: string | null;
      try {
        value = await keytar().getPassword(service, account);
      } catch (error) {
        throw keytarFailure('read', error);
      }
      if (value === null && (await isLocked())) throw keychainLocked('read');
      return value;
    },
    async set(account, secret) {
      assertStorableSecret(`the keychain entry ${account}`, secret);
      try {
        await keytar().setPassword(service, account, secret);
      } catch (error) {
        throw keytarFailure('write', error);
      }
    },
    async delete(account) {
      try {
        return await keytar().deletePassword(service, account);
      } catch (error) {
        throw keytarFailure('delete', error);
      }
    },
    async accounts() {
      let found: { account: string }[];
      try {
        found = await keytar().findCredentials(service);
      } catch (error) {
        throw keytarFailure('list', error);
      }
      // keytar hands the passwords over too; only the names leave this function.
      return found.map((credential) => credential.account);
    },
  };
}
