import type { Command } from 'commander';
import type { CliContext } from '../../context';
import { registerAddKeys, registerDeleteKeys, registerImport, registerRotateKey } from './keys';
import { registerAwsList } from './list';
import { registerLogin, registerLogout, registerUse } from './sessions';
import { registerCredentialProcess, registerMode, registerSsoLogin } from './setup';

/** `latchkey aws …`: AWS profiles, keychain-held keys, sessions and key rotation (in the order help lists them). */
export function registerAws(program: Command, ctx: CliContext): void {
  const aws = program.command('aws').description('AWS profiles, keychain-held keys, sessions and key rotation');
  for (const register of [
    registerAwsList,
    registerAddKeys,
    registerDeleteKeys,
    registerMode,
    registerSsoLogin,
    registerImport,
    registerLogin,
    registerLogout,
    registerUse,
    registerRotateKey,
    registerCredentialProcess,
  ])
    register(aws, ctx);
}
