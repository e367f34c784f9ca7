import { LatchkeyError } from './errors';

/**
 * The OS keychain as the core sees it. The real one is keytar behind `main/adapters/keytar-keychain.ts`; the core
 * only knows this interface so it stays testable without a native module.
 */
export interface Keychain {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

/** Every Latchkey entry lives under this keychain service. */
export const KEYCHAIN_SERVICE = 'Latchkey';

/** The account of a personal secret: scoped by manifest so two projects can each have their own GITHUB_TOKEN. */
export function personalSecretAccount(manifestPath: string, name: string): string {
  return `personal:${manifestPath}#${name}`;
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
