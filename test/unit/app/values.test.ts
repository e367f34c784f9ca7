import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execWithValues, exportValues, type RunCommand } from '../../../main/app/values';
import { personalSecretAccount } from '../../../main/core/keychain';
import { readTree } from '../../support/cli';
import { useOfflineProject } from '../../support/app-sandbox';

const TOKEN = 'ghp_canaryAppValues_0b3f';

const t = useOfflineProject(TOKEN);

/** A stand-in for the CLI's runner: records what the child would have got, and ends as told. */
function recordingRunner(exitCode = 0, extra: { signal?: string; notRun?: string } = {}) {
  const calls: { command: string[]; env: NodeJS.ProcessEnv }[] = [];
  const run: RunCommand = async (command, env) => {
    calls.push({ command, env });
    return { exitCode, ...extra };
  };
  return { calls, run };
}

describe('exec', () => {
  it("gives the child the profile's values over the caller's environment, and audits the real outcome", async () => {
    const phases: string[] = [];
    const runner = recordingRunner(0);
    const outcome = await execWithValues(
      t.sb.deps,
      {
        project: { cwd: t.dir },
        profile: 'dev',
        command: ['terraform', 'plan'],
        baseEnv: { PATH: '/bin', CI_TOKEN: 'kept', LOG_LEVEL: 'overridden' },
        onProgress: (p) => phases.push(p.phase),
      },
      runner.run,
    );
    expect(outcome.exitCode).toBe(0);
    expect(runner.calls[0]!.command).toEqual(['terraform', 'plan']);
    expect(runner.calls[0]!.env).toEqual({
      PATH: '/bin',
      CI_TOKEN: 'kept',
      LOG_LEVEL: 'debug',
      API_URL: 'https://api.canary.test',
      PERSONAL_TOKEN: TOKEN,
    });
    expect(phases).toContain('resolving');
    expect((await t.sb.audit()).map((e) => [e.action, e.profile, e.keys, e.outcome, e.detail])).toEqual([
      ['exec', 'dev', ['LOG_LEVEL', 'API_URL', 'PERSONAL_TOKEN'], 'ok', 'terraform: exit 0'],
    ]);
    for (const { file, text } of readTree(t.sb.appDir)) expect(text, file).not.toContain(TOKEN);
  });

  it('--pristine keeps only PATH, HOME, TERM and USER; --prefix and --case rename', async () => {
    const runner = recordingRunner(0);
    await execWithValues(
      t.sb.deps,
      {
        project: { cwd: t.dir },
        profile: 'dev',
        command: ['env'],
        baseEnv: { PATH: '/bin', HOME: '/home/ci', TERM: 'xterm', USER: 'ci', AWS_SECRET_ACCESS_KEY: 'leak', X: '1' },
        pristine: true,
        names: { prefix: 'TF_VAR_', case: 'lower' },
      },
      runner.run,
    );
    expect(runner.calls[0]!.env).toEqual({
      PATH: '/bin',
      HOME: '/home/ci',
      TERM: 'xterm',
      USER: 'ci',
      TF_VAR_log_level: 'debug',
      TF_VAR_api_url: 'https://api.canary.test',
      TF_VAR_personal_token: TOKEN,
    });
  });

  it('records a failing, a missing and a signalled command as errors with their exit codes', async () => {
    const request = { project: { cwd: t.dir }, profile: 'dev', baseEnv: {} };
    await execWithValues(t.sb.deps, { ...request, command: ['false'] }, recordingRunner(3).run);
    await execWithValues(
      t.sb.deps,
      { ...request, command: ['nope'] },
      recordingRunner(127, { notRun: 'command not found' }).run,
    );
    await execWithValues(
      t.sb.deps,
      { ...request, command: ['sleep'] },
      recordingRunner(143, { signal: 'SIGTERM' }).run,
    );
    expect((await t.sb.audit()).map((e) => [e.outcome, e.detail])).toEqual([
      ['error', 'false: exit 3'],
      ['error', 'nope: command not found (exit 127)'],
      ['error', 'sleep: ended by SIGTERM (exit 143)'],
    ]);
  });

  it('refuses a value with NUL by name before anything runs', async () => {
    await t.sb.keychain.set(personalSecretAccount(path.join(t.dir, 'latchkey.yml'), 'PERSONAL_TOKEN'), 'a\0canary');
    const runner = recordingRunner(0);
    const error = await execWithValues(
      t.sb.deps,
      { project: { cwd: t.dir }, profile: 'dev', command: ['env'], baseEnv: {} },
      runner.run,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PLAN_HAS_ERRORS' });
    expect((error as Error).message).toContain('PERSONAL_TOKEN');
    expect((error as Error).message).not.toContain('canary');
    expect(runner.calls).toHaveLength(0);
  });
});

describe('export', () => {
  it('renders the format and audits it; a format that cannot carry a value is refused unaudited', async () => {
    const json = await exportValues(t.sb.deps, { project: { cwd: t.dir }, profile: 'dev', format: 'json' });
    expect(JSON.parse(json.text)).toMatchObject({ PERSONAL_TOKEN: TOKEN });
    await t.sb.keychain.set(personalSecretAccount(path.join(t.dir, 'latchkey.yml'), 'PERSONAL_TOKEN'), 'a\rb');
    const refused = exportValues(t.sb.deps, { project: { cwd: t.dir }, profile: 'dev', format: 'dotenv' });
    await expect(refused).rejects.toMatchObject({ code: 'PLAN_HAS_ERRORS' });
    await expect(refused).rejects.toThrow(/PERSONAL_TOKEN/);
    expect((await t.sb.audit()).map((e) => [e.action, e.detail])).toEqual([['export', 'json']]);
  });

  it('renames with --prefix and --case, and refuses two names that become one', async () => {
    const out = await exportValues(t.sb.deps, {
      project: { cwd: t.dir },
      profile: 'dev',
      format: 'json',
      names: { case: 'lower' },
    });
    expect(Object.keys(JSON.parse(out.text))).toEqual(['log_level', 'api_url', 'personal_token']);
    const clash = t.sb.project(
      'clash',
      'version: 1\nprofiles:\n  dev:\n    sources:\n      - set: { Db_Host: a, DB_HOST: b }\n',
    );
    await expect(
      exportValues(t.sb.deps, { project: { cwd: clash }, profile: 'dev', format: 'json', names: { case: 'lower' } }),
    ).rejects.toThrow(/Db_Host and DB_HOST both become db_host/);
  });
});
