import { LatchkeyError } from '../core/errors';
import { NeedsInputError } from '../core/keychain';
import type { CliContext } from './context';
import { canPrompt, promptSecret } from './prompt';

/** NEEDS_INPUT with the CLI's way to set each secret (`latchkey secret set NAME`, the value from stdin). */
export function needsInputOnCli(names: string[]): LatchkeyError {
  const error = new NeedsInputError(names.map((name) => ({ name, account: '' })));
  return new LatchkeyError(
    error.code,
    error.message,
    `Set them with: ${names.map((name) => `latchkey secret set ${name}`).join('; ')} (the value is read from stdin)`,
  );
}

/**
 * Asks for the profile's missing personal secrets on a terminal and stores each through the same use case as the
 * app's form; elsewhere it fails fast and says how to provide them.
 */
export async function ensurePersonalSecrets(ctx: CliContext, profileName: string | undefined): Promise<void> {
  const project = ctx.project();
  const { profile, missing } = await ctx.app.personalSecrets.missing(project, profileName);
  if (missing.length === 0) return;
  if (!canPrompt()) throw needsInputOnCli(missing.map((m) => m.name));
  for (const { name } of missing) {
    const ask = async () => {
      const value = await promptSecret(`${name} (personal secret, stored in the OS keychain): `);
      if (value === '') throw new LatchkeyError('NEEDS_INPUT', `no value given for ${name}`);
      return value;
    };
    await ctx.app.personalSecrets.set(project, name, ask, { profile: profile.name });
  }
}
