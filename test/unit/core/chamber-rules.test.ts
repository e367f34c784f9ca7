import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CHAMBER_KMS_KEY,
  DEFAULT_GENERATE_POLICY,
  alphabetOf,
  chamberKmsKey,
  generateSecret,
  globMatcher,
  normaliseImportNames,
  normaliseKey,
  normaliseService,
  planImport,
} from '../../../main/core/chamber-rules';
import { parseManifest } from '../../../main/core/manifest';

const loadManifestFromText = (text: string) => parseManifest(text, '/tmp/project/latchkey.yml');

describe('chamber naming', () => {
  it('takes the KMS key from CHAMBER_KMS_KEY_ALIAS, prepending alias/ as chamber does', () => {
    expect(chamberKmsKey({})).toBe(DEFAULT_CHAMBER_KMS_KEY);
    expect(DEFAULT_CHAMBER_KMS_KEY).toBe('alias/parameter_store_key');
    expect(chamberKmsKey({ CHAMBER_KMS_KEY_ALIAS: 'team-key' })).toBe('alias/team-key');
    expect(chamberKmsKey({ CHAMBER_KMS_KEY_ALIAS: 'alias/team-key' })).toBe('alias/team-key');
  });

  it('lower-cases services and keys, and refuses what chamber refuses', () => {
    expect(normaliseService('API/Dev')).toBe('api/dev');
    expect(normaliseKey('DB.Password-1')).toBe('db.password-1');
    expect(() => normaliseService('/api')).toThrow(/not a chamber service/);
    expect(() => normaliseService('_chamber')).toThrow(/reserved/);
    expect(() => normaliseKey('a b')).toThrow(/not a chamber key/);
  });
});

describe('globMatcher', () => {
  it('matches keys alone, or service/key when the pattern has a slash', () => {
    expect(globMatcher('db_*')('api/dev', 'db_password')).toBe(true);
    expect(globMatcher('db_*')('api/dev', 'jwt')).toBe(false);
    expect(globMatcher('DB_?ASSWORD')('x', 'db_password')).toBe(true);
    expect(globMatcher('api/*/db_*')('api/dev', 'db_password')).toBe(true);
    expect(globMatcher('api/*/db_*')('api/dev/eu', 'db_password')).toBe(false);
    expect(globMatcher('api/**/db_*')('api/dev/eu', 'db_password')).toBe(true);
    expect(globMatcher('a.b')('s', 'axb')).toBe(false);
  });
});

describe('generateSecret', () => {
  it('gives the asked length from the asked alphabet', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 16, max: 200 }),
        fc.constantFrom('url-safe', 'alphanumeric', 'hex', 'printable' as const),
        (length, charset) => {
          const value = generateSecret({ length, charset });
          expect(value).toHaveLength(length);
          const alphabet = alphabetOf(charset);
          expect([...value].every((ch) => alphabet.includes(ch))).toBe(true);
        },
      ),
    );
  });

  it('defaults to 40 URL-safe characters, and never repeats itself', () => {
    expect(DEFAULT_GENERATE_POLICY).toEqual({ length: 40, charset: 'url-safe' });
    const values = new Set(Array.from({ length: 200 }, () => generateSecret(DEFAULT_GENERATE_POLICY)));
    expect(values.size).toBe(200);
    expect([...values].every((v) => /^[A-Za-z0-9_-]{40}$/.test(v))).toBe(true);
  });

  it('uses every character of the alphabet about equally (no modulo bias)', () => {
    // 64 symbols, 64 000 draws: each expected 1000 times; a byte % 64 scheme would be fine here, but a % 62 one
    // (alphanumeric) would favour the first 8 symbols by 25 %. Checked on the alphanumeric alphabet.
    const counts = new Map<string, number>();
    const value = generateSecret({ length: 62_000, charset: 'alphanumeric' });
    for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    const first = [...'ABCDEFGH'].reduce((n, ch) => n + (counts.get(ch) ?? 0), 0) / 8;
    const rest = [...'stuvwxyz'].reduce((n, ch) => n + (counts.get(ch) ?? 0), 0) / 8;
    expect(counts.size).toBe(62);
    expect(Math.abs(first - rest) / rest).toBeLessThan(0.12);
  });
});

describe('import plans', () => {
  it('normalises names to chamber keys and shows renames, adds, changes and unchanged keys', () => {
    const wanted = normaliseImportNames(
      new Map([
        ['DB_PASSWORD', 'new-secret'],
        ['api.key', 'same'],
        ['Fresh-One', 'x'],
      ]),
    );
    const plan = planImport(
      'api/dev',
      wanted,
      new Map([
        ['db_password', 'old'],
        ['api.key', 'same'],
      ]),
    );
    expect(plan.items).toEqual([
      { key: 'api.key', status: 'unchanged' },
      { key: 'db_password', renamedFrom: 'DB_PASSWORD', status: 'change' },
      { key: 'fresh-one', renamedFrom: 'Fresh-One', status: 'add' },
    ]);
    expect(JSON.stringify(plan)).not.toContain('new-secret');
  });

  it('refuses two names that become one key, and names chamber cannot hold', () => {
    expect(() =>
      normaliseImportNames(
        new Map([
          ['A', '1'],
          ['a', '2'],
        ]),
      ),
    ).toThrow(/both become chamber key a/);
    expect(() => normaliseImportNames(new Map([['has space', '1']]))).toThrow(/not chamber keys/);
  });
});

describe('manifest generate policy', () => {
  it('is read per source, else per profile', () => {
    const manifest = loadManifestFromText(`version: 1
profiles:
  dev:
    generate: { length: 64, charset: hex }
    sources:
      - chamber: api/dev
        generate: { length: 20 }
      - ssm: /legacy/key
`);
    const [chamber, ssm] = manifest.profiles.get('dev')!.sources;
    expect(chamber).toMatchObject({ generate: { length: 20, charset: 'url-safe' } });
    expect(ssm).toMatchObject({ generate: { length: 64, charset: 'hex' } });
  });

  it('refuses a length below 16', () => {
    expect(() =>
      loadManifestFromText(`version: 1
profiles:
  dev:
    sources:
      - chamber: api/dev
        generate: { length: 8 }
`),
    ).toThrow(/at least 16/);
  });
});
