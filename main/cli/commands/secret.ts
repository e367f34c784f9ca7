import type { Command } from 'commander';
import { LatchkeyError } from '../../core/errors';
import type { CliContext } from '../context';
import { promptSecret } from '../prompt';
import { readStdin, stripOneNewline } from '../stdin';

export function registerSecret(program: Command, ctx: CliContext): void {
  const secret = program.command('secret').description('personal secrets kept in the OS keychain');
  secret
    .command('set')
    .description('store a personal secret named by a `keychain:` source (the value is read from stdin)')
    .argument('<name>', 'the variable name, as in the manifest')
    .action(async (name: string) => {
      // Asked for only once the manifest is known to name it.
      const readValue = async () => {
        const value = process.stdin.isTTY ? await promptSecret(`${name}: `) : stripOneNewline(await readStdin());
        if (value === '') throw new LatchkeyError('INVALID_INPUT', `empty value for ${name}; nothing stored`);
        return value;
      };
      await ctx.app.personalSecrets.set(ctx.project(), name, readValue);
      ctx.io.stderr.write(`Stored ${name} in the OS keychain.\n`);
    });
}
