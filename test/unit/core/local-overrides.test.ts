import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keptKeys, loadLocalOverrides, withKeptKey, writeKeptKey } from '../../../main/core/local-overrides';

describe('latchkey.local.yml', () => {
  it('starts a commented file, keeps and unkeeps keys per profile, and keeps the user’s comments', () => {
    const first = withKeptKey(undefined, 'dev', 'DB_HOST', true);
    expect(first).toMatch(/^# Latchkey: your own choices/);
    expect(first).toContain('keep: [ DB_HOST ]');
    const edited = `${first}# my note\n`;
    const second = withKeptKey(edited, 'dev', 'API_URL', true);
    expect(second).toContain('DB_HOST, API_URL');
    expect(second).toContain('# my note');
    expect(withKeptKey(second, 'dev', 'API_URL', true)).toBe(second);
    const other = withKeptKey(second, 'ci', 'X', true);
    const back = withKeptKey(other, 'dev', 'DB_HOST', false);
    expect(back).toContain('keep: [ API_URL ]');
    expect(back).toContain('ci:');
    expect(back).toContain('# my note');
  });

  it('refuses a name that is not a variable name', () => {
    expect(() => withKeptKey(undefined, 'dev', 'not-a-name', true)).toThrow(/not a valid variable name/);
  });

  it('loads the kept keys, an absent file as none, and a bad file as a clear error naming it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lk-local-'));
    expect(keptKeys(await loadLocalOverrides(dir), 'dev')).toEqual([]);
    const file = await writeKeptKey(dir, 'dev', 'DB_HOST', true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(keptKeys(await loadLocalOverrides(dir), 'dev')).toEqual(['DB_HOST']);
    expect(readFileSync(file, 'utf8')).toContain('DB_HOST');
    writeFileSync(file, 'profiles:\n  dev:\n    keep: [1bad]\n    extra: true\n');
    await expect(loadLocalOverrides(dir)).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
    await expect(loadLocalOverrides(dir)).rejects.toThrow(/latchkey\.local\.yml: profiles\.dev/);
  });
});
