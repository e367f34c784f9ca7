import type { Command } from 'commander';
import type { PersonalSecretListing } from '../../app';
import { LatchkeyError } from '../../core/errors';
import type { CliContext } from '../context';
import { renderTable, useColor } from '../output';
import { promptSecret } from '../prompt';
import { readStdin, stripOneNewline } from '../stdin';
import { confirmOrRefuse } from './chamber';

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
  secret
    .command('list')
    .description('the personal secrets of this project: whether each is set, and when (never a value)')
    .action(async () => {
      const listing = await ctx.app.personalSecrets.list(ctx.project());
      if (ctx.json()) ctx.out(JSON.stringify(listing, null, 2));
      else if (listing.secrets.length === 0)
        ctx.note(`No personal secrets: ${listing.manifest} has no keychain: sources.`);
      else ctx.out(secretsTable(listing.secrets, useColor(ctx.io.stdout)));
    });
  secret
    .command('delete')
    .description('remove a personal secret of this project from the OS keychain (asks first, or --yes)')
    .argument('<name>', 'the variable name, as in the manifest')
    .option('-y, --yes', 'delete without asking')
    .action(async (name: string, opts: { yes?: boolean }) => {
      await confirmOrRefuse(opts.yes, `Delete ${name} from the OS keychain?`, `latchkey secret delete ${name} --yes`);
      const deleted = await ctx.app.personalSecrets.delete(ctx.project(), name);
      if (ctx.json()) ctx.out(JSON.stringify({ ...deleted, deleted: true }, null, 2));
      else ctx.note(`Deleted ${deleted.name} from the OS keychain.`);
    });
}

function secretsTable(secrets: PersonalSecretListing[], color: boolean): string {
  const rows = secrets.map((s) => [
    s.name,
    s.set ? 'yes' : 'no',
    s.setAt ?? (s.set ? 'unknown' : '-'),
    s.profiles.length > 0 ? s.profiles.join(', ') : '(not in the manifest)',
  ]);
  return renderTable(rows, ['NAME', 'SET', 'SET AT', 'PROFILES'], color);
}
