import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EnvNameSchema, ProfileDraftSchema, ProfileNameSchema } from '../../../../contract/ipc';
import { SOURCE_KINDS, type SourceKind } from '../../../../contract/plan';
import {
  draftOfForm,
  emptySource,
  newProfileForm,
  type ProfileForm,
  type SourceItem,
} from '../../../../renderer/lib/drafts';
import { validateForm } from '../../../../renderer/lib/form-errors';

/** A source of `kind` with its main field filled in validly, then `patch` applied. */
function source(kind: SourceKind, patch: Partial<SourceItem> = {}): SourceItem {
  const item = emptySource(kind);
  const main: Record<SourceKind, string> = {
    chamber: 'api/dev',
    ssm: '/legacy/stripe_key',
    op: 'op://Vault/Item/field',
    keychain: 'GITHUB_TOKEN',
    s3: 's3://bucket/key',
    set: '',
  };
  item.main = main[kind];
  if (kind === 'set') item.values = [{ key: 'LOG_LEVEL', value: 'debug' }];
  return { ...item, ...patch };
}

function form(patch: Partial<ProfileForm> = {}): ProfileForm {
  return { ...newProfileForm('dev'), sources: SOURCE_KINDS.map((k) => source(k)), ...patch };
}

describe('validateForm', () => {
  it('accepts a form of every source kind, and then the contract accepts its draft too', () => {
    const valid = form();
    expect(validateForm(valid)).toEqual({});
    expect(ProfileDraftSchema.safeParse(draftOfForm(valid)).success).toBe(true);
  });

  it('judges profile names by the contract: exactly the names ProfileNameSchema accepts pass', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 12 }), fc.stringMatching(/^[A-Za-z0-9_.\- ]{1,12}$/)), (name) => {
        const errors = validateForm(form({ name }));
        const trimmed = name.trim();
        expect(errors.name === undefined).toBe(trimmed !== '' && ProfileNameSchema.safeParse(trimmed).success);
      }),
    );
    expect(validateForm(form({ name: '' })).name).toBe('Give the profile a name, for example dev.');
    expect(validateForm(form({ name: '-dev' })).name).toBe(
      'Use letters, digits, _ . and -, starting with a letter or digit.',
    );
    expect(validateForm(form({ name: 'dev' }), ['dev']).name).toBe('A profile named dev already exists.');
  });

  it('judges variable names (as:, keychain entries, set keys) by the contract', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_\-. ]{1,10}$/), (name) => {
        const ok = EnvNameSchema.safeParse(name.trim()).success;
        const errors = validateForm(
          form({
            sources: [
              source('ssm', { as: name }),
              source('keychain', { main: name }),
              source('set', { values: [{ key: name, value: 'x' }] }),
            ],
          }),
        );
        if (!name.trim()) return; // an empty `as` is no `as`; an empty main field or key is "required"
        expect(errors['sources.0.as'] === undefined).toBe(ok);
        expect(errors['sources.1.main'] === undefined).toBe(ok);
        expect(errors['sources.2.values'] === undefined).toBe(ok);
      }),
    );
    const errors = validateForm(
      form({
        sources: [
          source('ssm', { as: 'STRIPE-KEY' }),
          source('keychain', { main: 'github token' }),
          source('set', { values: [{ key: '9LIVES', value: 'x' }] }),
        ],
      }),
    );
    expect(errors).toEqual({
      'sources.0.as': 'STRIPE-KEY is not a valid variable name.',
      'sources.1.main': 'A keychain entry is a variable name: letters, digits and underscores.',
      'sources.2.values': '9LIVES is not a valid variable name.',
    });
  });

  it('takes every length limit from the contract', () => {
    const errors = validateForm(
      form({
        description: 'd'.repeat(501),
        target: 't'.repeat(1025),
        sources: [
          source('chamber', { main: 'c'.repeat(513), only: Array.from({ length: 501 }, (_, i) => `k${i}`).join(',') }),
          source('ssm', { main: `/${'s'.repeat(2048)}` }),
          source('s3', { file: 'f'.repeat(1025) }),
          source('set', { values: [{ key: 'BIG', value: 'v'.repeat(4097) }] }),
        ],
      }),
    );
    expect(errors).toEqual({
      description: 'At most 500 characters.',
      target: 'At most 1024 characters.',
      'sources.0.main': 'At most 512 characters.',
      'sources.0.only': 'At most 500 keys.',
      'sources.1.main': 'At most 2048 characters.',
      'sources.2.file': 'At most 1024 characters.',
      'sources.3.values': 'A value holds at most 4096 characters.',
    });
    const many = form({ sources: Array.from({ length: 201 }, () => source('chamber')) });
    expect(validateForm(many).sources).toBe('A profile holds at most 200 sources.');
    // One character under each limit passes.
    expect(validateForm(form({ description: 'd'.repeat(500), target: 't'.repeat(1024) }))).toEqual({});
  });

  it('asks for what is missing before judging its form', () => {
    const errors = validateForm(
      form({
        target: ' ',
        sources: [source('chamber', { main: '' }), source('op', { main: '  ' }), source('set', { values: [] })],
      }),
    );
    expect(errors).toEqual({
      target: 'Say which file to write, for example .env.',
      'sources.0.main': 'Service is required.',
      'sources.1.main': 'Reference is required.',
      'sources.2.values': 'Add at least one name and value.',
    });
    expect(validateForm(form({ sources: [] })).sources).toBe('Add at least one source.');
  });

  it('checks the 1Password and S3 schemes, and keeps the target inside the project', () => {
    const errors = validateForm(
      form({
        target: '../outside.env',
        sources: [source('op', { main: 'Vault/Item/field' }), source('s3', { main: 'https://bucket/key' })],
      }),
    );
    expect(errors).toEqual({
      target: 'The target must stay inside the project folder (a relative path, no "..").',
      'sources.0.main': 'A 1Password reference starts with op://',
      'sources.1.main': 'An S3 URL starts with s3://',
    });
    expect(validateForm(form({ target: '/etc/passwd' })).target).toMatch(/inside the project folder/);
  });

  it('asks again for set values the app was not given back', () => {
    const item = source('set', { values: [{ key: 'A', value: '' }], valuesUnknown: true });
    expect(validateForm(form({ sources: [item] }))['sources.0.values']).toBe(
      'Type these values again: the app does not read them back from latchkey.yml.',
    );
    expect(validateForm(form({ sources: [{ ...item, values: [{ key: 'A', value: 'typed' }] }] }))).toEqual({});
  });
});
