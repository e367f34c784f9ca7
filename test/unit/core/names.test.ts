import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENV_NAME_PATTERN } from '../../../contract/ipc';
import { assignNames, chamberEnvName, validateEnvName } from '../../../main/core/names';
import { originOf, type ResolvedSecret, type SourceSpec } from '../../../main/core/types';

const rotation = { maxAgeDays: 90 };
const chamber = (index: number, service = `svc${index}`): SourceSpec => ({
  kind: 'chamber',
  index,
  service,
  aws: {},
  rotation,
});
const ssm = (index: number, name: string, as?: string): SourceSpec => ({
  kind: 'ssm',
  index,
  name,
  ...(as && { as }),
  aws: {},
  rotation,
});
const set = (index: number, values: Record<string, string> = {}): SourceSpec => ({
  kind: 'set',
  index,
  values,
  rotation,
});
const keychain = (index: number, name: string): SourceSpec => ({ kind: 'keychain', index, name, rotation });
const op = (index: number, ref: string, as?: string): SourceSpec => ({
  kind: 'op',
  index,
  ref,
  ...(as && { as }),
  rotation,
});
const s3 = (index: number, extra: { as?: string; file?: string }): SourceSpec => ({
  kind: 's3',
  index,
  url: 's3://bucket/key',
  ...extra,
  aws: {},
  rotation,
});

const secret = (spec: SourceSpec, sourceKey: string): ResolvedSecret => ({
  spec,
  sourceKey,
  value: `value of ${sourceKey}`,
  meta: {},
});

describe('chamberEnvName: chamber env / export -f dotenv', () => {
  const ok: [string, string][] = [
    ['db_host', 'DB_HOST'],
    ['db-host', 'DB_HOST'],
    ['db.host', 'DB_HOST'],
    ['  db_host  ', 'DB_HOST'],
    ['db host', 'DB_HOST'],
    ['db\thost', 'DB_HOST'],
    ['a--b..c', 'A__B__C'],
    ['a \t.b', 'A___B'],
    ['_private', '_PRIVATE'],
    ['-lead', '_LEAD'],
    ['.dot', '_DOT'],
    ['MiXeD', 'MIXED'],
    ['key9', 'KEY9'],
  ];
  it.each(ok)('%j → %s', (key, name) => {
    expect(chamberEnvName(key)).toEqual({ ok: true, name });
  });

  const bad: [string, string][] = [
    ['9lives', 'key "9lives" maps to "9LIVES", which is not a valid variable name (must start with a letter or _)'],
    ['', 'the key is empty'],
    ['   ', 'key "   " is only whitespace'],
    ['\t', 'key "\\t" is only whitespace'],
    ['café', 'key "café" has the non-ASCII character "é"; a variable name may only hold A-Z, a-z, 0-9 and _'],
    ['ſecret', 'key "ſecret" has the non-ASCII character "ſ"; a variable name may only hold A-Z, a-z, 0-9 and _'],
    ['ключ', 'key "ключ" has the non-ASCII character "к"; a variable name may only hold A-Z, a-z, 0-9 and _'],
    [
      'a+b',
      'key "a+b" maps to "A+B", which is not a valid variable name ("+" is not allowed: only letters A-Z, a-z, digits and _)',
    ],
    [
      'a/b',
      'key "a/b" maps to "A/B", which is not a valid variable name ("/" is not allowed: only letters A-Z, a-z, digits and _)',
    ],
  ];
  it.each(bad)('%j is refused', (key, reason) => {
    expect(chamberEnvName(key)).toEqual({ ok: false, reason });
  });
});

describe('validateEnvName: literal names', () => {
  it('accepts names as written, case included', () => {
    for (const name of ['STRIPE_KEY', 'lower_case', '_', 'A1'])
      expect(validateEnvName(name)).toEqual({ ok: true, name });
  });
  it('does not rewrite anything', () => {
    expect(validateEnvName('db-host')).toEqual({
      ok: false,
      reason: '"db-host" is not a valid variable name ("-" is not allowed: only letters A-Z, a-z, digits and _)',
    });
    expect(validateEnvName(' A')).toMatchObject({ ok: false });
    expect(validateEnvName('1A')).toEqual({
      ok: false,
      reason: '"1A" is not a valid variable name (must start with a letter or _)',
    });
    expect(validateEnvName('')).toEqual({ ok: false, reason: '"" is not a valid variable name (it is empty)' });
  });
});

describe('assignNames', () => {
  it('names each kind by its rule', () => {
    const specs = [
      chamber(0, 'api/dev'),
      ssm(1, '/legacy/stripe-key'),
      ssm(2, '/legacy/other', 'OTHER_KEY'),
      keychain(3, 'GITHUB_TOKEN'),
      set(4),
      op(5, 'op://v/i/f', 'OP_KEY'),
      s3(6, { as: 'TLS_KEY' }),
    ];
    const { named, errors } = assignNames([
      secret(specs[0]!, 'db.host'),
      secret(specs[1]!, '/legacy/stripe-key'),
      secret(specs[2]!, '/legacy/other'),
      secret(specs[3]!, 'GITHUB_TOKEN'),
      secret(specs[4]!, 'log_level'),
      secret(specs[5]!, 'credential'),
      secret(specs[6]!, 's3://bucket/key'),
    ]);
    expect(errors).toEqual([]);
    expect(named.map((n) => n.name)).toEqual([
      'DB_HOST',
      'STRIPE_KEY',
      'OTHER_KEY',
      'GITHUB_TOKEN',
      'log_level',
      'OP_KEY',
      'TLS_KEY',
    ]);
    expect(named[0]).toEqual({
      name: 'DB_HOST',
      secret: expect.objectContaining({ sourceKey: 'db.host' }),
      origin: { id: 'chamber:api/dev#db.host', kind: 'chamber', ref: 'api/dev', sourceKey: 'db.host', sourceIndex: 0 },
      overrides: [],
    });
  });

  it('lets a later source override an earlier one, listing the loser', () => {
    const a = chamber(0, 'shared/dev');
    const b = chamber(1, 'api/dev');
    const { named, errors } = assignNames([secret(b, 'db_host'), secret(a, 'db_host'), secret(a, 'db_user')]);
    expect(errors).toEqual([]);
    expect(named).toHaveLength(2);
    const host = named.find((n) => n.name === 'DB_HOST')!;
    expect(host.origin).toEqual(originOf(b, 'db_host'));
    expect(host.overrides).toEqual([originOf(a, 'db_host')]);
    expect(host.collision).toBeUndefined();
  });

  it('marks an override across sources with different spellings as a collision, naming both origins', () => {
    const a = chamber(0, 'api/dev');
    const b = set(1, { DB_HOST: 'x' });
    const c = chamber(2, 'shared/dev');
    const { named, errors } = assignNames([secret(a, 'db-host'), secret(b, 'DB_HOST'), secret(c, 'db.host')]);
    expect(errors).toEqual([]);
    expect(named).toEqual([
      {
        name: 'DB_HOST',
        secret: expect.objectContaining({ spec: c }),
        origin: originOf(c, 'db.host'),
        overrides: [originOf(a, 'db-host'), originOf(b, 'DB_HOST')],
        collision:
          '"db.host" (chamber:shared/dev#db.host) and "db-host" (chamber:api/dev#db-host), "DB_HOST" (set#DB_HOST) all map to DB_HOST; the later source wins',
      },
    ]);
  });

  it('refuses two keys of one source that map to one name, writing neither', () => {
    const a = chamber(0, 'api/dev');
    const { named, errors } = assignNames([secret(a, 'db-host'), secret(a, 'port'), secret(a, 'db.host')]);
    expect(named.map((n) => n.name)).toEqual(['PORT']);
    expect(errors).toEqual([
      {
        name: 'DB_HOST',
        origin: originOf(a, 'db-host'),
        reason:
          'chamber api/dev has "db-host" and "db.host", which all map to DB_HOST; rename one of them (none is written)',
      },
    ]);
  });

  it('refuses a within-source collision even over an earlier source of the name', () => {
    const a = set(0, { DB_HOST: 'x' });
    const b = chamber(1, 'api/dev');
    const { named, errors } = assignNames([secret(a, 'DB_HOST'), secret(b, 'db-host'), secret(b, 'db.host')]);
    expect(named).toEqual([]);
    expect(errors.map((e) => e.name)).toEqual(['DB_HOST']);
  });

  it('lets a later source settle a collision inside an earlier one', () => {
    const a = chamber(0, 'api/dev');
    const b = set(1, { DB_HOST: 'x' });
    const { named, errors } = assignNames([secret(a, 'db-host'), secret(a, 'db.host'), secret(b, 'DB_HOST')]);
    expect(errors).toEqual([]);
    expect(named).toHaveLength(1);
    expect(named[0]!.origin).toEqual(originOf(b, 'DB_HOST'));
    expect(named[0]!.overrides).toEqual([originOf(a, 'db-host'), originOf(a, 'db.host')]);
  });

  it('reports bad names as errors with the attempted name and the origin', () => {
    const a = chamber(0, 'api/dev');
    const b = ssm(1, '/x/y', 'bad-name');
    const { named, errors } = assignNames([secret(a, '9lives'), secret(b, '/x/y'), secret(a, 'ok')]);
    expect(named.map((n) => n.name)).toEqual(['OK']);
    expect(errors).toEqual([
      {
        name: '9LIVES',
        origin: originOf(a, '9lives'),
        reason: 'key "9lives" maps to "9LIVES", which is not a valid variable name (must start with a letter or _)',
      },
      {
        name: 'bad-name',
        origin: originOf(b, '/x/y'),
        reason: '"bad-name" is not a valid variable name ("-" is not allowed: only letters A-Z, a-z, digits and _)',
      },
    ]);
  });

  it('never lets an error row share a name with a real value', () => {
    const a = chamber(0, 'api/dev');
    const { named, errors } = assignNames([
      secret(a, 'secret'),
      secret(a, 'ſecret'),
      secret(a, ''),
      secret(a, '9-x'),
      secret(a, '9.x'),
    ]);
    expect(named.map((n) => n.name)).toEqual(['SECRET']);
    expect(errors.map((e) => e.name)).toEqual(['"ſecret"', '""', '9_X']);
    expect(errors[2]!.reason).toContain('also chamber:api/dev#9.x');
  });

  it('leaves out file secrets: they are written to files, not variables', () => {
    const f = s3(0, { file: 'certs/dev.key' });
    expect(assignNames([secret(f, 's3://bucket/key')])).toEqual({ named: [], errors: [] });
  });

  it('orders the output by the winning source, then by the order the source returned', () => {
    const a = chamber(0, 'a');
    const b = chamber(1, 'b');
    const { named } = assignNames([
      secret(b, 'zeta'),
      secret(a, 'omega'),
      secret(b, 'alpha'),
      secret(a, 'zeta'),
      secret(a, 'beta'),
    ]);
    expect(named.map((n) => `${n.name}@${n.origin.sourceIndex}`)).toEqual(['OMEGA@0', 'BETA@0', 'ZETA@1', 'ALPHA@1']);
  });

  it('treats a repeated origin as one value, not an override of itself', () => {
    const a = chamber(0, 'a');
    const { named, errors } = assignNames([secret(a, 'k'), secret(a, 'k')]);
    expect(errors).toEqual([]);
    expect(named).toHaveLength(1);
    expect(named[0]!.overrides).toEqual([]);
  });
});

describe('names: properties', () => {
  const keyChars = fc.constantFrom(...'abcXYZ019_-. \t+/é'.split(''));
  const key = fc.string({ unit: keyChars, maxLength: 8 });

  it('chamberEnvName only ever produces names that match the pattern', () => {
    fc.assert(
      fc.property(fc.oneof(key, fc.string()), (k) => {
        const result = chamberEnvName(k);
        if (result.ok) expect(result.name).toMatch(ENV_NAME_PATTERN);
        else expect(result.reason.length).toBeGreaterThan(0);
      }),
    );
  });

  it('validateEnvName accepts exactly the names that match the pattern', () => {
    fc.assert(
      fc.property(fc.oneof(key, fc.string()), (name) => {
        expect(validateEnvName(name).ok).toBe(ENV_NAME_PATTERN.test(name));
      }),
    );
  });

  const specArb = fc.oneof(
    fc.integer({ min: 0, max: 3 }).map((i) => ({ make: (index: number) => chamber(index, `svc${i}`) })),
    fc.constant({ make: (index: number) => set(index) }),
    fc
      .option(fc.constantFrom('X', 'DB_HOST', 'bad-name'), { nil: undefined })
      .map((as) => ({ make: (index: number) => ssm(index, '/p/x', as) })),
  );
  const input = fc.array(fc.tuple(specArb, fc.array(key, { maxLength: 6 })), { maxLength: 5 }).map((sources) =>
    sources.flatMap(([spec, keys], index) => {
      const made = spec.make(index);
      return keys.map((k) => secret(made, made.kind === 'ssm' ? `/p/${k}` : k));
    }),
  );

  it('assignNames gives every name once, valid, with the highest source winning', () => {
    fc.assert(
      fc.property(input, (secrets) => {
        const { named, errors } = assignNames(secrets);
        const all = [...named.map((n) => n.name), ...errors.map((e) => e.name)];
        expect(new Set(all).size).toBe(all.length);
        for (const e of errors) expect(e.name).not.toBe('');
        for (const n of named) {
          expect(n.name).toMatch(ENV_NAME_PATTERN);
          for (const loser of n.overrides) expect(loser.sourceIndex).toBeLessThanOrEqual(n.origin.sourceIndex);
        }
        // Every secret with a good name is accounted for: as the winner, as a loser, or under an error of that name.
        for (const s of secrets) {
          const alone = assignNames([s]).named[0];
          if (!alone) continue;
          const entry = named.find((n) => n.name === alone.name);
          const ids = entry ? [entry.origin.id, ...entry.overrides.map((o) => o.id)] : [];
          expect(ids.includes(alone.origin.id) || errors.some((e) => e.name === alone.name)).toBe(true);
          if (entry) expect(entry.origin.sourceIndex).toBeGreaterThanOrEqual(s.spec.index);
        }
      }),
    );
  });

  it('assignNames is deterministic', () => {
    fc.assert(
      fc.property(input, (secrets) => {
        expect(assignNames(secrets)).toEqual(assignNames(secrets));
      }),
    );
  });
});
