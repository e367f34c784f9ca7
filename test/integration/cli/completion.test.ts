import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_BIN, PTY_RUN } from '../../support/paths';

// `latchkey completion bash` in a real interactive bash on a pseudo-terminal: Tab completes commands and options
// from the program, and profile names from the manifest (found through --dir) and from the AWS files.

const work = mkdtempSync(path.join(tmpdir(), 'latchkey-completion-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function setUp() {
  const project = path.join(work, 'project');
  const elsewhere = path.join(work, 'elsewhere');
  const bin = path.join(work, 'bin');
  const aws = path.join(work, 'aws');
  for (const dir of [project, elsewhere, bin, aws]) mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(project, 'latchkey.yml'),
    'version: 1\nprofiles:\n  devbox:\n    sources:\n      - set: { A: "1" }\n  stagingbox:\n    sources:\n      - set: { B: "2" }\n',
  );
  writeFileSync(path.join(aws, 'config'), '[profile acme-sandbox]\nregion = us-east-1\n[profile acme-prod]\n');
  writeFileSync(path.join(aws, 'credentials'), '[acme-legacy]\naws_access_key_id = testing\n');
  // The script calls `latchkey` by name, as it would on a user's PATH.
  const wrapper = path.join(bin, 'latchkey');
  writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI_BIN)} "$@"\n`);
  chmodSync(wrapper, 0o755);
  // bash ignores an inherited PS1 (and root's default prompt ends in '# '): an rc file sets one to wait for.
  const rc = path.join(work, 'bashrc');
  writeFileSync(rc, "PS1='lkprompt$ '\n");
  return { project, elsewhere, bin, aws, rc };
}

describe('latchkey completion', () => {
  it('completes commands, options, manifest profiles (through --dir) and AWS profiles in bash', async () => {
    const { project, elsewhere, bin, aws, rc } = setUp();
    const prompt = 'lkprompt\\$ ';
    const answers: [string, string][] = [
      [prompt, 'source <(latchkey completion bash)\n'],
      [prompt, 'latchkey pl\t'],
      ['latchkey plan ', '\x15'],
      [prompt, `latchkey --dir ${project} plan \t\t`],
      ['stagingbox', '\x15'],
      [prompt, 'latchkey aws credential-process acme-\t\t'],
      ['acme-sandbox', '\x15'],
      [prompt, `latchkey status --dir ${project} --js\t`],
      ['--json ', '\x15'],
      [prompt, 'latchkey init --cha\t'],
      ['--chamber ', '\x15'],
      [prompt, 'exit\n'],
    ];
    const spec = JSON.stringify({
      argv: ['bash', '--noprofile', '--rcfile', rc, '-i'],
      cwd: elsewhere,
      answers,
      timeout: 120,
    });
    const env = {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      HOME: elsewhere,
      TERM: 'dumb',
      AWS_CONFIG_FILE: path.join(aws, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(aws, 'credentials'),
      LATCHKEY_HOME: path.join(work, 'home'),
    };
    const { stdout } = await promisify(execFile)('python3', [PTY_RUN, spec], { env, maxBuffer: 10 * 1024 * 1024 });
    const { transcript, unanswered } = JSON.parse(stdout) as { transcript: string; unanswered: number };
    // Every step was reached: each one waits for what the step before it must have shown.
    expect(unanswered, transcript).toBe(0);
    expect(transcript).toContain('latchkey plan ');
    expect(transcript).toMatch(/devbox\s+stagingbox/);
    expect(transcript).toMatch(/acme-legacy\s+acme-prod\s+acme-sandbox/);
    expect(transcript).toContain('--json ');
    expect(transcript).toContain('latchkey init --chamber ');
  }, 180_000);

  it('prints a script for zsh and fish with every top-level command in it', async () => {
    const run = (shell: string) => promisify(execFile)(process.execPath, [CLI_BIN, 'completion', shell]);
    for (const shell of ['zsh', 'fish']) {
      const { stdout } = await run(shell);
      for (const command of [
        'init',
        'plan',
        'sync',
        'status',
        'exec',
        'export',
        'inject',
        'secret',
        'audit',
        'aws',
        'op',
      ])
        expect(stdout, shell).toContain(command);
      expect(stdout, shell).toContain('__complete profiles');
    }
    await expect(run('tcsh')).rejects.toMatchObject({ code: 2 });
  });
});
