import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, makeProject, readTree, runLatchkey } from '../../support/cli';
import { motoEndpoint } from '../../support/aws-env';

// Issue 10 through the built CLI, as a user runs it: exit codes and what the terminal shows.

const CANARY = 'cli-hardening-canary-31c7';

describe('the CLI edge', () => {
  it('exec refuses a value holding a NUL by name (exit 4), and never prints the value (item 6)', async () => {
    const project = makeProject(
      `version: 1\nprofiles:\n  dev:\n    sources: [{ set: { FINE: "ok", TOKEN: "x\\0${CANARY}" } }]\n`,
    );
    const run = await runLatchkey(['exec', 'dev', '--', process.execPath, '-e', ''], {
      cwd: project.root,
      env: cliEnv(project, motoEndpoint()),
    });
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toMatch(/TOKEN: the value holds a NUL character/);
    expect(run.stdout + run.stderr).not.toContain(CANARY);
    for (const { text } of readTree(project.home)) expect(text).not.toContain(CANARY);
  });

  it('refuses a target inside .git at validation: exit 3 with the position, nothing written (item 1)', async () => {
    const project = makeProject(
      `version: 1\nprofiles:\n  dev:\n    target: .git/config\n    sources: [{ set: { X: "[core]" } }]\n`,
    );
    const run = await runLatchkey(['sync', 'dev', '--yes'], {
      cwd: project.root,
      env: cliEnv(project, motoEndpoint()),
    });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(
      /latchkey\.yml:4:13: profiles\.dev\.target: ".git\/config" is refused: .*version-control metadata/,
    );
    expect(existsSync(path.join(project.root, '.git'))).toBe(false);
  });

  it('op set-host with a token pasted by mistake does not echo it (item 17)', async () => {
    const project = makeProject('version: 1\nprofiles:\n  dev:\n    sources: []\n');
    const run = await runLatchkey(['op', 'set-host', `ops_${CANARY}`], {
      cwd: project.root,
      env: cliEnv(project, motoEndpoint()),
    });
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).not.toContain(CANARY);
    expect(existsSync(path.join(project.home, 'op.json'))).toBe(false);
    expect(readFileSync(path.join(project.root, 'latchkey.yml'), 'utf8')).not.toContain(CANARY);
  });
});
