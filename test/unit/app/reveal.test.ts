import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { revealChange, revealValue } from '../../../main/app/reveal';
import { personalSecretAccount } from '../../../main/core/keychain';
import { readTree } from '../../support/cli';
import { useOfflineProject } from '../../support/app-sandbox';

const TOKEN = 'ghp_canaryAppReveal_a41e';

const t = useOfflineProject(TOKEN);

describe('reveal one value', () => {
  it('returns the value the user asked for and audits the reveal by key name', async () => {
    expect(await revealValue(t.sb.deps, { project: { dir: t.dir }, profile: 'dev', name: 'PERSONAL_TOKEN' })).toBe(
      TOKEN,
    );
    expect((await t.sb.audit()).map((e) => [e.action, e.profile, e.keys, e.outcome, e.detail])).toEqual([
      ['reveal', 'dev', ['PERSONAL_TOKEN'], 'ok', undefined],
    ]);
    for (const { file, text } of readTree(t.sb.appDir)) expect(text, file).not.toContain(TOKEN);
  });

  it('a key the profile does not produce is SOURCE_NOT_FOUND, audited as an error with its code', async () => {
    await expect(
      revealValue(t.sb.deps, { project: { dir: t.dir }, profile: 'dev', name: 'OTHER' }),
    ).rejects.toMatchObject({
      code: 'SOURCE_NOT_FOUND',
      message: 'profile dev has no key OTHER',
    });
    expect((await t.sb.audit()).map((e) => [e.action, e.keys, e.outcome, e.detail])).toEqual([
      ['reveal', ['OTHER'], 'error', 'SOURCE_NOT_FOUND'],
    ]);
  });

  it('a source that fails is audited with its code too', async () => {
    await t.sb.keychain.delete(personalSecretAccount(path.join(t.dir, 'latchkey.yml'), 'PERSONAL_TOKEN'));
    await expect(
      revealValue(t.sb.deps, { project: { dir: t.dir }, profile: 'dev', name: 'PERSONAL_TOKEN' }),
    ).rejects.toMatchObject({ code: 'NEEDS_INPUT' });
    expect((await t.sb.audit()).map((e) => [e.outcome, e.detail])).toEqual([['error', 'NEEDS_INPUT']]);
  });
});

describe('reveal both sides of a change (the review)', () => {
  const LOCAL = 'ghp_canaryLocalEdit_77d0';

  it("returns the file's value and the source's, and audits one reveal naming the key, never a value", async () => {
    writeFileSync(path.join(t.dir, '.env'), `PERSONAL_TOKEN=${LOCAL}\nMINE=1\n`);
    const request = { project: { dir: t.dir }, profile: 'dev', name: 'PERSONAL_TOKEN' };
    expect(await revealChange(t.sb.deps, request)).toEqual({ local: LOCAL, remote: TOKEN });
    // An add has no local side, a line the profile no longer produces no remote one.
    expect(await revealChange(t.sb.deps, { ...request, name: 'LOG_LEVEL' })).toEqual({ remote: 'debug' });
    expect(await revealChange(t.sb.deps, { ...request, name: 'MINE' })).toEqual({ local: '1' });
    expect((await t.sb.audit()).map((e) => [e.action, e.profile, e.keys, e.outcome])).toEqual([
      ['reveal', 'dev', ['PERSONAL_TOKEN'], 'ok'],
      ['reveal', 'dev', ['LOG_LEVEL'], 'ok'],
      ['reveal', 'dev', ['MINE'], 'ok'],
    ]);
    for (const { file, text } of readTree(t.sb.appDir)) {
      expect(text, file).not.toContain(TOKEN);
      expect(text, file).not.toContain(LOCAL);
    }
  });

  it('a key on neither side is SOURCE_NOT_FOUND, audited as an error', async () => {
    await expect(
      revealChange(t.sb.deps, { project: { dir: t.dir }, profile: 'dev', name: 'NOWHERE' }),
    ).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    expect((await t.sb.audit()).map((e) => [e.action, e.keys, e.outcome, e.detail])).toEqual([
      ['reveal', ['NOWHERE'], 'error', 'SOURCE_NOT_FOUND'],
    ]);
  });
});
