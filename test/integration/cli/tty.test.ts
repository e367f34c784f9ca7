import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { motoEndpoint, useSeededMoto } from '../../support/aws-env';
import { cliEnv, makeProject } from '../../support/cli';
import { CLI_BIN, PTY_RUN } from '../../support/paths';

const BIN = CLI_BIN;
const PTY = PTY_RUN;
const PERSONAL = 'ghp_canaryTypedAtPrompt42';

const MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  dev:
    sources:
      - ssm: /app/token
        as: APP_TOKEN
      - keychain: GITHUB_TOKEN
`;

useSeededMoto(async (ssm) => {
  await ssm.send(new PutParameterCommand({ Name: '/app/token', Value: 'canary-tty-app', Type: 'SecureString' }));
});

async function onTerminal(args: string[], cwd: string, env: NodeJS.ProcessEnv, answers: [string, string][]) {
  const spec = JSON.stringify({ argv: [process.execPath, BIN, ...args], cwd, answers, timeout: 60 });
  const { stdout } = await promisify(execFile)('python3', [PTY, spec], { env, maxBuffer: 10 * 1024 * 1024 });
  return JSON.parse(stdout) as { code: number; transcript: string; unanswered: number };
}

describe('latchkey on a terminal', () => {
  it('asks for a missing personal secret without echo, shows the plan, asks before writing', async () => {
    const project = makeProject(MANIFEST);
    const env = cliEnv(project, motoEndpoint(), { TERM: 'dumb' });

    const run = await onTerminal(['sync', 'dev'], project.root, env, [
      ['GITHUB_TOKEN \\(personal secret', `${PERSONAL}\r`],
      ['Write .*\\?', 'y\r'],
    ]);
    expect(run.unanswered, run.transcript).toBe(0);
    expect(run.code, run.transcript).toBe(0);
    expect(run.transcript).toContain('+ add');
    expect(run.transcript).not.toContain(PERSONAL); // typed without echo
    const written = readFileSync(path.join(project.root, '.env'), 'utf8');
    expect(written).toContain(`GITHUB_TOKEN=${PERSONAL}`);
    expect(written).toContain('APP_TOKEN=canary-tty-app');

    // Asked once: the next run finds it in the keychain and has nothing to ask.
    const again = await onTerminal(['plan', 'dev'], project.root, env, []);
    expect(again.code, again.transcript).toBe(0);
    expect(again.transcript).not.toContain('personal secret');
    expect(again.transcript).toMatch(/2 unchanged/);
  });

  it('writes nothing when the user declines', async () => {
    const project = makeProject(MANIFEST.replace('      - keychain: GITHUB_TOKEN\n', ''));
    const env = cliEnv(project, motoEndpoint(), { TERM: 'dumb' });
    const run = await onTerminal(['sync', 'dev'], project.root, env, [['Write .*\\?', 'n\r']]);
    expect(run.code, run.transcript).toBe(0);
    expect(run.transcript).toContain('Nothing written.');
    expect(() => readFileSync(path.join(project.root, '.env'))).toThrow();
  });
});
