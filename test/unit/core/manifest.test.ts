import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LatchkeyError } from '../../../main/core/errors';
import { findManifest, loadManifest, ManifestError, parseManifest } from '../../../main/core/manifest';
import type { Manifest } from '../../../main/core/types';
import { MANIFEST_FIXTURES } from '../../support/paths';

const FIXTURES = `${MANIFEST_FIXTURES}/`;
const FILE = '/work/project/latchkey.yml';

/** Lines joined with LF, so that every test shows its line numbers plainly. */
const yml = (...lines: string[]) => `${lines.join('\n')}\n`;

function problemsOf(text: string): string[] {
  try {
    parseManifest(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    const e = error as ManifestError;
    expect(e.code).toBe('MANIFEST_INVALID');
    return e.message.split('\n');
  }
  throw new Error('expected the manifest to be rejected');
}

/** A manifest with one profile `dev` whose sources start on line 4. */
const withSources = (...lines: string[]) => yml('version: 1', 'profiles:', '  dev:', '    sources:', ...lines);

describe('parseManifest: the example in DESIGN.md §1', () => {
  it('parses to the expected profile and specs', async () => {
    const text = await readFile(join(FIXTURES, 'design.yml'), 'utf8');
    const manifest = parseManifest(text, '/work/project/latchkey.yml');
    const aws = { profile: 'acme-dev', region: 'us-east-1' };
    const rotation = { maxAgeDays: 90 };
    expect(manifest).toEqual<Manifest>({
      path: '/work/project/latchkey.yml',
      dir: '/work/project',
      version: 1,
      aws,
      rotation,
      profiles: new Map([
        [
          'dev',
          {
            name: 'dev',
            description: 'Local development against the shared dev stack',
            target: '/work/project/.env',
            targetRel: '.env',
            dialect: 'portable',
            rotation,
            aws,
            sources: [
              { kind: 'chamber', index: 0, pos: { line: 9, col: 9 }, rotation, service: 'api/dev', aws },
              {
                kind: 'chamber',
                index: 1,
                pos: { line: 10, col: 9 },
                rotation,
                service: 'shared/dev',
                only: ['db_host', 'db_user'],
                aws,
              },
              {
                kind: 'ssm',
                index: 2,
                pos: { line: 12, col: 9 },
                rotation,
                name: '/legacy/stripe_key',
                as: 'STRIPE_SECRET_KEY',
                aws,
              },
              {
                kind: 'op',
                index: 3,
                pos: { line: 14, col: 9 },
                rotation,
                ref: 'op://Engineering/Stripe test/credential',
                as: 'STRIPE_TEST_KEY',
              },
              { kind: 'keychain', index: 4, pos: { line: 16, col: 9 }, rotation, name: 'GITHUB_TOKEN' },
              {
                kind: 's3',
                index: 5,
                pos: { line: 17, col: 9 },
                rotation,
                url: 's3://acme-secrets/tls/dev.key',
                file: 'certs/dev.key',
                aws,
              },
              {
                kind: 'set',
                index: 6,
                pos: { line: 19, col: 9 },
                rotation,
                values: { LOG_LEVEL: 'debug', AWS_PROFILE: 'acme-dev' },
              },
            ],
          },
        ],
      ]),
    });
  });
});

describe('parseManifest: defaults and inheritance', () => {
  it('defaults target to .env, dialect to portable and rotation to 90 days, with no aws settings', () => {
    const manifest = parseManifest(withSources('      - ssm: /a/b'), FILE);
    const dev = manifest.profiles.get('dev')!;
    expect(manifest.aws).toEqual({});
    expect(manifest.rotation).toEqual({ maxAgeDays: 90 });
    expect(dev).toMatchObject({
      target: '/work/project/.env',
      targetRel: '.env',
      dialect: 'portable',
      rotation: { maxAgeDays: 90 },
    });
    expect(dev.description).toBeUndefined();
    expect(dev.sources[0]).toMatchObject({ kind: 'ssm', aws: {}, rotation: { maxAgeDays: 90 } });
  });

  it('merges aws field by field: source over profile over manifest', () => {
    const manifest = parseManifest(
      yml(
        'version: 1',
        'aws: { profile: top, region: us-east-1 }',
        'profiles:',
        '  dev:',
        '    aws: { region: eu-west-1 }',
        '    sources:',
        '      - chamber: a',
        '      - ssm: /b',
        '        aws: { profile: own }',
        '      - s3: s3://bucket/key',
        '        as: KEY',
        '        aws: { region: ap-south-1, profile: s3p }',
        '  prod:',
        '    sources:',
        '      - chamber: a',
      ),
      FILE,
    );
    const dev = manifest.profiles.get('dev')!.sources;
    expect(dev[0]).toMatchObject({ kind: 'chamber', aws: { profile: 'top', region: 'eu-west-1' } });
    expect(dev[1]).toMatchObject({ kind: 'ssm', aws: { profile: 'own', region: 'eu-west-1' } });
    expect(dev[2]).toMatchObject({ kind: 's3', aws: { profile: 's3p', region: 'ap-south-1' } });
    expect(manifest.profiles.get('prod')!.sources[0]).toMatchObject({ aws: { profile: 'top', region: 'us-east-1' } });
  });

  it('takes rotation from the source, else the profile, else the manifest', () => {
    const manifest = parseManifest(
      yml(
        'version: 1',
        'rotation: { maxAgeDays: 30 }',
        'profiles:',
        '  dev:',
        '    rotation: { maxAgeDays: 60 }',
        '    sources:',
        '      - chamber: a',
        '        rotation: { maxAgeDays: 7 }',
        '      - keychain: TOKEN',
        '      - set: { A: b }',
        '  prod:',
        '    sources: []',
      ),
      FILE,
    );
    const dev = manifest.profiles.get('dev')!;
    expect(manifest.rotation).toEqual({ maxAgeDays: 30 });
    expect(dev.rotation).toEqual({ maxAgeDays: 60 });
    expect(dev.sources.map((s) => s.rotation)).toEqual([{ maxAgeDays: 7 }, { maxAgeDays: 60 }, { maxAgeDays: 60 }]);
    expect(manifest.profiles.get('prod')!.rotation).toEqual({ maxAgeDays: 30 });
  });

  it('lower-cases chamber services and only keys, as chamber does', () => {
    const manifest = parseManifest(
      withSources('      - chamber: API/Dev', '        only: [DB_Host, db_host, Db-User]'),
      FILE,
    );
    expect(manifest.profiles.get('dev')!.sources[0]).toMatchObject({
      service: 'api/dev',
      only: ['db_host', 'db-user'],
    });
  });

  it('keeps the fields of op and the other options', () => {
    const manifest = parseManifest(
      withSources(
        '      - op: op://Vault/Item',
        '        fields: all',
        '      - op: op://Vault/Item/Section/one-time password?attribute=otp',
        '        as: OTP',
        '      - ssm: /x/y',
      ),
      FILE,
    );
    const [all, otp, ssm] = manifest.profiles.get('dev')!.sources;
    expect(all).toMatchObject({ kind: 'op', ref: 'op://Vault/Item', fields: 'all' });
    expect(all).not.toHaveProperty('as');
    expect(otp).toMatchObject({
      kind: 'op',
      ref: 'op://Vault/Item/Section/one-time password?attribute=otp',
      as: 'OTP',
    });
    expect(ssm).not.toHaveProperty('as');
  });

  it('resolves a nested target against the manifest folder and keeps it as written', () => {
    const manifest = parseManifest(
      yml('version: 1', 'profiles:', '  dev:', '    target: ./env/dev.env', '    dialect: shell', '    sources: []'),
      FILE,
    );
    expect(manifest.profiles.get('dev')).toMatchObject({
      target: '/work/project/env/dev.env',
      targetRel: './env/dev.env',
      dialect: 'shell',
    });
  });

  it('makes a relative manifest path absolute', () => {
    const manifest = parseManifest(withSources('      - ssm: /a'), 'latchkey.yml');
    expect(manifest.path).toBe(join(process.cwd(), 'latchkey.yml'));
    expect(manifest.dir).toBe(process.cwd());
    expect(manifest.profiles.get('dev')!.target).toBe(join(process.cwd(), '.env'));
  });

  it('ignores a byte order mark, positions included', () => {
    const manifest = parseManifest(`\uFEFF${withSources('      - ssm: /a')}`, FILE);
    expect(manifest.profiles.get('dev')!.sources[0]!.pos).toEqual({ line: 5, col: 9 });
    expect(problemsOf(`\uFEFFversion: 2\nprofiles: { dev: { sources: [] } }\n`)).toEqual([
      'latchkey.yml:1:10: version: expected 1, the only manifest version this Latchkey reads',
    ]);
  });
});

describe('parseManifest: set values keep their source text', () => {
  it('takes numbers, booleans and odd spellings as written', () => {
    const manifest = parseManifest(
      withSources(
        '      - set:',
        '          EXP: 1e3',
        '          OCTAL: 0755',
        '          OCT12: 0o755',
        '          HEX: 0x1F',
        '          BOOL: true',
        '          CAPS: TRUE',
        '          FLOAT: 1.10',
        '          INF: .inf',
        '          NEG: -0',
        '          QUOTED: "0755"',
        "          SINGLE: 'it''s'",
        '          EMPTY: ""',
        '          BLOCK: |',
        '            two',
        '            lines',
        '          PLAIN: debug',
      ),
      FILE,
    );
    expect(manifest.profiles.get('dev')!.sources[0]).toMatchObject({
      kind: 'set',
      values: {
        EXP: '1e3',
        OCTAL: '0755',
        OCT12: '0o755',
        HEX: '0x1F',
        BOOL: 'true',
        CAPS: 'TRUE',
        FLOAT: '1.10',
        INF: '.inf',
        NEG: '-0',
        QUOTED: '0755',
        SINGLE: "it's",
        EMPTY: '',
        BLOCK: 'two\nlines\n',
        PLAIN: 'debug',
      },
    });
  });

  it('keeps the text of a value reached through an alias', () => {
    const manifest = parseManifest(
      yml('version: 1', 'profiles:', '  dev:', '    sources:', '      - set: { A: &n 0755 }', '      - set: { B: *n }'),
      FILE,
    );
    expect(manifest.profiles.get('dev')!.sources.map((s) => s.kind === 'set' && s.values)).toEqual([
      { A: '0755' },
      { B: '0755' },
    ]);
  });

  it('rejects null, lists and mappings, naming the type and never the value', () => {
    const lines = problemsOf(
      withSources(
        '      - set:',
        '          A:',
        '          B: [hunter2]',
        '          C: { x: hunter3 }',
        '          D: ~',
      ),
    );
    expect(lines).toEqual([
      'latchkey.yml:6:11: profiles.dev.sources[0].set.A: expected a string, number or boolean; found an empty value',
      'latchkey.yml:7:14: profiles.dev.sources[0].set.B: expected a string, number or boolean; found a list',
      'latchkey.yml:8:14: profiles.dev.sources[0].set.C: expected a string, number or boolean; found a mapping',
      'latchkey.yml:9:14: profiles.dev.sources[0].set.D: expected a string, number or boolean; found an empty value',
    ]);
    expect(lines.join('\n')).not.toMatch(/hunter/);
  });

  it('validates set keys literally, at the key', () => {
    expect(problemsOf(withSources('      - set: { 9LIVES: a, log-level: b, Ok_1: c }'))).toEqual([
      'latchkey.yml:5:16: profiles.dev.sources[0].set: "9LIVES" is not a valid variable name (must start with a letter or _)',
      'latchkey.yml:5:27: profiles.dev.sources[0].set: "log-level" is not a valid variable name ("-" is not allowed: only letters A-Z, a-z, digits and _)',
    ]);
  });

  it('keeps a non-string key as written: True is not true', () => {
    const manifest = parseManifest(withSources('      - set: { True: yes, _1: 2 }'), FILE);
    expect(manifest.profiles.get('dev')!.sources[0]).toMatchObject({ values: { True: 'yes', _1: '2' } });
  });
});

describe('parseManifest: errors, each with its line and column', () => {
  it('reports the example of the brief: two kind keys in one entry', () => {
    expect(
      problemsOf(
        yml(
          'version: 1',
          'profiles:',
          '  dev:',
          '    description: d',
          '    target: .env',
          '    sources:',
          '      - chamber: api/dev',
          '      - chamber: shared/dev',
          '      - chamber: x',
          '        ssm: /y',
        ),
      ),
    ).toEqual([
      'latchkey.yml:9:9: profiles.dev.sources[2]: expected exactly one of chamber, ssm, op, keychain, s3, set; found chamber and ssm',
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    expect(problemsOf(yml('version: 1', 'version: 1', 'profiles: {}'))).toEqual([
      'latchkey.yml:2:1: duplicate key "version"',
    ]);
    expect(problemsOf(yml('version: 1', 'profiles:', '  dev: { sources: [ }'))).toEqual([
      'latchkey.yml:3:21: Flow sequence in block collection must be sufficiently indented and end with a ]',
      'latchkey.yml:3:22: Flow map in block collection must be sufficiently indented and end with a }',
    ]);
    expect(problemsOf(yml('version: 1', '---', 'version: 1'))[0]).toMatch(
      /^latchkey\.yml:2:1: Source contains multiple documents/,
    );
    expect(problemsOf(yml('version: 1', 'profiles:', '  dev:', '    sources: !secret []'))).toEqual([
      'latchkey.yml:4:14: Unresolved tag: !secret',
    ]);
  });

  // Issue 14, item 11: an unterminated quote opened on line 5 was reported at the end of the file.
  it('reports an unterminated quoted string where its quote opens, not where the file ends', () => {
    const profile = (quoted: string) =>
      yml(
        'version: 1',
        'profiles:',
        '  dev:',
        '    target: .env',
        `    description: ${quoted}`,
        '    sources:',
        '      - chamber: api/dev',
        '  other:',
        '    sources:',
        '      - chamber: x/y',
      );
    expect(problemsOf(profile('"the dev stack'))[0]).toMatch(/^latchkey\.yml:5:18: Missing closing "quote/);
    // Escaped quotes inside it are not its opening one.
    expect(problemsOf(profile('"say \\"hi\\" to the dev stack'))[0]).toMatch(
      /^latchkey\.yml:5:18: Missing closing "quote/,
    );
    expect(problemsOf(profile("'it''s the dev stack"))[0]).toMatch(/^latchkey\.yml:5:18: Missing closing 'quote/);
  });

  it('gives each problem the lines around it, to show it in place', () => {
    const text = yml(
      'version: 1',
      'profiles:',
      '  dev:',
      '    target: .env',
      '    description: "open',
      '    sources: []',
    );
    try {
      parseManifest(text, FILE);
      throw new Error('expected the manifest to be rejected');
    } catch (error) {
      const problem = (error as ManifestError).problems[0]!;
      expect(problem).toMatchObject({ line: 5, col: 18 });
      expect(problem.excerpt).toEqual({
        firstLine: 4,
        lines: ['    target: .env', '    description: "open', '    sources: []'],
      });
    }
    const first = (error: unknown) => (error as ManifestError).problems[0]!;
    try {
      parseManifest(yml('version: 2', 'profiles: {}'), FILE);
    } catch (error) {
      expect(first(error).excerpt).toEqual({ firstLine: 1, lines: ['version: 2', 'profiles: {}'] });
    }
  });

  it('requires a mapping at the top', () => {
    expect(problemsOf('')).toEqual(['latchkey.yml:1:1: expected a mapping; found an empty value']);
    expect(problemsOf('# just a comment\n')).toEqual(['latchkey.yml:1:1: expected a mapping; found an empty value']);
    expect(problemsOf(yml('- version: 1'))).toEqual(['latchkey.yml:1:1: expected a mapping; found a list']);
  });

  it('anchors a missing key at the mapping that lacks it', () => {
    expect(problemsOf(yml('aws: { region: us-east-1 }', 'profiles:', '  dev:', '    target: .env'))).toEqual([
      'latchkey.yml:1:1: missing required key "version"',
      'latchkey.yml:4:5: profiles.dev: missing required key "sources"',
    ]);
    expect(problemsOf(yml('version: 1'))).toEqual(['latchkey.yml:1:1: missing required key "profiles"']);
  });

  it('checks version, dialect, rotation and the profile list', () => {
    expect(
      problemsOf(
        yml(
          'version: "1"',
          'rotation: { maxAgeDays: 0 }',
          'profiles:',
          '  dev:',
          '    dialect: bash',
          '    rotation: { maxAgeDays: 1.5 }',
          '    sources: {}',
          '  prod:',
          '    rotation: { maxAgeDays: "90" }',
          '    description: [a]',
          '    sources:',
        ),
      ),
    ).toEqual([
      'latchkey.yml:1:10: version: expected 1, the only manifest version this Latchkey reads',
      'latchkey.yml:2:25: rotation.maxAgeDays: expected a number of days above 0',
      'latchkey.yml:5:14: profiles.dev.dialect: expected one of "portable", "docker", "shell"; found "bash"',
      'latchkey.yml:6:29: profiles.dev.rotation.maxAgeDays: expected a whole number of days',
      'latchkey.yml:7:14: profiles.dev.sources: expected a list; found a mapping',
      'latchkey.yml:9:29: profiles.prod.rotation.maxAgeDays: expected a number; found a string',
      'latchkey.yml:10:18: profiles.prod.description: expected a string; found a list',
      'latchkey.yml:11:5: profiles.prod.sources: expected a list; found an empty value',
    ]);
    expect(problemsOf(yml('version: 1', 'profiles: {}'))).toEqual([
      'latchkey.yml:2:11: profiles: expected at least one profile',
    ]);
  });

  it('reports unknown keys at the key, with a suggestion when one is near', () => {
    expect(
      problemsOf(
        yml(
          'version: 1',
          'aws: { profil: x }',
          'rotaton: { maxAgeDays: 3 }',
          'profiles:',
          '  dev:',
          '    soruces: []',
          '    Target: .env',
          '    colour: blue',
          '    sources:',
          '      - chamber: a',
          '        aws: { regoin: x }',
        ),
      ),
    ).toEqual([
      'latchkey.yml:2:8: aws: unknown key "profil" (did you mean "profile"?)',
      'latchkey.yml:3:1: unknown key "rotaton" (did you mean "rotation"?)',
      'latchkey.yml:6:5: profiles.dev: unknown key "soruces" (did you mean "sources"?)',
      'latchkey.yml:7:5: profiles.dev: unknown key "Target" (did you mean "target"?)',
      'latchkey.yml:8:5: profiles.dev: unknown key "colour"; expected one of description, target, dialect, rotation, generate, aws, sources',
      'latchkey.yml:11:16: profiles.dev.sources[0].aws: unknown key "regoin" (did you mean "region"?)',
    ]);
  });

  it('says when an option belongs to another kind of source', () => {
    expect(
      problemsOf(
        withSources(
          '      - chamber: a',
          '        as: A',
          '      - set: { A: b }',
          '        rotation: { maxAgeDays: 1 }',
        ),
      ),
    ).toEqual([
      'latchkey.yml:6:9: profiles.dev.sources[0]: as does not apply to chamber sources; it takes only, optional, rotation, generate, aws',
      'latchkey.yml:8:9: profiles.dev.sources[1]: rotation does not apply to set sources',
    ]);
  });

  it('checks profile names at the key', () => {
    expect(
      problemsOf(
        yml(
          'version: 1',
          'profiles:',
          '  "my dev": { sources: [] }',
          '  -x: { sources: [] }',
          '  ok.1_a-b: { sources: [] }',
        ),
      ),
    ).toEqual([
      'latchkey.yml:3:3: profiles: "my dev" is not a profile name: use letters, digits, _ . and -, starting with a letter or digit',
      'latchkey.yml:4:3: profiles: "-x" is not a profile name: use letters, digits, _ . and -, starting with a letter or digit',
    ]);
  });

  it('requires exactly one kind key per source, suggesting one for a typo', () => {
    expect(
      problemsOf(
        withSources(
          '      - chambr: api/dev',
          '      - only: [a]',
          '      - api/dev',
          '      - chamber: a',
          '        ssm: /b',
          '        op: op://v/i/f',
        ),
      ),
    ).toEqual([
      'latchkey.yml:5:9: profiles.dev.sources[0]: expected exactly one of chamber, ssm, op, keychain, s3, set; found none (did you mean "chamber" instead of "chambr"?)',
      'latchkey.yml:6:9: profiles.dev.sources[1]: expected exactly one of chamber, ssm, op, keychain, s3, set; found none',
      'latchkey.yml:7:9: profiles.dev.sources[2]: expected a mapping with exactly one of chamber, ssm, op, keychain, s3, set; found a string',
      'latchkey.yml:8:9: profiles.dev.sources[3]: expected exactly one of chamber, ssm, op, keychain, s3, set; found chamber, ssm and op',
    ]);
  });

  it('checks chamber services and keys', () => {
    expect(
      problemsOf(
        withSources(
          '      - chamber: /api/dev',
          '      - chamber: api//dev',
          '      - chamber: _chamber',
          '      - chamber: 2024',
          '      - chamber: api/dev',
          '        only: []',
          '      - chamber: api/dev',
          '        only: [ok, "bad key"]',
        ),
      ),
    ).toEqual([
      'latchkey.yml:5:18: profiles.dev.sources[0].chamber: a chamber service has no leading slash: write "api/dev"',
      'latchkey.yml:6:18: profiles.dev.sources[1].chamber: "api//dev" is not a chamber service: use letters, digits, _ - and ., with single / between parts and none at either end',
      'latchkey.yml:7:18: profiles.dev.sources[2].chamber: "_chamber" is reserved by chamber',
      'latchkey.yml:8:18: profiles.dev.sources[3].chamber: expected a string; found a number',
      'latchkey.yml:10:15: profiles.dev.sources[4].only: expected at least 1 item; found none',
      'latchkey.yml:12:20: profiles.dev.sources[5].only[1]: "bad key" is not a chamber key: use letters, digits, _ - and .',
    ]);
  });

  it('checks ssm names and as names', () => {
    expect(
      problemsOf(
        withSources('      - ssm: legacy/key', '      - ssm: /legacy/', '      - ssm: /a', '        as: STRIPE-KEY'),
      ),
    ).toEqual([
      'latchkey.yml:5:14: profiles.dev.sources[0].ssm: expected a full parameter name starting with /, e.g. /legacy/stripe_key; found "legacy/key"',
      'latchkey.yml:6:14: profiles.dev.sources[1].ssm: "/legacy/" is not a parameter name: use letters, digits, _ - and ., with single / between parts and none at the end',
      'latchkey.yml:8:13: profiles.dev.sources[2].as: "STRIPE-KEY" is not a valid variable name ("-" is not allowed: only letters A-Z, a-z, digits and _)',
    ]);
  });

  it('checks the grammar of op references', () => {
    expect(
      problemsOf(
        withSources(
          '      - op: op://Vault/Item',
          '      - op: op://a/b/c/d/e',
          '      - op: op://a//c',
          '      - op: https://a/b/c',
          '      - op: op://a/b/c?attribute=type',
          '      - op: op://a/b/c',
          '        fields: all',
          '      - op: op://a/b',
          '        fields: all',
          '        as: X',
          '      - op: op://a/b',
          '        fields: some',
        ),
      ),
    ).toEqual([
      'latchkey.yml:5:13: profiles.dev.sources[0].op: expected op://vault/item[/section]/field[?attribute=otp]; found only vault and item (add the field, or fields: all for every field)',
      'latchkey.yml:6:13: profiles.dev.sources[1].op: expected op://vault/item[/section]/field[?attribute=otp]; found 5 parts',
      'latchkey.yml:7:13: profiles.dev.sources[2].op: expected op://vault/item[/section]/field[?attribute=otp]; found an empty part',
      'latchkey.yml:8:13: profiles.dev.sources[3].op: expected op://vault/item[/section]/field[?attribute=otp]; found a reference without op://',
      'latchkey.yml:9:13: profiles.dev.sources[4].op: the only query a reference may carry is ?attribute=otp',
      'latchkey.yml:10:13: profiles.dev.sources[5].op: fields: all takes op://vault/item; found 3 parts',
      'latchkey.yml:14:13: profiles.dev.sources[6].as: one name cannot hold every field of an item: with fields: all, as: maps field labels to names (as: { password: DB_PASSWORD })',
      'latchkey.yml:16:17: profiles.dev.sources[7].fields: expected "all" (take every field of the item)',
    ]);
  });

  it('takes totp: code and an as: map of field labels only with fields: all', () => {
    const manifest = parseManifest(
      withSources(
        '      - op: op://Vault/CI Login',
        '        fields: all',
        '        totp: code',
        '        as: { password: CI_PASSWORD, "api key": CI_KEY }',
      ),
      FILE,
    );
    expect(manifest.profiles.get('dev')!.sources[0]).toMatchObject({
      kind: 'op',
      fields: 'all',
      totp: 'code',
      fieldNames: { password: 'CI_PASSWORD', 'api key': 'CI_KEY' },
    });
    expect(manifest.profiles.get('dev')!.sources[0]).not.toHaveProperty('as');
    expect(
      problemsOf(
        withSources(
          '      - op: op://a/b/c',
          '        totp: code',
          '      - op: op://a/b/c',
          '        as: { c: X }',
          '      - op: op://a/b',
          '        fields: all',
          '        as: { c: X-1 }',
          '      - op: op://a/b',
          '        fields: all',
          '        totp: seed',
        ),
      ),
    ).toEqual([
      'latchkey.yml:6:15: profiles.dev.sources[0].totp: totp: code goes with fields: all; for one field, add ?attribute=otp to the reference',
      'latchkey.yml:8:13: profiles.dev.sources[1].as: a map of field names needs fields: all; for one field, as: is a single name',
      expect.stringMatching(
        /^latchkey\.yml:11:\d+: profiles\.dev\.sources\[2\]\.as(\.c)?: .*"X-1" is not a valid variable name/,
      ),
      'latchkey.yml:14:15: profiles.dev.sources[3].totp: expected "code" (write the current one-time code of OTP fields)',
    ]);
  });

  it('checks keychain names and s3 sources', () => {
    expect(
      problemsOf(
        withSources(
          '      - keychain: github token',
          '      - s3: https://bucket/key',
          '        as: A',
          '      - s3: s3://B/key',
          '        as: A',
          '      - s3: s3://bucket/key',
          '      - s3: s3://bucket/key',
          '        as: A',
          '        file: a.key',
          '      - s3: s3://bucket/key',
          '        file: ../keys/dev.key',
        ),
      ),
    ).toEqual([
      'latchkey.yml:5:19: profiles.dev.sources[0].keychain: "github token" is not a valid variable name (" " is not allowed: only letters A-Z, a-z, digits and _)',
      'latchkey.yml:6:13: profiles.dev.sources[1].s3: expected s3://bucket/key; found "https://bucket/key"',
      'latchkey.yml:8:13: profiles.dev.sources[2].s3: "B" is not an S3 bucket name (3-63 characters: a-z, 0-9, . and -)',
      'latchkey.yml:10:9: profiles.dev.sources[3]: expected exactly one of file (write the object to a file) or as (a variable); found neither',
      'latchkey.yml:11:9: profiles.dev.sources[4]: expected exactly one of file (write the object to a file) or as (a variable); found both',
      'latchkey.yml:15:15: profiles.dev.sources[5].file: "../keys/dev.key" leads outside the manifest\'s folder',
    ]);
  });

  it('refuses targets that are absolute, escape the folder, or are not files', () => {
    const target = (value: string) =>
      problemsOf(yml('version: 1', 'profiles:', '  dev:', `    target: ${value}`, '    sources: []'));
    expect(target('/etc/app.env')).toEqual([
      'latchkey.yml:4:13: profiles.dev.target: "/etc/app.env" is absolute; expected a path relative to the manifest\'s folder',
    ]);
    expect(target('../.env')).toEqual([
      'latchkey.yml:4:13: profiles.dev.target: "../.env" leads outside the manifest\'s folder',
    ]);
    expect(target('sub/../../.env')).toEqual([
      'latchkey.yml:4:13: profiles.dev.target: "sub/../../.env" leads outside the manifest\'s folder',
    ]);
    expect(target('"C:/app/.env"')).toEqual([
      'latchkey.yml:4:13: profiles.dev.target: "C:/app/.env" is absolute; expected a path relative to the manifest\'s folder',
    ]);
    expect(target('"env\\\\dev.env"')).toEqual([
      'latchkey.yml:4:13: profiles.dev.target: "env\\\\dev.env" uses \\; separate folders with / (the manifest is shared across systems)',
    ]);
    expect(target('~/.env')).toEqual([
      'latchkey.yml:4:13: profiles.dev.target: "~/.env" starts with ~, which is not expanded; expected a path relative to the manifest\'s folder',
    ]);
    expect(target('.')).toEqual(['latchkey.yml:4:13: profiles.dev.target: "." names a folder; expected a file']);
    expect(target('env/')).toEqual(['latchkey.yml:4:13: profiles.dev.target: "env/" names a folder; expected a file']);
    expect(target('./latchkey.yml')).toEqual([
      'latchkey.yml:4:13: profiles.dev.target: "./latchkey.yml" is the manifest itself',
    ]);
    expect(target('""')).toEqual([
      "latchkey.yml:4:13: profiles.dev.target: expected a file path relative to the manifest's folder; found an empty string",
    ]);
    // Inside the folder, even by a detour: fine.
    expect(
      parseManifest(
        yml('version: 1', 'profiles:', '  dev:', '    target: a/../b/.env', '    sources: []'),
        FILE,
      ).profiles.get('dev')!.target,
    ).toBe('/work/project/b/.env');
  });

  describe('refused target locations (issue 10, item 1)', () => {
    const target = (value: string) =>
      problemsOf(yml('version: 1', 'profiles:', '  dev:', `    target: ${JSON.stringify(value)}`, '    sources: []'));
    const fileSecret = (value: string) =>
      problemsOf(withSources(`      - { s3: s3://acme-secrets/x, file: ${JSON.stringify(value)} }`));

    it('refuses VCS metadata, whatever the spelling a file system would accept', () => {
      for (const value of [
        '.git/config',
        '.git/hooks/pre-commit',
        'sub/module/.git/config',
        '.git',
        '.GIT/config',
        '.Git./config',
        '.git /config',
        'GIT~1/config',
        '.git::$INDEX_ALLOCATION/config',
        '.hg/hgrc',
        '.svn/entries',
        '.bzr/branch.conf',
        '_darcs/prefs/defaults',
        '.jj/repo/config.toml',
      ]) {
        const problems = target(value);
        expect(problems, value).toHaveLength(1);
        expect(problems[0]).toMatch(/^latchkey\.yml:4:13: profiles\.dev\.target: /);
        expect(problems[0]).toContain('version-control metadata');
      }
    });

    it('refuses credential and tool folders, shell startup files and other files that run what they read', () => {
      const cases: [string, RegExp][] = [
        ['.ssh/authorized_keys', /credential or tool configuration folder \.ssh/],
        ['deploy/.aws/credentials', /folder \.aws/],
        ['.kube/config', /folder \.kube/],
        ['.docker/config.json', /folder \.docker/],
        ['.gnupg/gpg.conf', /folder \.gnupg/],
        ['.config/fish/config.fish', /folder \.config/],
        ['.vscode/tasks.json', /editor or hook automation folder \.vscode/],
        ['.idea/workspace.xml', /folder \.idea/],
        ['.husky/pre-commit', /folder \.husky/],
        ['.bashrc', /shell reads \.bashrc/],
        ['home/.zshrc', /shell reads \.zshrc/],
        ['.profile', /shell reads \.profile/],
        ['.envrc', /direnv runs \.envrc/],
        ['.npmrc', /configuration \.npmrc/],
        ['.gitconfig', /configuration \.gitconfig/],
      ];
      for (const [value, reason] of cases) {
        const problems = target(value);
        expect(problems, value).toHaveLength(1);
        expect(problems[0], value).toMatch(reason);
      }
    });

    it('refuses them for file secrets too, at the file: key', () => {
      expect(fileSecret('.ssh/id_ed25519')).toEqual([
        expect.stringMatching(
          /^latchkey\.yml:5:42: profiles\.dev\.sources\[0\]\.file: ".ssh\/id_ed25519" is refused: it is inside a credential/,
        ),
      ]);
      expect(fileSecret('.git/hooks/post-checkout')[0]).toContain('version-control metadata');
    });

    it('accepts names that only resemble them', () => {
      for (const value of [
        '.env',
        'config/.env',
        '.github/dev.env',
        '.gitignore.env',
        'git/.env',
        '.git-env',
        'sshd.env',
      ]) {
        const manifest = parseManifest(
          yml('version: 1', 'profiles:', '  dev:', `    target: ${JSON.stringify(value)}`, '    sources: []'),
          FILE,
        );
        expect(manifest.profiles.get('dev')!.targetRel, value).toBe(value);
      }
    });
  });

  it('refuses a manifest over 1 MiB, saying how large it is (issue 10, item 15)', async () => {
    const keys = Array.from({ length: 60_000 }, (_, i) => `          K_${i}: v${i}`);
    const text = withSources('      - set:', ...keys);
    expect(Buffer.byteLength(text)).toBeGreaterThan(1024 * 1024);
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(/^latchkey\.yml:1:1: the manifest is 1\.\d MiB; a manifest may be at most 1 MiB/),
    ]);
    // Just under the cap, the same shape parses (duplicates are still found, without YAML's quadratic check).
    const fits = withSources('      - set:', ...keys.slice(0, 40_000));
    expect(parseManifest(fits, FILE).profiles.get('dev')!.sources).toHaveLength(1);
    expect(problemsOf(withSources('      - set:', ...keys.slice(0, 1000), keys[3]!))).toEqual([
      'latchkey.yml:1006:11: profiles.dev.sources[0].set: duplicate key "K_3"',
    ]);
  });

  it('refuses __proto__ as a key anywhere', () => {
    expect(problemsOf(withSources('      - set: { __proto__: x, A: b }'))).toEqual([
      'latchkey.yml:5:16: profiles.dev.sources[0].set: "__proto__" cannot be used as a key',
    ]);
  });

  it('refuses an alias that contains itself', () => {
    expect(problemsOf(yml('version: 1', 'profiles:', '  dev: &d', '    sources: [*d]'))).toEqual([
      'latchkey.yml:4:15: profiles.dev.sources[0]: alias *d refers to itself',
    ]);
  });

  it('collects every problem into one error, in document order, also as structured data', () => {
    let caught: unknown;
    try {
      parseManifest(
        yml(
          'version: 2',
          'profiles:',
          '  dev:',
          '    soruces: []',
          '    sources:',
          '      - chamber: /x',
          '      - nope: 1',
        ),
        FILE,
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ManifestError);
    expect(caught).toBeInstanceOf(LatchkeyError);
    const error = caught as ManifestError;
    expect(error.code).toBe('MANIFEST_INVALID');
    expect(error.file).toBe(FILE);
    expect(error.hint).toContain(FILE);
    // Each with the lines around it (checked on its own below).
    expect(error.problems.map(({ excerpt: _, ...p }) => p)).toEqual([
      { line: 1, col: 10, path: 'version', message: 'expected 1, the only manifest version this Latchkey reads' },
      { line: 4, col: 5, path: 'profiles.dev', message: 'unknown key "soruces" (did you mean "sources"?)' },
      {
        line: 6,
        col: 18,
        path: 'profiles.dev.sources[0].chamber',
        message: 'a chamber service has no leading slash: write "x"',
      },
      {
        line: 7,
        col: 9,
        path: 'profiles.dev.sources[1]',
        message: 'expected exactly one of chamber, ssm, op, keychain, s3, set; found none',
      },
    ]);
    expect(error.problems[1]!.excerpt).toEqual({
      firstLine: 3,
      lines: ['  dev:', '    soruces: []', '    sources:'],
    });
    expect(error.message.split('\n')).toHaveLength(4);
  });

  it('names the file it was given in every line', () => {
    try {
      parseManifest('version: 2\nprofiles: { a: { sources: [] } }\n', '/x/latchkey.yaml');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe(
        'latchkey.yaml:1:10: version: expected 1, the only manifest version this Latchkey reads',
      );
    }
  });
});

describe('findManifest and loadManifest', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'latchkey-manifest-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const MINIMAL = yml('version: 1', 'profiles:', '  dev:', '    sources:', '      - ssm: /a/b');

  it('searches upward from a nested folder', async () => {
    await writeFile(join(root, 'latchkey.yml'), MINIMAL);
    const nested = join(root, 'a', 'b', 'c');
    await mkdir(nested, { recursive: true });
    expect(await findManifest(nested)).toBe(join(root, 'latchkey.yml'));
    const manifest = await loadManifest({ cwd: nested });
    expect(manifest.path).toBe(join(root, 'latchkey.yml'));
    expect(manifest.dir).toBe(root);
    expect(manifest.profiles.get('dev')!.target).toBe(join(root, '.env'));
  });

  it('takes the nearest manifest', async () => {
    await writeFile(join(root, 'latchkey.yml'), MINIMAL);
    await mkdir(join(root, 'inner', 'deeper'), { recursive: true });
    await writeFile(join(root, 'inner', 'latchkey.yaml'), MINIMAL);
    expect(await findManifest(join(root, 'inner', 'deeper'))).toBe(join(root, 'inner', 'latchkey.yaml'));
  });

  it('accepts latchkey.yaml and refuses both names in one folder', async () => {
    await writeFile(join(root, 'latchkey.yaml'), MINIMAL);
    expect((await loadManifest({ cwd: root })).path).toBe(join(root, 'latchkey.yaml'));
    await writeFile(join(root, 'latchkey.yml'), MINIMAL);
    await expect(findManifest(root)).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
  });

  it('ignores a folder named latchkey.yml', async () => {
    await mkdir(join(root, 'sub', 'latchkey.yml'), { recursive: true });
    await writeFile(join(root, 'latchkey.yml'), MINIMAL);
    expect(await findManifest(join(root, 'sub'))).toBe(join(root, 'latchkey.yml'));
  });

  it('with --dir, looks in that folder only, relative to cwd', async () => {
    await writeFile(join(root, 'latchkey.yml'), MINIMAL);
    await mkdir(join(root, 'app'), { recursive: true });
    await expect(loadManifest({ cwd: root, dir: 'app' })).rejects.toMatchObject({
      code: 'MANIFEST_NOT_FOUND',
      message: `no latchkey.yml in ${join(root, 'app')}`,
    });
    await writeFile(join(root, 'app', 'latchkey.yml'), MINIMAL);
    expect((await loadManifest({ cwd: root, dir: 'app' })).dir).toBe(join(root, 'app'));
    expect((await loadManifest({ cwd: '/', dir: join(root, 'app') })).dir).toBe(join(root, 'app'));
  });

  it('says how to fix a missing manifest', async () => {
    const error = await loadManifest({ cwd: root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LatchkeyError);
    expect(error).toMatchObject({
      code: 'MANIFEST_NOT_FOUND',
      message: `no latchkey.yml in ${root} or any folder above it`,
    });
    expect((error as LatchkeyError).hint).toMatch(/create latchkey\.yml.*README/i);
  });

  describe("trust, as git's safe.directory judges it (issue 10, item 8)", () => {
    const OTHER_USER = 65534; // nobody
    const canChown = process.getuid?.() === 0;
    const skipUnlessRoot = (ctx: { skip: () => void }) => {
      if (!canChown) {
        console.log('skipped: giving a file to another user needs root; these checks run as root in CI');
        ctx.skip();
      }
    };

    it('refuses a manifest owned by another user in a shared sticky folder, found by the upward search', async (ctx) => {
      skipUnlessRoot(ctx);
      const shared = join(root, 'shared');
      await mkdir(join(shared, 'mine', 'work'), { recursive: true });
      await chmod(shared, 0o1777);
      await writeFile(join(shared, 'latchkey.yml'), MINIMAL);
      await chown(join(shared, 'latchkey.yml'), OTHER_USER, OTHER_USER);
      const error = (await loadManifest({ cwd: join(shared, 'mine', 'work') }).catch(
        (e: unknown) => e,
      )) as LatchkeyError;
      expect(error).toBeInstanceOf(LatchkeyError);
      expect(error.code).toBe('MANIFEST_INVALID');
      expect(error.message).toMatch(
        new RegExp(`Refusing to use ${join(shared, 'latchkey.yml')}: it belongs to user ${OTHER_USER}`),
      );
      expect(error.hint).toMatch(/--dir/);
      // The same with --dir: naming it does not make it trusted.
      await expect(loadManifest({ cwd: root, dir: shared })).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
    });

    it('refuses a manifest others may write, or one in a folder others may write without the sticky bit', async (ctx) => {
      skipUnlessRoot(ctx);
      await writeFile(join(root, 'latchkey.yml'), MINIMAL);
      await chmod(join(root, 'latchkey.yml'), 0o666);
      await expect(loadManifest({ cwd: root })).rejects.toThrow(/anyone may change it/);
      await chmod(join(root, 'latchkey.yml'), 0o644);
      await chmod(root, 0o777);
      await expect(loadManifest({ cwd: root })).rejects.toThrow(/anyone may replace it/);
      await chown(root, OTHER_USER, OTHER_USER);
      await chmod(root, 0o755);
      await expect(loadManifest({ cwd: root })).rejects.toThrow(/its folder belongs to user 65534/);
    });

    it('accepts its own manifest in a sticky shared folder, and says how it was found', async (ctx) => {
      skipUnlessRoot(ctx);
      await chmod(root, 0o1777);
      await writeFile(join(root, 'latchkey.yml'), MINIMAL);
      await mkdir(join(root, 'sub'));
      expect((await loadManifest({ cwd: join(root, 'sub') })).foundBy).toBe('search');
      expect((await loadManifest({ cwd: '/', dir: root })).foundBy).toBe('dir');
    });
  });

  it('reports problems of a loaded manifest with its absolute path', async () => {
    await writeFile(join(root, 'latchkey.yml'), 'version: 1\nprofiles:\n  dev:\n    target: /etc/x\n    sources: []\n');
    const error = await loadManifest({ cwd: root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).file).toBe(join(root, 'latchkey.yml'));
    expect((error as ManifestError).problems).toEqual([
      {
        line: 4,
        col: 13,
        path: 'profiles.dev.target',
        message: '"/etc/x" is absolute; expected a path relative to the manifest\'s folder',
        excerpt: { firstLine: 3, lines: ['  dev:', '    target: /etc/x', '    sources: []'] },
      },
    ]);
  });
});
