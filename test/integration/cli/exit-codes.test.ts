import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../main/cli/exit-codes';
import { motoEndpoint, useSeededMoto } from '../../support/aws-env';
import { cliEnv, makeProject, runLatchkey } from '../../support/cli';
import { CLI_BIN, PTY_RUN } from '../../support/paths';
import { seedChamberService } from '../../support/ssm-seed';

// Issue 12, item 5: every row of the README's exit-code table, provoked through the built CLI as a script would
// meet it. One `it` per row, named after it; the README's table is read here so that a row cannot be added or
// renumbered without a test.

const CANARY = 'canary-exit-codes-db-5e1b';
const MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  dev:
    target: .env
    sources:
      - chamber: api/dev
      - set: { LOG_LEVEL: debug }
  personal:
    target: .env.personal
    sources:
      - keychain: EXIT_CODES_TOKEN
  bad-names:
    target: .env.bad
    sources:
      - chamber: bad/dev
  empty:
    target: .env.empty
    sources:
      - chamber: nothing/here
  onepassword:
    target: .env.op
    sources:
      - op: "op://Engineering/Stripe/credential"
        as: STRIPE_KEY
`;

useSeededMoto(async (ssm) => {
  await seedChamberService(ssm, 'api/dev', { db_password: CANARY, db_host: 'db.exit.internal' });
  await seedChamberService(ssm, 'bad/dev', { '9lives': 'x', fine: 'ok' });
});

function project() {
  const p = makeProject(MANIFEST);
  const env = cliEnv(p, motoEndpoint());
  delete env.OP_CONNECT_HOST;
  delete env.OP_CONNECT_TOKEN;
  const run = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    runLatchkey(args, { cwd: p.root, env: { ...env, ...extraEnv } });
  return { ...p, env, run, target: path.join(p.root, '.env') };
}

async function onTerminal(args: string[], cwd: string, env: NodeJS.ProcessEnv, answers: [string, string][]) {
  const spec = JSON.stringify({ argv: [process.execPath, CLI_BIN, ...args], cwd, answers, timeout: 60 });
  const { stdout } = await promisify(execFile)('python3', [PTY_RUN, spec], { env, maxBuffer: 10 * 1024 * 1024 });
  return JSON.parse(stdout) as { code: number; transcript: string; unanswered: number };
}

/** The README's rows: exit status -> the error codes it lists. */
function readmeRows(): Map<number, string[]> {
  const readme = readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('### Exit codes'), readme.indexOf('## The manifest'));
  const rows = new Map<number, string[]>();
  for (const line of table.split('\n')) {
    const m = /^\| (\d+) \|[^|]*\|([^|]*)\|$/.exec(line);
    if (m)
      rows.set(
        Number(m[1]),
        [...m[2]!.matchAll(/`([A-Z_]+)`/g)].map((x) => x[1]!),
      );
  }
  return rows;
}

const expectNoCanary = (...texts: string[]) => {
  for (const t of texts) expect(t).not.toContain(CANARY);
};

describe('the exit-code table of the README', () => {
  it('has exactly the rows of main/cli/exit-codes.ts, each listing the error codes the CLI maps to it', async () => {
    const { exitCodeFor } = await import('../../../main/cli/exit-codes');
    const rows = readmeRows();
    expect([...rows.keys()]).toEqual(Object.values(EXIT));
    for (const [exit, codes] of rows) {
      for (const code of codes) expect(exitCodeFor(code as never), `${code} in row ${exit}`).toBe(exit);
    }
  });

  it('0: success, and exec passes its command’s exit code through (127 not found, 126 cannot run, 128 + N)', async () => {
    const p = project();
    const sync = await p.run(['sync', 'dev', '--yes']);
    expect(sync.code, sync.stderr).toBe(EXIT.ok);
    expect((await p.run(['exec', 'dev', '--', process.execPath, '-e', 'process.exit(42)'])).code).toBe(42);
    expect((await p.run(['exec', 'dev', '--', 'latchkey-no-such-program-x'])).code).toBe(127);
    const killed = await p.run(['exec', 'dev', '--', process.execPath, '-e', "process.kill(process.pid, 'SIGTERM')"]);
    expect(killed.code).toBe(128 + 15);
    const notExecutable = path.join(p.root, 'script.sh');
    writeFileSync(notExecutable, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
    expect((await p.run(['exec', 'dev', '--', notExecutable])).code).toBe(126);
  });

  it('1: unexpected internal error, or the operation was cancelled', async () => {
    const p = project();
    // An app-data folder that is a file: nothing Latchkey expects, so an internal error (no stack, no values).
    const notAFolder = path.join(mkdtempSync(path.join(tmpdir(), 'latchkey-exit-')), 'file');
    writeFileSync(notAFolder, '');
    const internal = await p.run(['audit', 'verify'], { LATCHKEY_HOME: notAFolder });
    expect(internal.code, internal.stderr).toBe(EXIT.failure);
    expect(internal.stderr).toMatch(/^internal error: /m);

    // Declining a confirmation on a terminal: CANCELLED, nothing changed.
    const cancelled = await onTerminal(
      ['chamber', 'delete', 'api/dev', 'db_host'],
      p.root,
      { ...p.env, TERM: 'dumb' },
      [['Delete api/dev/db_host', 'n\r']],
    );
    expect(cancelled.unanswered, cancelled.transcript).toBe(0);
    expect(cancelled.code, cancelled.transcript).toBe(EXIT.failure);
    expect(cancelled.transcript).toMatch(/cancelled; nothing was changed/);
    expect((await p.run(['chamber', 'list', 'api/dev'])).stdout).toContain('db_host');
  });

  it('2: usage error: bad arguments, --yes needed without a terminal, export to a terminal without --reveal', async () => {
    const p = project();
    const unknownOption = await p.run(['plan', 'dev', '--no-such-option']);
    expect(unknownOption.code).toBe(EXIT.usage);
    const noYes = await p.run(['sync', 'dev']);
    expect(noYes.code, noYes.stderr).toBe(EXIT.usage);
    expect(noYes.stderr).toMatch(/--yes/);
    const badTimeout = await p.run(['plan', 'dev', '--timeout', 'soon']);
    expect(badTimeout.code).toBe(EXIT.usage);
    const toTerminal = await onTerminal(['export', 'dev'], p.root, { ...p.env, TERM: 'dumb' }, []);
    expect(toTerminal.code, toTerminal.transcript).toBe(EXIT.usage);
    expect(toTerminal.transcript).toMatch(/--reveal/);
    expectNoCanary(noYes.stdout, noYes.stderr, toTerminal.transcript);
  });

  it('3: manifest not found, invalid, or unknown profile', async () => {
    const p = project();
    const empty = mkdtempSync(path.join(tmpdir(), 'latchkey-no-manifest-'));
    expect((await runLatchkey(['plan', 'dev'], { cwd: empty, env: p.env })).code).toBe(EXIT.manifest);
    expect((await p.run(['plan', 'staging'])).code).toBe(EXIT.manifest);
    writeFileSync(path.join(p.root, 'latchkey.yml'), MANIFEST.replace('target: .env\n', 'target: ../escape.env\n'));
    const invalid = await p.run(['plan', 'dev']);
    expect(invalid.code).toBe(EXIT.manifest);
    expect(invalid.stderr).toMatch(/latchkey\.yml:\d+:\d+/);
  });

  it('4: the plan has errors; nothing was written', async () => {
    const p = project();
    const run = await p.run(['sync', 'bad-names', '--yes']);
    expect(run.code, run.stderr).toBe(EXIT.planErrors);
    expect(run.stderr + run.stdout).toMatch(/9lives/);
    expect(() => readFileSync(path.join(p.root, '.env.bad'))).toThrow();
  });

  it('5: a source failed or is not configured; nothing was written', async () => {
    const p = project();
    const empty = await p.run(['sync', 'empty', '--yes']);
    expect(empty.code, empty.stderr).toBe(EXIT.source);
    expect(empty.stderr).toMatch(/nothing\/here/);
    const noConnect = await p.run(['plan', 'onepassword']);
    expect(noConnect.code, noConnect.stderr).toBe(EXIT.source);
    expect(noConnect.stderr).toMatch(/1Password/);
    const unreachable = await p.run(['plan', 'dev', '--timeout', '5'], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    expect(unreachable.code, unreachable.stderr).toBe(EXIT.source);
  });

  it('6: a personal secret is missing and there is no terminal to ask on', async () => {
    const p = project();
    const run = await p.run(['sync', 'personal', '--yes']);
    expect(run.code, run.stderr).toBe(EXIT.needsInput);
    expect(run.stderr).toContain('latchkey secret set EXIT_CODES_TOKEN');
  });

  it('7: the OS keychain is unavailable or locked', async () => {
    const p = project();
    const run = await p.run(['plan', 'personal'], { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/latchkey-bus' });
    expect(run.code, run.stderr).toBe(EXIT.keychain);
    expect(run.stderr).toMatch(/keychain is not available/);
  });

  it('8: the target is unsafe or could not be written, or the sync state could not be read', async () => {
    const p = project();
    const elsewhere = path.join(mkdtempSync(path.join(tmpdir(), 'latchkey-exit-')), 'other.env');
    writeFileSync(elsewhere, 'OTHER=1\n');
    symlinkSync(elsewhere, p.target);
    const symlinked = await p.run(['sync', 'dev', '--yes']);
    expect(symlinked.code, symlinked.stderr).toBe(EXIT.target);
    expect(readFileSync(elsewhere, 'utf8')).toBe('OTHER=1\n');

    const q = project();
    const notAFolder = path.join(mkdtempSync(path.join(tmpdir(), 'latchkey-exit-')), 'file');
    writeFileSync(notAFolder, '');
    const noState = await q.run(['sync', 'dev', '--yes'], { LATCHKEY_HOME: notAFolder });
    expect(noState.code, noState.stderr).toBe(EXIT.target);
    expect(noState.stderr).toMatch(/Cannot read sync state/);
    expect(() => readFileSync(q.target)).toThrow();
  });

  it('9: status --exit-code: the file is not in sync', async () => {
    const p = project();
    expect((await p.run(['status', 'dev', '--exit-code'])).code).toBe(EXIT.drift);
    expect((await p.run(['sync', 'dev', '--yes'])).code).toBe(EXIT.ok);
    expect((await p.run(['status', 'dev', '--exit-code'])).code).toBe(EXIT.ok);
    writeFileSync(p.target, readFileSync(p.target, 'utf8').replace('LOG_LEVEL=debug', 'LOG_LEVEL=trace'));
    expect((await p.run(['status', 'dev', '--exit-code'])).code).toBe(EXIT.drift);
  });

  it('10: the audit trail is broken', async () => {
    const p = project();
    expect((await p.run(['sync', 'dev', '--yes'])).code).toBe(EXIT.ok);
    const auditFile = path.join(p.home, 'audit.jsonl');
    chmodSync(auditFile, 0o600);
    writeFileSync(auditFile, readFileSync(auditFile, 'utf8').replace('"ok"', '"error"'));
    const verify = await p.run(['audit', 'verify']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(EXIT.audit);
    // A command that would extend a log cut short of its head record refuses, with the same status, writing nothing.
    const lines = readFileSync(auditFile, 'utf8').split('\n').filter(Boolean);
    writeFileSync(
      auditFile,
      lines
        .slice(0, -1)
        .map((l) => `${l}\n`)
        .join(''),
    );
    writeFileSync(p.target, '');
    const sync = await p.run(['sync', 'dev', '--yes']);
    expect(sync.code, sync.stderr).toBe(EXIT.audit);
    expect(sync.stderr).toMatch(/audit log cannot be extended/);
    expect(readFileSync(p.target, 'utf8')).toBe('');
  });
});
