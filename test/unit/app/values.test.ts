import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportValues, valuesForExec } from '../../../main/app/values';
import { personalSecretAccount } from '../../../main/core/keychain';
import { readTree } from '../../support/cli';
import { useOfflineProject } from '../../support/app-sandbox';

const TOKEN = 'ghp_canaryAppValues_0b3f';

const t = useOfflineProject(TOKEN);

describe('exec and export', () => {
  it("exec gets the profile's values and is audited with the command's name, not its values", async () => {
    const phases: string[] = [];
    const values = await valuesForExec(t.sb.deps, {
      project: { cwd: t.dir },
      profile: 'dev',
      command: 'terraform',
      onProgress: (p) => phases.push(p.phase),
    });
    expect(Object.fromEntries(values)).toEqual({
      LOG_LEVEL: 'debug',
      API_URL: 'https://api.canary.test',
      PERSONAL_TOKEN: TOKEN,
    });
    expect(phases).toContain('resolving');
    expect((await t.sb.audit()).map((e) => [e.action, e.profile, e.keys, e.outcome, e.detail])).toEqual([
      ['exec', 'dev', ['LOG_LEVEL', 'API_URL', 'PERSONAL_TOKEN'], 'ok', 'terraform'],
    ]);
    for (const { file, text } of readTree(t.sb.appDir)) expect(text, file).not.toContain(TOKEN);
  });

  it('export renders the format and audits it; a format that cannot carry a value is refused unaudited', async () => {
    const json = await exportValues(t.sb.deps, { project: { cwd: t.dir }, profile: 'dev', format: 'json' });
    expect(JSON.parse(json)).toMatchObject({ PERSONAL_TOKEN: TOKEN });
    await t.sb.keychain.set(personalSecretAccount(path.join(t.dir, 'latchkey.yml'), 'PERSONAL_TOKEN'), 'a\rb');
    await expect(
      exportValues(t.sb.deps, { project: { cwd: t.dir }, profile: 'dev', format: 'dotenv' }),
    ).rejects.toMatchObject({ code: 'PLAN_HAS_ERRORS' });
    expect((await t.sb.audit()).map((e) => [e.action, e.detail])).toEqual([['export', 'json']]);
  });
});
