import type { SecretStore } from './state';

/**
 * The keychain that holds the audit trail's anchor key, set once by the composition root (main/app/runtime.ts).
 * It is a module of its own so that setting it does not load the audit trail (core/audit.ts and its schemas):
 * a `plan` writes no audit event, and that load was on its way to the first request (issue 12: start-up).
 */
interface AuditKeychain {
  store: SecretStore | undefined;
  /** The key read (or created) per store, once per use of a keychain. */
  keys: WeakMap<SecretStore, Promise<Buffer | undefined>>;
}

let inUse: AuditKeychain = { store: undefined, keys: new WeakMap() };

export function useAuditKeychain(store: SecretStore | undefined): void {
  inUse = { store, keys: new WeakMap() };
}

export function auditKeychainInUse(): AuditKeychain {
  return inUse;
}
