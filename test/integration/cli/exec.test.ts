import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLatchkey } from '../../support/cli';
import { CLI_BIN } from '../../support/paths';

// exec as a process: shell exit codes, --pristine, renaming, signals passed on to the command, and an audit
// trail that records how the command really ended. Only `set:` values, so no keychain and no AWS are involved.

const SECRET = 'canary-exec-pw-8c1f';
const MANIFEST = `version: 1
profiles:
  infra:
    sources:
      - set: { DB_PASSWORD: "${SECRET}", Region_Name: eu-west-1 }
`;

function project() {
  const root = mkdtempSync(path.join(tmpdir(), 'latchkey-exec-'));
  writeFileSync(path.join(root, 'latchkey.yml'), MANIFEST);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: root,
    USER: 'ci',
    TERM: 'dumb',
    LATCHKEY_HOME: path.join(root, 'app-data'),
    CI_JOB_TOKEN: 'not-for-the-child',
  };
  const audit = () =>
    readFileSync(path.join(root, 'app-data', 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { action: string; outcome: string; detail: string; keys: string[] });
  return { root, env, audit, run: (args: string[]) => runLatchkey(args, { cwd: root, env }) };
}

const printEnv = `process.stdout.write(JSON.stringify(process.env))`;

describe('latchkey exec', () => {
  it('exits 127 for a missing command and 126 for one that cannot run, and audits both as errors', async () => {
    const p = project();
    const missing = await p.run(['exec', 'infra', '--', 'no-such-command-latchkey']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('no-such-command-latchkey: command not found');
    const notExecutable = path.join(p.root, 'script.sh');
    writeFileSync(notExecutable, '#!/bin/sh\necho hi\n');
    chmodSync(notExecutable, 0o644);
    const denied = await p.run(['exec', 'infra', '--', notExecutable]);
    expect(denied.code).toBe(126);
    const ok = await p.run(['exec', 'infra', '--', process.execPath, '-e', 'process.exit(3)']);
    expect(ok.code).toBe(3);
    expect(p.audit().map((e) => [e.action, e.outcome, e.detail])).toEqual([
      ['exec', 'error', 'no-such-command-latchkey: command not found (exit 127)'],
      ['exec', 'error', `${notExecutable}: permission denied or not an executable (exit 126)`],
      ['exec', 'error', `${process.execPath}: exit 3`],
    ]);
    expect(readFileSync(path.join(p.root, 'app-data', 'audit.jsonl'), 'utf8')).not.toContain(SECRET);
  });

  it('--pristine passes only the values and PATH, HOME, TERM and USER; --prefix and --case rename', async () => {
    const p = project();
    const run = await p.run([
      'exec',
      'infra',
      '--pristine',
      '--prefix',
      'TF_VAR_',
      '--case',
      'lower',
      '--',
      process.execPath,
      '-e',
      printEnv,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      PATH: p.env.PATH,
      HOME: p.env.HOME,
      TERM: 'dumb',
      USER: 'ci',
      TF_VAR_db_password: SECRET,
      TF_VAR_region_name: 'eu-west-1',
    });
    const inherited = await p.run(['exec', 'infra', '--', process.execPath, '-e', printEnv]);
    expect(JSON.parse(inherited.stdout)).toMatchObject({ CI_JOB_TOKEN: 'not-for-the-child', DB_PASSWORD: SECRET });
  });

  it('forwards SIGTERM to the command, waits for it, and exits and audits as it did', async () => {
    const p = project();
    const marker = path.join(p.root, 'trapped');
    // The child says it is ready once its handler is in place; on SIGTERM it cleans up and exits 42.
    const child = `process.on('SIGTERM', () => { require('fs').writeFileSync(${JSON.stringify(marker)}, 'SIGTERM'); process.exit(42); }); process.stdout.write('ready\\n'); setInterval(() => {}, 1000);`;
    const trapped = await runAndSignal(p, ['exec', 'infra', '--', process.execPath, '-e', child]);
    expect(trapped.code).toBe(42);
    expect(readFileSync(marker, 'utf8')).toBe('SIGTERM');

    const plain = `process.stdout.write('ready\\n'); setInterval(() => {}, 1000);`;
    const killed = await runAndSignal(p, ['exec', 'infra', '--', process.execPath, '-e', plain]);
    expect(killed.code).toBe(143);
    expect(p.audit().map((e) => [e.outcome, e.detail])).toEqual([
      ['error', `${process.execPath}: exit 42`],
      ['error', `${process.execPath}: ended by SIGTERM (exit 143)`],
    ]);
  });
});

/** Starts latchkey, waits for the command's "ready", sends SIGTERM to latchkey alone, and waits for the end. */
function runAndSignal(p: { root: string; env: NodeJS.ProcessEnv }, args: string[]): Promise<{ code: number | null }> {
  return new Promise((resolve, reject) => {
    const cli = spawn(process.execPath, [CLI_BIN, ...args], {
      cwd: p.root,
      env: p.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    cli.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (out.includes('ready\n')) cli.kill('SIGTERM');
    });
    cli.on('error', reject);
    cli.on('close', (code) => resolve({ code }));
  });
}
