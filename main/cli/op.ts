import type { Command } from 'commander';
import { appendAuditEvent } from '../core/audit';
import { LatchkeyError, isLatchkeyError } from '../core/errors';
import { OP_TOKEN_ACCOUNT, saveOpConnectHost } from '../core/op-settings';
import type { Runtime } from '../runtime';
import { createOpApi, resolveOpConnection, type OpConnection } from '../sources/op-client';
import { readOpReference } from '../sources/op-source';
import { EXIT } from './exit-codes';
import type { CliIo } from './program';
import { promptSecret } from './prompt';

export interface OpCheck {
  name: 'connection' | 'heartbeat' | 'token' | 'vaults';
  ok: boolean;
  message: string;
  hint?: string;
}

export interface OpStatus {
  ok: boolean;
  host?: string;
  hostFrom?: OpConnection['hostFrom'];
  tokenFrom?: OpConnection['tokenFrom'];
  checks: OpCheck[];
  vaults: { id: string; name: string }[];
}

/**
 * "Test connection": the configuration, then the server's heartbeat, then the token, then the vaults it sees. Each
 * step runs only when the one before passed, so the first failing check is the one to fix.
 */
export async function checkOpConnection(runtime: Pick<Runtime, 'appDir' | 'keychain'>, env: NodeJS.ProcessEnv = process.env): Promise<OpStatus> {
  const status: OpStatus = { ok: false, checks: [], vaults: [] };
  const fail = (name: OpCheck['name'], error: unknown, fallback: string) => {
    status.checks.push({ name, ok: false, message: isLatchkeyError(error) ? error.message : fallback, ...(isLatchkeyError(error) && error.hint && { hint: error.hint }) });
    return status;
  };
  let connection: OpConnection;
  try {
    connection = await resolveOpConnection({ env, appDir: runtime.appDir, keychain: runtime.keychain });
  } catch (error) {
    return fail('connection', error, 'cannot read the 1Password Connect configuration');
  }
  Object.assign(status, { host: connection.host, hostFrom: connection.hostFrom, tokenFrom: connection.tokenFrom });
  status.checks.push({ name: 'connection', ok: true, message: `server ${connection.host} (from ${connection.hostFrom}), token from ${connection.tokenFrom}` });
  const api = createOpApi(connection, { retries: 1 });
  if (!(await api.heartbeat())) {
    return fail('heartbeat', undefined, `no heartbeat from ${connection.host}/heartbeat: is the Connect server running, and is the URL right?`);
  }
  status.checks.push({ name: 'heartbeat', ok: true, message: 'the server answers' });
  let vaults;
  try {
    vaults = await api.listVaults();
  } catch (error) {
    return fail('token', error, 'the vault list could not be read');
  }
  status.checks.push({ name: 'token', ok: true, message: 'the token is accepted' });
  status.vaults = vaults.map((v) => ({ id: v.id ?? '', name: v.name ?? '' }));
  if (vaults.length === 0) {
    status.checks.push({ name: 'vaults', ok: false, message: 'the token sees no vaults', hint: 'Give the Connect token access to the vaults your profiles use.' });
    return status;
  }
  status.checks.push({ name: 'vaults', ok: true, message: `${vaults.length} vault${vaults.length === 1 ? '' : 's'} in scope: ${status.vaults.map((v) => v.name).join(', ')}` });
  status.ok = true;
  return status;
}

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
        throw new LatchkeyError('INVALID_INPUT', 'refusing to print a secret value to a terminal', 'Pipe or redirect the output, or add --reveal.');
      }
      const detail = `op read ${reference}`.slice(0, 500);
      try {
        const connection = await resolveOpConnection({ env: process.env, appDir: runtime.appDir, keychain: runtime.keychain });
        const { value, sourceKey } = await readOpReference(createOpApi(connection), reference);
        await appendAuditEvent(runtime.appDir, { action: 'reveal', keys: [sourceKey.slice(0, 256)], outcome: 'ok', detail });
        io.stdout.write(opts.newline ? `${value}\n` : value);
      } catch (error) {
        const code = isLatchkeyError(error) ? error.code : 'INTERNAL';
        await appendAuditEvent(runtime.appDir, { action: 'reveal', outcome: 'error', detail: `${detail} (${code})`.slice(0, 500) });
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
      await appendAuditEvent(runtime.appDir, { action: 'settings.change', keys: ['opConnectHost'], outcome: 'ok', detail: host.slice(0, 500) });
      io.stderr.write(`1Password Connect server: ${host}\n`);
    });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
