import { LatchkeyError } from './errors';

/**
 * The OS keychain as the core sees it. The real one is keytar behind `main/adapters/keytar-keychain.ts`; the core
 * only knows this interface so it stays testable without a native module.
 *
 * `get` answers null only when the entry is not there. A locked keychain throws KEYCHAIN_LOCKED (see
 * keychainLocked) and a missing one KEYCHAIN_UNAVAILABLE: a locked keychain read as "not set" would invite the user
 * to overwrite a secret that exists (issue 14, item 3).
 */
export interface Keychain {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  /**
   * The accounts stored under our service, names only (`secret list`). Optional: a keychain that cannot list is
   * asked account by account instead.
   */
  accounts?(): Promise<string[]>;
}

/**
 * Why a value cannot go into the keychain, or undefined when it can. The OS keychains take C strings: a NUL ends
 * the value there, so what is stored would be cut short while the caller believes it whole (issue 10, item 21).
 * The message names the problem, never the value.
 */
export function unstorableSecretProblem(value: string): string | undefined {
  if (value.includes('\0')) return 'the value holds a NUL character, where the OS keychain would cut it short';
  return undefined;
}

/** Throws INVALID_INPUT, naming what was being stored, when the keychain cannot keep `value` exactly. */
export function assertStorableSecret(what: string, value: string): void {
  const problem = unstorableSecretProblem(value);
  if (problem) throw new LatchkeyError('INVALID_INPUT', `Cannot store ${what}: ${problem}. Nothing was stored.`);
}

/**
 * The keychain, plus a view of it for sealing the audit log that answers only once something else in this process
 * has used the keychain: a command that needs no keychain (exec of an SSM-only profile, in CI) must not reach for
 * one, or wait on an unlock prompt, just to seal its audit event.
 */
export function trackKeychainUse(inner: Keychain): { keychain: Keychain; sealing: Keychain } {
  let used = false;
  const note = <T>(result: T) => {
    used = true;
    return result;
  };
  const keychain: Keychain = {
    get: async (account) => note(await inner.get(account)),
    set: async (account, secret) => note(await inner.set(account, secret)),
    delete: async (account) => note(await inner.delete(account)),
    ...(inner.accounts && { accounts: async () => note(await inner.accounts!()) }),
  };
  const unused = () => Promise.reject(new LatchkeyError('KEYCHAIN_UNAVAILABLE', 'the keychain was not needed'));
  const sealing: Keychain = {
    get: (account) => (used ? inner.get(account) : unused()),
    set: (account, secret) => (used ? inner.set(account, secret) : unused()),
    delete: (account) => (used ? inner.delete(account) : unused()),
  };
  return { keychain, sealing };
}

const UNLOCK_HINT =
  'Unlock it (your login keyring, or Keychain Access on macOS), then try again. Nothing was read, written or deleted.';

/** The keychain is locked, so whether `what` is there cannot be known; the message never names a value. */
export function keychainLocked(what: string, options?: { cause?: unknown }): LatchkeyError {
  return new LatchkeyError('KEYCHAIN_LOCKED', `the OS keychain is locked (${what})`, UNLOCK_HINT, options);
}

export function isKeychainLocked(error: unknown): boolean {
  return error instanceof LatchkeyError && error.code === 'KEYCHAIN_LOCKED';
}

/** Every Latchkey entry lives under this keychain service. */
export const KEYCHAIN_SERVICE = 'Latchkey';

/** The account of a personal secret: scoped by manifest so two projects can each have their own GITHUB_TOKEN. */
export function personalSecretAccount(manifestPath: string, name: string): string {
  return `personal:${manifestPath}#${name}`;
}

/** The names of the personal secrets of the manifest at `manifestPath` among keychain accounts. */
export function personalSecretNames(manifestPath: string, accounts: readonly string[]): string[] {
  const prefix = personalSecretAccount(manifestPath, '');
  return accounts.filter((a) => a.startsWith(prefix) && a.length > prefix.length).map((a) => a.slice(prefix.length));
}

/** Raised when personal secrets are missing; the CLI asks for them on a TTY and the app shows a form. */
export class NeedsInputError extends LatchkeyError {
  constructor(readonly missing: { name: string; account: string }[]) {
    super(
      'NEEDS_INPUT',
      `personal secret${missing.length === 1 ? '' : 's'} not set in the keychain: ${missing.map((m) => m.name).join(', ')}`,
      'Run the command on a terminal to be asked for them, or set them in the Latchkey app.',
    );
  }
}
