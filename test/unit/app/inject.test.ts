import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { injectTemplate } from '../../../main/app/inject';
import { readTree } from '../../support/cli';
import { useOfflineProject } from '../../support/app-sandbox';

const TOKEN = 'ghp_canaryInject_41c2';
const t = useOfflineProject(TOKEN);

function template(text: string, name = 'values.tpl.yaml'): string {
  writeFileSync(path.join(t.dir, name), text);
  return name;
}

describe('inject', () => {
  it("renders env: references from the profile into a 0600 file, audited with the references' names", async () => {
    const tpl = template('api: {{ env:API_URL }}\ntoken: "{{ env:PERSONAL_TOKEN }}"\nkeep: {{ .Values.x }}\n');
    const result = await injectTemplate(t.sb.deps, {
      project: { cwd: t.dir },
      profile: 'dev',
      template: tpl,
      output: 'out/values.yaml',
    });
    const out = path.join(t.dir, 'out/values.yaml');
    expect(result).toEqual({ wrote: out, references: 2 });
    expect(readFileSync(out, 'utf8')).toBe(`api: https://api.canary.test\ntoken: "${TOKEN}"\nkeep: {{ .Values.x }}\n`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const [event] = await t.sb.audit();
    expect(event).toMatchObject({ action: 'inject', profile: 'dev', target: out, outcome: 'ok', detail: tpl });
    expect(event!.keys).toEqual(['env:API_URL', 'env:PERSONAL_TOKEN']);
    for (const { file, text } of readTree(t.sb.appDir)) expect(text, file).not.toContain(TOKEN);
  });

  it('returns the text for -o -', async () => {
    const tpl = template('{{ env:LOG_LEVEL }}');
    const result = await injectTemplate(t.sb.deps, {
      project: { cwd: t.dir },
      profile: 'dev',
      template: tpl,
      output: '-',
    });
    expect(result.text).toBe('debug');
  });

  it('writes nothing when a reference fails', async () => {
    const out = path.join(t.dir, 'rendered.yaml');
    writeFileSync(out, 'before\n');
    const tpl = template('a: {{ env:API_URL }}\nb: {{ env:NOT_PRODUCED }}\n');
    await expect(
      injectTemplate(t.sb.deps, { project: { cwd: t.dir }, profile: 'dev', template: tpl, output: 'rendered.yaml' }),
    ).rejects.toThrow(/produces no NOT_PRODUCED \(values.tpl.yaml:2:4\)/);
    expect(readFileSync(out, 'utf8')).toBe('before\n');
    expect(await t.sb.audit()).toEqual([]);
  });

  it('holds the output to the target rules: inside the project, not through a symlink', async () => {
    const tpl = template('{{ env:LOG_LEVEL }}');
    const run = (output: string) =>
      injectTemplate(t.sb.deps, { project: { cwd: t.dir }, profile: 'dev', template: tpl, output });
    await expect(run('../outside.yaml')).rejects.toMatchObject({ code: 'TARGET_UNSAFE' });
    await expect(run('/tmp/elsewhere.yaml')).rejects.toMatchObject({ code: 'TARGET_UNSAFE' });
    mkdirSync(path.join(t.dir, 'real'));
    symlinkSync(path.join(t.dir, 'real', 'file'), path.join(t.dir, 'link.yaml'));
    await expect(run('link.yaml')).rejects.toMatchObject({ code: 'TARGET_UNSAFE' });
    expect(existsSync(path.join(t.dir, 'real', 'file'))).toBe(false);
  });
});
