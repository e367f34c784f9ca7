import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, makeProject } from '../../support/cli';
import { missingConsumer, runProcess, skipReason } from '../../support/consumers';
import { CLI_BIN } from '../../support/paths';

// Where the system cannot swap two files, or koffi cannot load, a sync replaces its target by rename instead, and
// says nothing (main/core/exchange-entries.ts): a shipped bundle that lost the swap would still pass every other
// test. So the shipped CLI is watched from outside, with strace, as it replaces a target that exists.

const MANIFEST = `version: 1
profiles:
  dev:
    target: .env
    sources: [{ set: { SYNCED: "new" } }]
`;

/** Why the shipped CLI's system calls cannot be watched here, or undefined. */
function cannotTrace(): string | undefined {
  if (process.platform !== 'linux') return `renameat2 is Linux's; this is ${process.platform}`;
  // A container may forbid ptrace even where strace is installed: the probe traces a real process.
  return missingConsumer('strace', ['-qq', '-e', 'trace=none', 'true']);
}

describe('the shipped CLI replacing a target', () => {
  it('swaps it in with one renameat2(RENAME_EXCHANGE), and never renames over it', async (ctx) => {
    if (skipReason(cannotTrace(), 'strace of the shipped CLI')) return ctx.skip();
    const project = makeProject(MANIFEST);
    const target = path.join(project.root, '.env');
    writeFileSync(target, 'KEPT=1\n', { mode: 0o600 });
    const trace = path.join(mkdtempSync(path.join(tmpdir(), 'latchkey-strace-')), 'trace');
    const run = await runProcess(
      'strace',
      [
        '-f',
        '-qq',
        '-o',
        trace,
        '-e',
        'trace=rename,renameat,renameat2',
        process.execPath,
        CLI_BIN,
        'sync',
        'dev',
        '--yes',
      ],
      { cwd: project.root, env: cliEnv(project, 'http://127.0.0.1:9') },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('KEPT=1\nSYNCED=new\n');
    const calls = readFileSync(trace, 'utf8')
      .split('\n')
      .filter((line) => /\/\.env"/.test(line));
    expect(calls, calls.join('\n')).toHaveLength(1);
    expect(calls[0]).toMatch(/renameat2\(AT_FDCWD, "[^"]+\.tmp", AT_FDCWD, "[^"]+\/\.env", RENAME_EXCHANGE\) = 0$/);
  }, 60_000);
});
