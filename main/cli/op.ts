import type { Command } from 'commander';
import { appendAuditEvent } from '../core/audit';
import { LatchkeyError, isLatchkeyError } from '../core/errors';
import { OP_TOKEN_ACCOUNT, saveOpConnectHost } from '../core/op-settings';
import type { Runtime } from '../app/runtime';
import { createOpApi, resolveOpConnection } from '../onepassword/client';
import { readOpReference } from '../onepassword/source';
import { checkOpConnection } from '../onepassword/status';
import { EXIT } from './exit-codes';
import type { CliIo } from './program';
import { promptSecret } from './prompt';

/** `latchkey op …`: the 1Password Connect connection, and reading one reference like `op read`. */
export function registerOpCommands(program: Command, runtime: Runtime, io: CliIo): void {
  const json = () => Boolean(program.opts<{ json?: boolean }>().json);
  const op = program.command('op').description('1Password Connect: connection and references');

  op.command('status')
    .description('test the connection: heartbeat, token, vaults in scope')
    .action(async () => {
      const status = await checkOpConnection(runtime);
      if (json()) io.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      else {
        for (const c of status.checks) {
          io.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.message}\n`);
          if (c.hint) io.stdout.write(`     ${c.hint}\n`);
        }
      }
      if (!status.ok) io.exitCode = EXIT.source;
    });

  op.command('read')
    .description('print the value of an op:// reference (refuses a terminal unless --reveal)')
    .argument('<reference>', 'op://vault/item[/section]/field[?attribute=otp]')
    .option('--reveal', 'allow printing the value to a terminal')
    .option('-n, --no-newline', 'do not print a newline after the value')
    .action(async (reference: string, opts: { reveal?: boolean; newline: boolean }) => {
      if (io.stdout.isTTY && !opts.reveal) {
        throw new LatchkeyError(
          'INVALID_INPUT',
          'refusing to print a secret value to a terminal',
          'Pipe or redirect the output, or add --reveal.',
        );
      }
      const detail = `op read ${reference}`.slice(0, 500);
      try {
        const connection = await resolveOpConnection({
          env: process.env,
          appDir: runtime.appDir,
          keychain: runtime.keychain,
        });
        const { value, sourceKey } = await readOpReference(createOpApi(connection), reference);
        await appendAuditEvent(runtime.appDir, {
          action: 'reveal',
          keys: [sourceKey.slice(0, 256)],
          outcome: 'ok',
          detail,
        });
        io.stdout.write(opts.newline ? `${value}\n` : value);
      } catch (error) {
        const code = isLatchkeyError(error) ? error.code : 'INTERNAL';
        await appendAuditEvent(runtime.appDir, {
          action: 'reveal',
          outcome: 'error',
          detail: `${detail} (${code})`.slice(0, 500),
        });
        throw error;
      }
    });

  op.command('set-token')
    .description('store the Connect token in the OS keychain (read from stdin, or asked for without echo)')
    .action(async () => {
      const token = (process.stdin.isTTY ? await promptSecret('1Password Connect token: ') : await readStdin()).trim();
      if (token === '') throw new LatchkeyError('INVALID_INPUT', 'empty token; nothing stored');
      await runtime.keychain.set(OP_TOKEN_ACCOUNT, token);
      await appendAuditEvent(runtime.appDir, { action: 'secret.set', keys: [OP_TOKEN_ACCOUNT], outcome: 'ok' });
      io.stderr.write('Stored the 1Password Connect token in the OS keychain.\n');
    });

  op.command('set-host')
    .description('set the Connect server URL (OP_CONNECT_HOST overrides it)')
    .argument('<url>', 'e.g. http://localhost:8080')
    .action(async (url: string) => {
      const host = await saveOpConnectHost(runtime.appDir, url);
      await appendAuditEvent(runtime.appDir, {
        action: 'settings.change',
        keys: ['opConnectHost'],
        outcome: 'ok',
        detail: host.slice(0, 500),
      });
      io.stderr.write(`1Password Connect server: ${host}\n`);
    });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
