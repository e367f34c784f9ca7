import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../main/core/manifest';
import {
  buildWorklist,
  regionOf,
  scannedSources,
  ssmConsoleUrl,
  type ScanFinding,
} from '../../../main/core/rotation-worklist';
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
  it('leaves out set: and keychain values, keeps chamber and ssm', () => {
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
`,
      '/p/api/latchkey.yml',
    );
    const kinds = scannedSources(manifest.profiles.get('dev')!).map((s) => s.kind);
    expect(kinds).toEqual(['chamber', 'ssm']);
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
