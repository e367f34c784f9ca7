import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { TEMP_FOLDER } from '../../../main/core/atomic-write';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProfileDraftSchema, type ProfileDraft, type SourceDraft } from '../../../contract/ipc';
import { LatchkeyError } from '../../../main/core/errors';
import { ManifestError, parseManifest } from '../../../main/core/manifest';
import { createManifestFile, newManifestText, withProfile, writeProfileToFile } from '../../../main/core/manifest-edit';
import type { Profile } from '../../../main/core/types';

const FILE = '/work/project/latchkey.yml';

/** Two commented profiles; `prod` (and everything around `dev`) must survive any edit of `dev` byte for byte. */
const TEXT = `# The team's manifest: keep me
version: 1
aws: { profile: acme-dev, region: us-east-1 }   # defaults for chamber/ssm/s3 sources
rotation: { maxAgeDays: 90 }                    # default policy

profiles:
  # the profile everybody uses
  dev:
    description: Local development
    target: .env                 # relative to this folder
    sources:                     # applied in order
      - chamber: api/dev         # every key under /api/dev
      - chamber: shared/dev
        only: [db_host, db_user] # a filter
        rotation: { maxAgeDays: 30 }
      - keychain: GITHUB_TOKEN   # personal
      - set: { LOG_LEVEL: debug }
      # trailing note inside dev

  # production: handle with care
  prod:
    target: .env.prod     # the prod file
    dialect: docker
    sources:
      - chamber: api/prod   # prod keys
      - ssm: /legacy/stripe_key
        as: STRIPE_SECRET_KEY
# the end
`;

const PROD_BLOCK = TEXT.slice(TEXT.indexOf('  # production: handle with care'));
const HEAD_BLOCK = TEXT.slice(0, TEXT.indexOf('  dev:'));

const DEV_AS_IS: ProfileDraft = {
  name: 'dev',
  description: 'Local development',
  target: '.env',
  sources: [
    { kind: 'chamber', service: 'api/dev' },
    { kind: 'chamber', service: 'shared/dev', only: ['db_host', 'db_user'] },
    { kind: 'keychain', name: 'GITHUB_TOKEN' },
    { kind: 'set', values: { LOG_LEVEL: 'debug' } },
  ],
};

/** A profile without source positions: editing one profile moves the lines of the ones after it. */
function placeless(profile: Profile | undefined) {
  return profile && { ...profile, sources: profile.sources.map(({ pos: _pos, ...rest }) => rest) };
}

function commentsOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.match(/#.*$/)?.[0])
    .filter((c): c is string => c !== undefined);
}

/** What a draft means once parsed: the fields the editor controls. */
function meaning(profile: Profile) {
  return {
    description: profile.description,
    target: profile.targetRel,
    dialect: profile.dialect,
    sources: profile.sources.map((s) => {
      switch (s.kind) {
        case 'chamber':
          return { kind: s.kind, service: s.service, only: s.only };
        case 'ssm':
          return { kind: s.kind, name: s.name, as: s.as };
        case 'op':
          return { kind: s.kind, ref: s.ref, as: s.as };
        case 'keychain':
          return { kind: s.kind, name: s.name };
        case 's3':
          return { kind: s.kind, url: s.url, as: s.as, file: s.file };
        case 'set':
          return { kind: s.kind, values: s.values };
      }
    }),
  };
}

/** `previous`: the dialect the profile had, which a draft without one keeps. */
function draftMeaning(draft: ProfileDraft, previous: Profile['dialect'] = 'portable') {
  return {
    description: draft.description?.trim() ? draft.description : undefined,
    target: draft.target,
    dialect: draft.dialect ?? previous,
    sources: draft.sources.map((s: SourceDraft) => {
      switch (s.kind) {
        case 'chamber':
          return {
            kind: s.kind,
            service: s.service.toLowerCase(),
            only: s.only && s.only.length > 0 ? [...new Set(s.only.map((k) => k.toLowerCase()))] : undefined,
          };
        case 'ssm':
          return { kind: s.kind, name: s.name, as: s.as };
        case 'op':
          return { kind: s.kind, ref: s.ref, as: s.as };
        case 'keychain':
          return { kind: s.kind, name: s.name };
        case 's3':
          return { kind: s.kind, url: s.url, as: s.as, file: s.file };
        case 'set':
          return { kind: s.kind, values: s.values };
      }
    }),
  };
}

describe('withProfile: replacing a profile', () => {
  it('keeps every other profile and every comment outside the edited profile byte for byte', () => {
    const draft: ProfileDraft = {
      ...DEV_AS_IS,
      description: 'Local dev, renamed text',
      sources: [...DEV_AS_IS.sources, { kind: 'ssm', name: '/dev/extra', as: 'EXTRA' }],
    };
    const out = withProfile(TEXT, draft, undefined, FILE);
    expect(out.startsWith(HEAD_BLOCK)).toBe(true);
    expect(out.endsWith(PROD_BLOCK)).toBe(true);
    const parsed = parseManifest(out, FILE);
    expect(meaning(parsed.profiles.get('dev')!)).toEqual(draftMeaning(draft));
    expect(placeless(parsed.profiles.get('prod'))).toEqual(placeless(parseManifest(TEXT, FILE).profiles.get('prod')));
  });

  it('keeps the comments and the options the editor does not show of the sources it keeps, also when they move', () => {
    const [apiDev, sharedDev, github, set] = DEV_AS_IS.sources as [SourceDraft, SourceDraft, SourceDraft, SourceDraft];
    const draft: ProfileDraft = { ...DEV_AS_IS, sources: [set, sharedDev, apiDev, github] };
    const out = withProfile(TEXT, draft, undefined, FILE);
    const parsed = parseManifest(out, FILE);
    expect(meaning(parsed.profiles.get('dev')!)).toEqual(draftMeaning(draft));
    // shared/dev's own rotation survives the move, though the draft cannot express it.
    expect(parsed.profiles.get('dev')!.sources[1]!.rotation).toEqual({ maxAgeDays: 30 });
    // Every comment of the original is still there: nothing was removed, only reordered.
    expect(new Set(commentsOf(out).map((c) => c.trim()))).toEqual(new Set(commentsOf(TEXT).map((c) => c.trim())));
    expect(out.endsWith(PROD_BLOCK)).toBe(true);
  });

  it('leaves the file exactly as it is when the profile did not change', () => {
    expect(withProfile(TEXT, DEV_AS_IS, undefined, FILE)).toBe(TEXT);
  });

  it('edits the other profile just as well, leaving dev and the head untouched', () => {
    const draft: ProfileDraft = {
      name: 'prod',
      target: '.env.production',
      dialect: 'shell',
      sources: [{ kind: 'chamber', service: 'api/prod' }],
    };
    const out = withProfile(TEXT, draft, undefined, FILE);
    const devBlock = TEXT.slice(0, TEXT.indexOf('  prod:'));
    expect(out.startsWith(devBlock)).toBe(true);
    expect(out.endsWith('# the end\n')).toBe(true);
    const parsed = parseManifest(out, FILE);
    expect(meaning(parsed.profiles.get('prod')!)).toEqual(draftMeaning(draft));
    expect(parsed.profiles.get('dev')).toEqual(parseManifest(TEXT, FILE).profiles.get('dev'));
    expect(out).toContain('# prod keys');
  });

  it('keeps the dialect when the draft does not say, and sets it when it does', () => {
    const keep = parseManifest(
      withProfile(TEXT, { name: 'prod', target: '.env.prod', sources: [] }, undefined, FILE),
      FILE,
    );
    expect(keep.profiles.get('prod')!.dialect).toBe('docker');
    const set = parseManifest(
      withProfile(TEXT, { name: 'prod', target: '.env.prod', dialect: 'portable', sources: [] }, undefined, FILE),
      FILE,
    );
    expect(set.profiles.get('prod')!.dialect).toBe('portable');
  });

  it('removes description and writes target only when it differs from the default', () => {
    const draft: ProfileDraft = { name: 'dev', target: '.env', sources: [{ kind: 'chamber', service: 'api/dev' }] };
    const out = withProfile(TEXT, draft, undefined, FILE);
    const dev = parseManifest(out, FILE).profiles.get('dev')!;
    expect(dev.description).toBeUndefined();
    expect(out).toContain('# every key under /api/dev');
  });
});

describe('withProfile: adding and renaming', () => {
  it('adds a new profile after the last one and changes no existing byte', () => {
    const draft: ProfileDraft = {
      name: 'staging',
      target: '.env.staging',
      sources: [
        { kind: 'chamber', service: 'api/staging' },
        { kind: 'set', values: { MODE: '0755', FLAG: 'true' } },
      ],
    };
    const out = withProfile(TEXT, draft, undefined, FILE);
    const parsed = parseManifest(out, FILE);
    expect([...parsed.profiles.keys()]).toEqual(['dev', 'prod', 'staging']);
    expect(meaning(parsed.profiles.get('staging')!)).toEqual(draftMeaning(draft));
    // Values that YAML would read as numbers or booleans stay the strings the user typed.
    expect(parsed.profiles.get('staging')!.sources[1]).toMatchObject({ values: { MODE: '0755', FLAG: 'true' } });
    const inserted = out.slice(TEXT.indexOf('# the end'), out.indexOf('# the end'));
    expect(out.replace(inserted, '')).toBe(TEXT);
    expect(inserted.startsWith('  staging:\n')).toBe(true);
  });

  it('renames a profile in place, keeping its position and its neighbours', () => {
    const out = withProfile(TEXT, { ...DEV_AS_IS, name: 'local' }, 'dev', FILE);
    const parsed = parseManifest(out, FILE);
    expect([...parsed.profiles.keys()]).toEqual(['local', 'prod']);
    expect(out.startsWith(HEAD_BLOCK)).toBe(true);
    expect(out.endsWith(PROD_BLOCK)).toBe(true);
    expect(out).toContain('# every key under /api/dev');
  });

  it('refuses to rename onto an existing profile, and to rename one that is not there', () => {
    expect(() => withProfile(TEXT, { ...DEV_AS_IS, name: 'prod' }, 'dev', FILE)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => withProfile(TEXT, DEV_AS_IS, 'gone', FILE)).toThrow(
      expect.objectContaining({ code: 'PROFILE_NOT_FOUND' }),
    );
  });

  it('keeps CRLF line endings in the lines it writes', () => {
    const crlf = TEXT.replace(/\n/g, '\r\n');
    const out = withProfile(
      crlf,
      { name: 'qa', target: '.env.qa', sources: [{ kind: 'chamber', service: 'api/qa' }] },
      undefined,
      FILE,
    );
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect([...parseManifest(out, FILE).profiles.keys()]).toEqual(['dev', 'prod', 'qa']);
  });

  it('reports a file that is not YAML with its positions', () => {
    expect(() => withProfile('version: 1\nprofiles: [\n', DEV_AS_IS, undefined, FILE)).toThrow(ManifestError);
  });

  it('keeps other profiles byte-identical and the draft exact, for any valid draft (property)', () => {
    const envName = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/);
    const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
    const source: fc.Arbitrary<SourceDraft> = fc.oneof(
      fc.record(
        {
          kind: fc.constant('chamber' as const),
          service: fc.tuple(word, word).map(([a, b]) => `${a}/${b}`),
          only: fc.option(fc.uniqueArray(word, { minLength: 1, maxLength: 3 }), { nil: undefined }),
        },
        { requiredKeys: ['kind', 'service'] },
      ),
      fc.record(
        {
          kind: fc.constant('ssm' as const),
          name: word.map((w) => `/p/${w}`),
          as: fc.option(envName, { nil: undefined }),
        },
        { requiredKeys: ['kind', 'name'] },
      ),
      fc.record({ kind: fc.constant('keychain' as const), name: envName }),
      fc.record({
        kind: fc.constant('s3' as const),
        url: word.map((w) => `s3://bucket-${w}/key`),
        file: word.map((w) => `certs/${w}.pem`),
      }),
      fc.record({
        kind: fc.constant('set' as const),
        values: fc.dictionary(
          envName,
          fc.string({ maxLength: 20 }).filter((v) => !v.includes('\0')),
          { maxKeys: 4 },
        ),
      }),
    );
    const draft = fc.record(
      {
        name: fc.oneof(fc.constant('dev'), fc.constant('prod'), fc.stringMatching(/^[a-z][a-z0-9_.-]{0,10}$/)),
        description: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
        target: fc.oneof(
          fc.constant('.env'),
          word.map((w) => `.env.${w}`),
          word.map((w) => `config/${w}.env`),
        ),
        dialect: fc.option(fc.constantFrom('portable' as const, 'docker' as const, 'shell' as const), {
          nil: undefined,
        }),
        sources: fc.array(source, { maxLength: 5 }),
      },
      { requiredKeys: ['name', 'target', 'sources'] },
    );
    const original = parseManifest(TEXT, FILE);
    fc.assert(
      fc.property(draft, (d) => {
        fc.pre(ProfileDraftSchema.safeParse(d).success);
        const out = withProfile(TEXT, d, undefined, FILE);
        let parsed;
        try {
          parsed = parseManifest(out, FILE);
        } catch (error) {
          // Some drafts are invalid manifests (say, two sources with the same as:); that is the validator's call.
          expect(error).toBeInstanceOf(ManifestError);
          return;
        }
        expect(meaning(parsed.profiles.get(d.name)!)).toEqual(draftMeaning(d, original.profiles.get(d.name)?.dialect));
        for (const other of [...original.profiles.keys()].filter((n) => n !== d.name)) {
          expect(placeless(parsed.profiles.get(other))).toEqual(placeless(original.profiles.get(other)));
        }
        if (d.name !== 'prod') expect(out).toContain(PROD_BLOCK.replace('# the end\n', ''));
        if (d.name !== 'dev') expect(out.startsWith(TEXT.slice(0, TEXT.indexOf('  # production')))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'latchkey-medit-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a draft that makes an invalid manifest, and writes nothing', async () => {
    const file = path.join(dir, 'latchkey.yml');
    await writeFile(file, TEXT);
    await chmod(file, 0o640);
    const before = await stat(file);
    // Valid for the contract, not for the manifest: an SSM name needs its leading slash, a target must stay inside.
    const bad: ProfileDraft[] = [
      { ...DEV_AS_IS, sources: [{ kind: 'ssm', name: 'legacy/no-slash' }] },
      { ...DEV_AS_IS, target: '../outside.env' },
      { ...DEV_AS_IS, sources: [{ kind: 's3', url: 's3://bucket/key' }] },
    ];
    for (const draft of bad) {
      const error = await writeProfileToFile(file, draft).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ManifestError);
      expect((error as ManifestError).problems.length).toBeGreaterThan(0);
    }
    expect(await readFile(file, 'utf8')).toBe(TEXT);
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
    expect(await readdir(dir)).toEqual(['latchkey.yml']);
  });

  it("writes a valid edit atomically with the file's own mode, and reports an unchanged save as no write", async () => {
    const file = path.join(dir, 'latchkey.yml');
    await writeFile(file, TEXT);
    await chmod(file, 0o640);
    const same = await writeProfileToFile(file, DEV_AS_IS);
    expect(same.wrote).toBe(false);
    const edited = await writeProfileToFile(file, { ...DEV_AS_IS, target: '.env.local' });
    expect(edited.wrote).toBe(true);
    expect(edited.manifest.profiles.get('dev')!.targetRel).toBe('.env.local');
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect((await readFile(file, 'utf8')).endsWith(PROD_BLOCK)).toBe(true);
    // No temp file left; the private temp folder stays, holding only the .gitignore that hides it.
    expect(await readdir(dir)).toEqual([TEMP_FOLDER, 'latchkey.yml']);
    expect(await readdir(path.join(dir, TEMP_FOLDER))).toEqual(['.gitignore']);
  });

  it('repairs a manifest whose profile is invalid by saving a valid draft of it', async () => {
    const file = path.join(dir, 'latchkey.yml');
    await writeFile(
      file,
      TEXT.replace('      - chamber: api/prod   # prod keys', '      - chamber: "bad service!"   # prod keys'),
    );
    expect(() => parseManifest(TEXT.replace('- chamber: api/prod', '- chamber: "bad service!"'), FILE)).toThrow(
      ManifestError,
    );
    const { manifest } = await writeProfileToFile(file, {
      name: 'prod',
      target: '.env.prod',
      dialect: 'docker',
      sources: [{ kind: 'chamber', service: 'api/prod' }],
    });
    expect(manifest.profiles.get('prod')!.sources).toHaveLength(1);
  });

  it('creates a commented manifest that parses, and refuses to overwrite one', async () => {
    const manifest = await createManifestFile(dir, {
      aws: { profile: 'acme-dev', region: 'us-east-1' },
      profile: {
        name: 'dev',
        target: '.env',
        sources: [
          { kind: 'chamber', service: 'api/dev' },
          { kind: 'keychain', name: 'GITHUB_TOKEN' },
        ],
      },
    });
    expect(manifest.aws).toEqual({ profile: 'acme-dev', region: 'us-east-1' });
    expect([...manifest.profiles.keys()]).toEqual(['dev']);
    const text = await readFile(path.join(dir, 'latchkey.yml'), 'utf8');
    expect(text.startsWith('# Latchkey')).toBe(true);
    expect((await stat(path.join(dir, 'latchkey.yml'))).mode & 0o777).toBe(0o644);
    const again = await createManifestFile(dir, { aws: {}, profile: DEV_AS_IS }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(LatchkeyError);
    expect((again as LatchkeyError).code).toBe('INVALID_INPUT');
    expect(await readFile(path.join(dir, 'latchkey.yml'), 'utf8')).toBe(text);
  });

  it('creates nothing for a draft the manifest refuses', async () => {
    const error = await createManifestFile(dir, {
      aws: {},
      profile: { name: 'dev', target: '/etc/passwd', sources: [] },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManifestError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('explains each section of a new manifest in comments, and writes a whole 1Password item as fields: all', () => {
    const text = newManifestText({
      aws: { profile: 'acme-dev' },
      profile: {
        name: 'dev',
        target: '.env',
        sources: [
          { kind: 'chamber', service: 'web/dev' },
          { kind: 'op', ref: 'op://Engineering/Payments', fields: 'all' },
        ],
      },
    });
    const commentBefore = (line: string) => {
      const lines = text.split('\n');
      return lines[lines.findIndex((l) => l.trim().startsWith(line)) - 1]?.trim() ?? '';
    };
    for (const key of ['version:', 'aws:', 'profiles:', 'target:', 'sources:'])
      expect(commentBefore(key), key).toMatch(/^#/);
    const manifest = parseManifest(text, FILE);
    expect(manifest.profiles.get('dev')!.sources).toMatchObject([
      { kind: 'chamber', service: 'web/dev' },
      { kind: 'op', ref: 'op://Engineering/Payments', fields: 'all' },
    ]);
  });

  it('replaces an existing manifest only when asked to, under its own name', async () => {
    const old = path.join(dir, 'latchkey.yaml');
    await writeFile(old, 'version: 1\nprofiles: {}\n');
    const refused = await createManifestFile(dir, { aws: {}, profile: DEV_AS_IS }).catch((e: unknown) => e);
    expect((refused as LatchkeyError).code).toBe('INVALID_INPUT');
    const manifest = await createManifestFile(dir, { aws: {}, profile: DEV_AS_IS }, { replace: true });
    expect(manifest.path).toBe(old);
    expect((await readdir(dir)).filter((name) => name !== TEMP_FOLDER)).toEqual(['latchkey.yaml']);
    expect([...parseManifest(await readFile(old, 'utf8'), old).profiles.keys()]).toEqual([DEV_AS_IS.name]);
  });

  it('leaves out aws when neither profile nor region is given', () => {
    const text = newManifestText({
      aws: { profile: ' ', region: '' },
      profile: { name: 'dev', target: '.env', sources: [] },
    });
    expect(text).not.toContain('aws');
    expect(parseManifest(text, FILE).aws).toEqual({});
  });
});
