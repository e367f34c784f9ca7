import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLatchkey } from '../../support/cli';

// Issue 12, items 2 and 6: global options work before or after the command, --version, and the colour rules.

const work = mkdtempSync(path.join(tmpdir(), 'latchkey-globals-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const project = path.join(work, 'project');
const elsewhere = mkdtempSync(path.join(work, 'elsewhere-'));
mkdirSync(project);
writeFileSync(
  path.join(project, 'latchkey.yml'),
  'version: 1\nprofiles:\n  dev:\n    sources:\n      - set: { GREETING: hello }\n',
);
const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  // The runner's own colour settings must not decide what these tests see.
  const { NO_COLOR: _n, FORCE_COLOR: _f, ...base } = process.env;
  return { ...base, LATCHKEY_HOME: path.join(work, 'home'), ...extra };
};
const printGreeting = [process.execPath, '-e', 'process.stdout.write(process.env.GREETING ?? "unset")'];

describe('global options', () => {
  it('take the same meaning before or after the command; exec --dir X dev takes dev as the profile', async () => {
    for (const args of [
      ['exec', '--dir', project, 'dev', '--', ...printGreeting],
      ['--dir', project, 'exec', 'dev', '--', ...printGreeting],
      ['exec', 'dev', '--dir', project, '--', ...printGreeting],
    ]) {
      const run = await runLatchkey(args, { cwd: elsewhere, env: env() });
      expect(run.stderr, args.join(' ')).not.toMatch(/error/);
      expect(run.stdout, args.join(' ')).toBe('hello');
    }
    const json = await runLatchkey(['plan', 'dev', '--json', '--dir', project], { cwd: elsewhere, env: env() });
    expect(JSON.parse(json.stdout)).toMatchObject({ plan: { profile: 'dev' } });
  });

  it('--version and -V print the version from package.json', async () => {
    const { version } = (await import('../../../package.json', { with: { type: 'json' } })).default as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      const run = await runLatchkey([flag], { cwd: elsewhere, env: env() });
      expect(run).toMatchObject({ code: 0, stdout: `${version}\n` });
    }
  });

  it('colours only when asked off a terminal, and NO_COLOR and --no-color win over FORCE_COLOR', async () => {
    const plan = (args: string[], extra: NodeJS.ProcessEnv) =>
      runLatchkey(['plan', 'dev', '--dir', project, ...args], { cwd: elsewhere, env: env(extra) });
    const ESC = '\x1b[';
    expect((await plan([], {})).stdout).not.toContain(ESC);
    expect((await plan([], { FORCE_COLOR: '1' })).stdout).toContain(ESC);
    expect((await plan(['--color'], {})).stdout).toContain(ESC);
    expect((await plan([], { FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toContain(ESC);
    expect((await plan(['--no-color'], { FORCE_COLOR: '1' })).stdout).not.toContain(ESC);
    // An empty NO_COLOR does not count (no-color.org).
    expect((await plan([], { FORCE_COLOR: '1', NO_COLOR: '' })).stdout).toContain(ESC);
  });
});
