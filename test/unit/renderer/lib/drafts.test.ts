import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ProfileView } from '../../../../contract/ipc';
import { DIALECTS, SOURCE_KINDS, type SourceKind } from '../../../../contract/plan';
import { newManifestText } from '../../../../main/core/manifest-edit';
import {
  DIALECT_LABELS,
  draftOfForm,
  emptySource,
  formFromProfile,
  KIND_INFO,
  KIND_ORDER,
  moveItem,
  newProfileForm,
  previewYaml,
  sourceIndexOfPath,
  type ProfileForm,
  type SourceItem,
} from '../../../../renderer/lib/drafts';

const item = (kind: SourceKind, patch: Partial<SourceItem>): SourceItem => ({ ...emptySource(kind), ...patch });

const VIEW: ProfileView = {
  name: 'dev',
  description: 'Local development',
  target: 'config/.env',
  dialect: 'docker',
  maxAgeDays: 90,
  sources: [
    { index: 0, kind: 'chamber', ref: 'api/dev', only: ['db_host', 'db_user'] },
    { index: 1, kind: 'ssm', ref: '/legacy/stripe_key', as: 'STRIPE_KEY' },
    { index: 2, kind: 'set', ref: 'set', keys: ['LOG_LEVEL'], values: { LOG_LEVEL: 'debug' } },
    { index: 3, kind: 'set', ref: 'set', keys: ['SECRETLESS'] },
    { index: 4, kind: 's3', ref: 's3://bucket/tls.key', file: 'certs/tls.key' },
  ],
};

describe('the editor vocabulary', () => {
  it('offers every source kind once, and names every dialect', () => {
    expect([...KIND_ORDER].sort()).toEqual([...SOURCE_KINDS].sort());
    expect(KIND_ORDER[0]).toBe('chamber');
    for (const d of DIALECTS) expect(DIALECT_LABELS[d]).toMatch(/\S/);
  });
});

describe('forms and drafts', () => {
  it('reads a profile view into a form and back into the draft main expects', () => {
    const form = formFromProfile(VIEW);
    expect(form.sources.map((s) => s.kind)).toEqual(['chamber', 'ssm', 'set', 'set', 's3']);
    // A set entry whose values the view did not carry is marked: they must be typed again.
    expect(form.sources[3]).toMatchObject({ values: [{ key: 'SECRETLESS', value: '' }], valuesUnknown: true });
    expect(form.sources[2]!.valuesUnknown).toBe(false);
    expect(draftOfForm(form)).toEqual({
      name: 'dev',
      description: 'Local development',
      target: 'config/.env',
      dialect: 'docker',
      sources: [
        { kind: 'chamber', service: 'api/dev', only: ['db_host', 'db_user'] },
        { kind: 'ssm', name: '/legacy/stripe_key', as: 'STRIPE_KEY' },
        { kind: 'set', values: { LOG_LEVEL: 'debug' } },
        { kind: 'set', values: { SECRETLESS: '' } },
        { kind: 's3', url: 's3://bucket/tls.key', file: 'certs/tls.key' },
      ],
    });
  });

  it('trims what people type and leaves out empty optional fields', () => {
    const form: ProfileForm = {
      ...newProfileForm(' dev '),
      description: '  ',
      target: ' .env ',
      sources: [
        item('chamber', { main: ' api/dev ', only: ' a, b  c ,' }),
        item('op', { main: ' op://V/I/f ', as: ' ' }),
        item('keychain', { main: ' TOKEN ' }),
        item('set', {
          values: [
            { key: ' A ', value: ' kept as typed ' },
            { key: ' ', value: 'dropped' },
          ],
        }),
      ],
    };
    expect(draftOfForm(form)).toEqual({
      name: 'dev',
      target: '.env',
      dialect: 'portable',
      sources: [
        { kind: 'chamber', service: 'api/dev', only: ['a', 'b', 'c'] },
        { kind: 'op', ref: 'op://V/I/f' },
        { kind: 'keychain', name: 'TOKEN' },
        { kind: 'set', values: { A: ' kept as typed ' } },
      ],
    });
  });

  it('gives every new source its own id, so React keeps focus while they are reordered', () => {
    const ids = Array.from({ length: 5 }, () => emptySource('ssm').uid);
    expect(new Set(ids).size).toBe(5);
  });
});

describe('previewYaml', () => {
  it('shows the same manifest main writes for the guided form', () => {
    const cases: ProfileForm[] = [
      newProfileForm('dev'),
      { ...formFromProfile(VIEW), sources: formFromProfile(VIEW).sources.slice(0, 3) },
      {
        ...newProfileForm('ci'),
        description: 'yes', // a YAML 1.1 boolean word: must stay a string
        dialect: 'shell',
        sources: [
          item('keychain', { main: 'GITHUB_TOKEN' }),
          item('op', { main: 'op://Shared/GitHub/token', as: 'GH_TOKEN' }),
          item('set', { values: [{ key: 'PORT', value: '8080' }] }),
        ],
      },
    ];
    cases[0]!.sources[0]!.main = 'api/dev';
    for (const form of cases) {
      const aws = { profile: 'acme-dev', region: 'eu-west-1' };
      const main = parse(newManifestText({ aws, profile: draftOfForm(form) }));
      expect(parse(previewYaml(form, aws))).toEqual(main);
    }
  });

  it('says the default dialect by leaving it out, and any other by name', () => {
    expect(previewYaml(newProfileForm(), { profile: '', region: '' })).not.toMatch(/dialect/);
    for (const dialect of DIALECTS.filter((d) => d !== 'portable'))
      expect(
        parse(previewYaml({ ...newProfileForm(), dialect }, { profile: '', region: '' })).profiles.dev.dialect,
      ).toBe(dialect);
  });

  it('quotes what YAML would otherwise read as something else', () => {
    // Found by this property: a lone "-" was written plain, a sequence entry inside a flow mapping.
    for (const value of ['-', '-1', '.5', '0x1F', '.inf', '1e5', 'true', 'No', '~', 'null', 'a b', '']) {
      const form = { ...newProfileForm(), sources: [item('set', { values: [{ key: 'V', value }] })] };
      expect(parse(previewYaml(form, { profile: '', region: '' })).profiles.dev.sources[0].set.V).toBe(value);
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (value) => {
        const form = { ...newProfileForm(), sources: [item('set', { values: [{ key: 'V', value }] })] };
        const read = parse(previewYaml(form, { profile: '', region: '' }));
        expect(read.profiles.dev.sources[0].set.V).toBe(value);
      }),
    );
  });
});

describe('small helpers', () => {
  it('sourceIndexOfPath finds the source a manifest problem points at', () => {
    expect(sourceIndexOfPath('profiles.dev.sources[2].as')).toBe(2);
    expect(sourceIndexOfPath('profiles.dev.sources.11')).toBe(11);
    expect(sourceIndexOfPath('profiles.dev.target')).toBeUndefined();
  });

  it('moveItem moves one element and leaves the list alone for a move out of range', () => {
    const list = ['a', 'b', 'c'];
    expect(moveItem(list, 0, 2)).toEqual(['b', 'c', 'a']);
    expect(moveItem(list, 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moveItem(list, 0, 3)).toBe(list);
    expect(moveItem(list, 1, 1)).toBe(list);
    expect(list).toEqual(['a', 'b', 'c']);
  });

  it('describes every kind with a label, a field name and help', () => {
    for (const kind of SOURCE_KINDS)
      expect(KIND_INFO[kind]).toMatchObject({ label: expect.any(String), main: expect.any(String) });
  });
});
