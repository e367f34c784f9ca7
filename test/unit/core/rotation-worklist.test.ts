import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../main/core/manifest';
import {
  buildWorklist,
  onePasswordItemUrl,
  opEnvNameOf,
  regionOf,
  s3ConsoleUrl,
  s3KeyOf,
  scannedSources,
  ssmConsoleUrl,
  type ScanFinding,
} from '../../../main/core/rotation-worklist';
import type { OpSpec, S3Spec } from '../../../main/core/types';
import { externalHttpsUrl } from '../../../main/desktop/external-url';

const NOW = new Date('2026-12-01T00:00:00.000Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

function finding(parameter: string, user: Partial<ScanFinding['user']>, extra: Partial<ScanFinding> = {}): ScanFinding {
  return {
    awsProfile: 'acme-dev',
    region: 'eu-west-1',
    parameter,
    sourceKind: 'chamber',
    version: 4,
    lastModified: daysAgo(80),
    user: {
      dir: '/p/api',
      project: 'api',
      profile: 'dev',
      key: 'DB_PASSWORD',
      maxAgeDays: 90,
      drifted: false,
      ...user,
    },
    ...extra,
  };
}

describe('scannedSources', () => {
  it('leaves out set: and keychain values, keeps chamber, ssm, 1Password and S3', () => {
    const manifest = parseManifest(
      `version: 1
profiles:
  dev:
    target: .env
    sources:
      - set: { LOG_LEVEL: debug }
      - keychain: PERSONAL_TOKEN
      - chamber: api/dev
      - ssm: /legacy/stripe_key
      - op: "op://Shared/Stripe/secret key"
        as: STRIPE
      - s3: s3://acme-secrets/tls/key.pem
        file: certs/key.pem
`,
      '/p/api/latchkey.yml',
    );
    const kinds = scannedSources(manifest.profiles.get('dev')!).map((s) => s.kind);
    expect(kinds).toEqual(['chamber', 'ssm', 'op', 's3']);
  });
});

describe('buildWorklist', () => {
  it('counts a parameter read by three profiles once, listing each reader', () => {
    const rows = buildWorklist(
      [
        finding('/shared/db_password', { project: 'api', profile: 'dev' }),
        finding('/shared/db_password', { project: 'api', profile: 'test' }),
        finding('/shared/db_password', { dir: '/p/web', project: 'web', profile: 'dev', key: 'DB_PASS' }),
        finding('/api/dev/other', { project: 'api', profile: 'dev', key: 'OTHER' }, { lastModified: daysAgo(10) }),
      ],
      NOW,
    );
    expect(rows).toHaveLength(2);
    const shared = rows.find((r) => r.parameter === '/shared/db_password')!;
    expect(shared.users.map((u) => `${u.project}/${u.profile}:${u.key}`)).toEqual([
      'api/dev:DB_PASSWORD',
      'api/test:DB_PASSWORD',
      'web/dev:DB_PASS',
    ]);
  });

  it('keeps one reader listed once when the same profile reaches a parameter twice', () => {
    const rows = buildWorklist([finding('/shared/a', {}), finding('/shared/a', {})], NOW);
    expect(rows[0]!.users).toHaveLength(1);
  });

  it('does not merge a parameter of another AWS profile or region: it may be another account', () => {
    const rows = buildWorklist(
      [
        finding('/shared/a', {}),
        finding('/shared/a', {}, { awsProfile: 'acme-prod' }),
        finding('/shared/a', {}, { region: 'us-east-1' }),
      ],
      NOW,
    );
    expect(rows).toHaveLength(3);
  });

  it('judges a shared secret by its strictest reader, and dates when it turns overdue', () => {
    const rows = buildWorklist(
      [finding('/shared/a', { maxAgeDays: 365 }), finding('/shared/a', { profile: 'prod', maxAgeDays: 60 })],
      NOW,
    );
    expect(rows[0]!.rotation).toMatchObject({ status: 'overdue', maxAgeDays: 60, ageDays: 80 });
    expect(rows[0]!.overdueAt).toBe(daysAgo(20));
  });

  it('puts the most urgent first: overdue, due, ok, then unknown', () => {
    const rows = buildWorklist(
      [
        finding('/a/unknown', {}, { lastModified: undefined }),
        finding('/a/ok', {}, { lastModified: daysAgo(5) }),
        finding('/a/overdue', {}, { lastModified: daysAgo(120) }),
        finding('/a/due', {}, { lastModified: daysAgo(80) }),
      ],
      NOW,
    );
    expect(rows.map((r) => r.rotation.status)).toEqual(['overdue', 'due', 'ok', 'unknown']);
    expect(rows[3]!.overdueAt).toBeUndefined();
  });
});

describe('ssmConsoleUrl', () => {
  it('names the parameter in its region, and passes the one external-URL rule', () => {
    const url = ssmConsoleUrl('eu-west-1', '/api/dev/db_password')!;
    expect(url).toBe(
      'https://eu-west-1.console.aws.amazon.com/systems-manager/parameters/api/dev/db_password/description?region=eu-west-1&tab=Table',
    );
    expect(externalHttpsUrl(url)).toBe(url);
  });

  it('keeps a name inside the parameters path: no query, no other host, no dot segments', () => {
    const url = ssmConsoleUrl('us-east-1', '/x?evil=1#/@attacker.test')!;
    const parsed = new URL(url);
    expect(parsed.host).toBe('us-east-1.console.aws.amazon.com');
    expect(parsed.pathname.startsWith('/systems-manager/parameters/x%3Fevil%3D1%23/')).toBe(true);
    expect([...parsed.searchParams.keys()]).toEqual(['region', 'tab']);
    expect(ssmConsoleUrl('us-east-1', '/a/../../../iam')).toBeUndefined();
  });

  it('refuses a region that is not one', () => {
    expect(ssmConsoleUrl('evil.test/', '/a')).toBeUndefined();
    expect(ssmConsoleUrl('eu-west-1', '/')).toBeUndefined();
  });
});

describe('regionOf', () => {
  it('takes AWS_REGION, then AWS_DEFAULT_REGION, over the manifest, as the SSM client does', () => {
    expect(regionOf({ region: 'eu-west-1' }, {})).toBe('eu-west-1');
    expect(regionOf({ region: 'eu-west-1' }, { AWS_DEFAULT_REGION: 'us-east-2' })).toBe('us-east-2');
    expect(regionOf({}, { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'us-east-2' })).toBe('ap-south-1');
    expect(regionOf({}, {})).toBeUndefined();
  });
});

const VAULT = 'v'.repeat(20) + 'abc123';
const ITEM = 'i'.repeat(20) + 'def456';

function opFinding(user: Partial<ScanFinding['user']>, extra: Partial<ScanFinding> = {}): ScanFinding {
  return finding('op://Shared/Stripe/secret key', user, {
    awsProfile: undefined,
    region: undefined,
    sourceKind: 'op',
    identity: JSON.stringify([VAULT, ITEM, 'secret key']),
    version: 7,
    link: onePasswordItemUrl({ vaultId: VAULT, itemId: ITEM }),
    ...extra,
  });
}

describe('1Password and S3 rows', () => {
  it('folds one 1Password field into one row whatever title or id each manifest reached it by', () => {
    const rows = buildWorklist(
      [
        opFinding({ project: 'api', key: 'STRIPE' }),
        opFinding({ project: 'web', key: 'STRIPE_KEY' }, { parameter: `op://${VAULT}/${ITEM}/secret key` }),
        // Another field of the same item is another secret.
        opFinding({ project: 'web', key: 'STRIPE_PUBLIC' }, { identity: JSON.stringify([VAULT, ITEM, 'public']) }),
      ],
      NOW,
    );
    expect(rows).toHaveLength(2);
    const secret = rows.find((r) => r.users.length === 2)!;
    expect(secret.users.map((u) => `${u.project}:${u.key}`)).toEqual(['api:STRIPE', 'web:STRIPE_KEY']);
    expect(secret.sourceKind).toBe('op');
    expect(secret.consoleUrl).toBe(`https://start.1password.com/open/i?v=${VAULT}&i=${ITEM}`);
    expect(externalHttpsUrl(secret.consoleUrl)).toBe(secret.consoleUrl);
  });

  it('keeps an S3 object apart from an SSM parameter of the same name, with the S3 console link', () => {
    const link = s3ConsoleUrl('acme-secrets', 'tls/key.pem', 'eu-west-1');
    const rows = buildWorklist(
      [
        finding('s3://acme-secrets/tls/key.pem', { key: 'certs/key.pem' }, { sourceKind: 's3', version: 'v-1', link }),
        finding('s3://acme-secrets/tls/key.pem', { key: 'TLS' }, { sourceKind: 'ssm' }),
      ],
      NOW,
    );
    expect(rows.map((r) => r.sourceKind).sort()).toEqual(['s3', 'ssm']);
    const s3 = rows.find((r) => r.sourceKind === 's3')!;
    expect(s3.version).toBe('v-1');
    expect(s3.consoleUrl).toBe(
      'https://s3.console.aws.amazon.com/s3/object/acme-secrets?region=eu-west-1&prefix=tls%2Fkey.pem',
    );
    expect(externalHttpsUrl(s3.consoleUrl)).toBe(s3.consoleUrl);
  });

  it('builds an S3 link only for a real bucket name, the key as one query value', () => {
    expect(s3ConsoleUrl('evil.com/x?', 'k', undefined)).toBeUndefined();
    expect(s3ConsoleUrl('Bucket', 'k', undefined)).toBeUndefined();
    expect(s3ConsoleUrl('b1b', '', undefined)).toBeUndefined();
    const url = new URL(s3ConsoleUrl('acme', 'a/../b?c=d&region=x#f', 'not-a-region')!);
    expect(url.host).toBe('s3.console.aws.amazon.com');
    expect(url.pathname).toBe('/s3/object/acme');
    expect([...url.searchParams]).toEqual([['prefix', 'a/../b?c=d&region=x#f']]);
  });

  it('links a 1Password item by its ids only, with the account where one is known', () => {
    expect(onePasswordItemUrl({ vaultId: 'Shared', itemId: ITEM })).toBeUndefined();
    expect(onePasswordItemUrl({ vaultId: VAULT, itemId: `${ITEM.slice(1)}&` })).toBeUndefined();
    const account = 'A'.repeat(26);
    expect(onePasswordItemUrl({ vaultId: VAULT, itemId: ITEM, accountId: account })).toBe(
      `https://start.1password.com/open/i?a=${account}&v=${VAULT}&i=${ITEM}`,
    );
    // An account id that is not one is left out: the link degrades to vault and item.
    expect(onePasswordItemUrl({ vaultId: VAULT, itemId: ITEM, accountId: 'x&h=evil' })).toBe(
      `https://start.1password.com/open/i?v=${VAULT}&i=${ITEM}`,
    );
  });

  it('names a 1Password field and an S3 object as a sync does', () => {
    const op = (extra: Partial<OpSpec>): OpSpec => ({ kind: 'op', index: 0, ref: 'op://V/Stripe/key', ...extra });
    expect(opEnvNameOf(op({ as: 'STRIPE' }), 'key', 'Stripe')).toBe('STRIPE');
    expect(opEnvNameOf(op({}), 'secret-key', 'Stripe')).toBe('SECRET_KEY');
    expect(opEnvNameOf(op({ fields: 'all' }), 'password', 'Backend DB')).toBe('BACKEND_DB_PASSWORD');
    expect(opEnvNameOf(op({ fields: 'all', fieldNames: { password: 'DB_PASS' } }), 'password', 'X')).toBe('DB_PASS');
    const s3 = (extra: Partial<S3Spec>): S3Spec => ({ kind: 's3', index: 0, url: 's3://b/k', aws: {}, ...extra });
    expect(s3KeyOf(s3({ as: 'TLS_KEY' }))).toBe('TLS_KEY');
    expect(s3KeyOf(s3({ file: 'certs/key.pem' }))).toBe('certs/key.pem');
  });
});
