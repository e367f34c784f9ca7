import { createRequire } from 'node:module';
import { LatchkeyError } from '../core/errors';
import { assertStorableSecret, KEYCHAIN_SERVICE, type Keychain } from '../core/keychain';

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

/** keytar reports a missing or locked Secret Service with libsecret's own words; give people ours instead. */
function unavailable(action: string, error: unknown): LatchkeyError {
  const detail = error instanceof Error ? error.message : String(error);
  return new LatchkeyError(
    'KEYCHAIN_UNAVAILABLE',
    `the OS keychain is not available (${action}): ${detail}`,
    UNAVAILABLE_HINT,
    {
      cause: error,
    },
  );
}

export function createKeytarKeychain(service = KEYCHAIN_SERVICE): Keychain {
  return {
    async get(account) {
      try {
        return await keytar().getPassword(service, account);
      } catch (error) {
        throw unavailable('read', error);
      }
    },
    async set(account, secret) {
      assertStorableSecret(`the keychain entry ${account}`, secret);
      try {
        await keytar().setPassword(service, account, secret);
      } catch (error) {
        throw unavailable('write', error);
      }
    },
    async delete(account) {
      try {
        return await keytar().deletePassword(service, account);
      } catch (error) {
        throw unavailable('delete', error);
      }
    },
    async accounts() {
      let found: { account: string }[];
      try {
        found = await keytar().findCredentials(service);
      } catch (error) {
        throw unavailable('list', error);
      }
      // keytar hands the passwords over too; only the names leave this function.
      return found.map((credential) => credential.account);
    },
  };
}
