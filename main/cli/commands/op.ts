import type { Command } from 'commander';
import { LatchkeyError } from '../../core/errors';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { promptSecret } from '../prompt';
import { readStdin } from '../stdin';

/** `latchkey op …`: the 1Password Connect connection, and reading one reference like `op read`. */
export function registerOp(program: Command, ctx: CliContext): void {
  const op = program.command('op').description('1Password Connect: connection and references');

  op.command('status')
    .description('test the connection: heartbeat, token, vaults in scope')
    .action(async () => {
      const status = await ctx.app.op.check();
      if (ctx.json()) ctx.out(JSON.stringify(status, null, 2));
      else
        for (const c of status.checks) {
          ctx.out(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.message}`);
          if (c.hint) ctx.out(`     ${c.hint}`);
        }
      if (!status.ok) ctx.io.exitCode = EXIT.source;
    });

  op.command('read')
    .description('print the value of an op:// reference (refuses a terminal unless --reveal)')
    .argument('<reference>', 'op://vault/item[/section]/field[?attribute=otp]')
    .option('--reveal', 'allow printing the value to a terminal')
    .option('-n, --no-newline', 'do not print a newline after the value')
    .action(async (reference: string, opts: { reveal?: boolean; newline: boolean }) => {
      if (ctx.io.stdout.isTTY && !opts.reveal) {
        throw new LatchkeyError(
          'INVALID_INPUT',
          'refusing to print a secret value to a terminal',
          'Pipe or redirect the output, or add --reveal.',
        );
      }
      const value = await ctx.app.op.read(reference);
      ctx.io.stdout.write(opts.newline ? `${value}\n` : value);
    });

  op.command('set-token')
    .description('store the Connect token in the OS keychain (read from stdin, or asked for without echo)')
    .action(async () => {
      const token = (process.stdin.isTTY ? await promptSecret('1Password Connect token: ') : await readStdin()).trim();
      if (token === '') throw new LatchkeyError('INVALID_INPUT', 'empty token; nothing stored');
      await ctx.app.op.configure({ token });
      ctx.io.stderr.write('Stored the 1Password Connect token in the OS keychain.\n');
    });

  op.command('set-host')
    .description('set the Connect server URL (OP_CONNECT_HOST overrides it)')
    .argument('<url>', 'e.g. http://localhost:8080')
    .action(async (url: string) => {
      const { host } = await ctx.app.op.configure({ host: url });
      ctx.io.stderr.write(`1Password Connect server: ${host}\n`);
    });
}
