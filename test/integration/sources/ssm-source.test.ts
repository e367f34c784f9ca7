import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLatchkeyError, type LatchkeyError } from '../../../main/core/errors';
import {
  originId,
  type ChamberSpec,
  type ResolvedSecret,
  type ResolveProgress,
  type SsmSpec,
} from '../../../main/core/types';
import { listingSizesInMemory } from '../../../main/sources/listing-sizes';
import { createSsmSources, type SsmResolveContext, type SsmSources } from '../../../main/sources/ssm';
import { applyEnv, motoEndpoint, resetMoto, testClientConfig, useAwsTestEnv } from '../../support/aws-env';
import { startFaultProxy, type FaultProxy, type FaultProxyOptions } from '../../support/fault-proxy';
import { seedChamberService } from '../../support/ssm-seed';

// Every test talks to the suite's moto through the real SDK v3, configured the way production code is: by the
// standard AWS variables (AWS_ENDPOINT_URL points at moto or at a fault proxy in front of it).

let seeder: SSMClient;
let sources: SsmSources | undefined;
let proxy: FaultProxy | undefined;
let restoreEnv: (() => void) | undefined;

beforeEach(async () => {
  await resetMoto();
  seeder = new SSMClient(testClientConfig());
});

afterEach(async () => {
  sources?.destroy();
  sources = undefined;
  await proxy?.stop();
  proxy = undefined;
  restoreEnv?.();
  restoreEnv = undefined;
  seeder.destroy();
});

/** Sources whose SDK clients reach moto through a fault proxy, so requests can be counted and faults injected. */
async function sourcesBehindProxy(faults: Omit<FaultProxyOptions, 'target'> = {}, concurrency?: number) {
  proxy = await startFaultProxy({ target: motoEndpoint(), ...faults });
  restoreEnv = useAwsTestEnv(proxy.url);
  sources = createSsmSources(concurrency ? { concurrency } : {});
  return { sources, proxy };
}

function chamber(service: string, index = 0, extra: Partial<ChamberSpec> = {}): ChamberSpec {
  return { kind: 'chamber', service, index, aws: {}, ...extra };
}

function ssm(name: string, index = 0): SsmSpec {
  return { kind: 'ssm', name, index, aws: {} };
}

function freshContext(extra: Partial<SsmResolveContext> = {}): SsmResolveContext {
  return { canReuse: () => false, ...extra };
}

/** Values that can only have come from this seed; the error-text checks look for them. */
function canaries(count: number, prefix = 'canary'): Record<string, string> {
  const entries: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    entries[`key_${String(i).padStart(3, '0')}`] = `${prefix}-${i}-${randomBytes(6).toString('hex')}`;
  }
  return entries;
}

function valuesByKey(secrets: ResolvedSecret[]): Record<string, string | undefined> {
  return Object.fromEntries(secrets.map((s) => [s.sourceKey, s.value]));
}

async function rejection(promise: Promise<unknown>): Promise<LatchkeyError> {
  try {
    await promise;
  } catch (error) {
    expect(isLatchkeyError(error)).toBe(true);
    return error as LatchkeyError;
  }
  throw new Error('expected the resolve to reject');
}

describe('chamber source against moto', () => {
  it('resolves a service of 300 keys completely, with values, versions, dates and chamber counters', async () => {
    const entries = canaries(300);
    entries.key_007 = 'multi\nline "quoted" \'single\' $HOME ${X} päss ✓';
    entries.key_008 = '  leading and trailing spaces  ';
    const before = Date.now() - 2_000;
    await seedChamberService(seeder, 'api/dev', entries, { concurrency: 16 });
    const after = Date.now() + 2_000;

    const { sources, proxy } = await sourcesBehindProxy();
    const progress: { done: number; total: number }[] = [];
    const result = await sources.chamber.resolve(
      [chamber('api/dev')],
      freshContext({ onProgress: (p) => progress.push({ done: p.done, total: p.total }) }),
    );

    expect(result.warnings).toEqual([]);
    expect(result.secrets).toHaveLength(300);
    expect(valuesByKey(result.secrets)).toEqual(entries);
    for (const secret of result.secrets) {
      expect(secret.reused).toBeUndefined();
      expect(secret.meta.version).toBe('1');
      expect(secret.meta.chamberVersion).toBe(1);
      const modified = Date.parse(secret.meta.modifiedAt ?? '');
      expect(modified).toBeGreaterThanOrEqual(before);
      expect(modified).toBeLessThanOrEqual(after);
      expect(secret.meta.modifiedBy).toBe('N/A'); // moto's LastModifiedUser
    }
    expect(result.secrets.map((s) => s.sourceKey)).toEqual(Object.keys(entries).sort());
    expect(progress.at(-1)).toEqual({ done: 300, total: 300 });

    // Listing pages are whatever size the server gives (AWS: up to 50; moto 5.2: always 10, plus an empty last
    // page when the count is a multiple of 10). Reads are always full batches of 10 here.
    const stats = sources.stats();
    const pages = proxy.stats().byOperation['AmazonSSM.DescribeParameters'];
    expect(stats.requests).toEqual({ DescribeParameters: pages, GetParameters: 30 });
    expect(proxy.stats().byOperation).toEqual({ 'AmazonSSM.DescribeParameters': pages, 'AmazonSSM.GetParameters': 30 });
    expect(stats.totalRequests).toBe(pages + 30);
    // The chain is the listing pages, then the reads of the last page that had names.
    expect([pages, pages + 1]).toContain(stats.criticalPathLength);
    expect(stats.concurrency).toBe(8);
    expect(stats.lowerBoundRounds).toBe(Math.max(stats.criticalPathLength, Math.ceil(stats.totalRequests / 8)));
    expect(proxy.stats().maxInFlight).toBeLessThanOrEqual(8);
  });

  it('reports progress by real work: requests sent and answered, and keys found only “so far” while listing', async () => {
    await seedChamberService(seeder, 'api/dev', canaries(120), { concurrency: 16 });
    const { sources, proxy } = await sourcesBehindProxy();
    const progress: ResolveProgress[] = [];
    const run = (canReuse: SsmResolveContext['canReuse']) => {
      progress.length = 0;
      proxy.resetStats();
      return sources.chamber.resolve(
        [chamber('api/dev')],
        freshContext({ canReuse, onProgress: (p) => progress.push(p) }),
      );
    };

    for (const canReuse of [() => false, () => true]) {
      await run(canReuse);
      const requests = proxy.stats().total;
      // The last report is the end: every key found is done, no listing pages, every request sent was answered,
      // and the count is the proxy's.
      expect(progress.at(-1)).toMatchObject({
        done: 120,
        total: 120,
        listing: false,
        requests: { sent: requests, answered: requests },
      });
      // Until the listing ended, the total was only what had been found: it never claimed an end early. (With every
      // value kept by version, "done = total" holds after each page: the case that read "60 of 60" at 0.4 s.)
      expect(progress.filter((p) => !p.listing).every((p) => p.total === 120)).toBe(true);
      expect(progress.some((p) => p.listing && p.total < 120)).toBe(true);
      for (const [i, p] of progress.entries()) {
        expect(p.requests!.answered).toBeLessThanOrEqual(p.requests!.sent);
        if (i > 0) expect(p.requests!.sent).toBeGreaterThanOrEqual(progress[i - 1]!.requests!.sent);
      }
    }
    // The second run kept every value by version: it listed, and read none.
    expect(proxy.stats().byOperation['AmazonSSM.GetParameters']).toBeUndefined();
  });

  it('reads values of a page while the next page is listed', async () => {
    await seedChamberService(seeder, 'big/svc', canaries(150), { concurrency: 16 });
    proxy = await startFaultProxy({ target: motoEndpoint(), latencyMs: 20 });
    const timeline: { op: string; start: number; end: number }[] = [];
    const client = new SSMClient(testClientConfig(proxy.url));
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const start = performance.now();
        try {
          return await next(args);
        } finally {
          timeline.push({ op: String(context.commandName), start, end: performance.now() });
        }
      },
      { step: 'initialize', name: 'timeline' },
    );
    sources = createSsmSources({ clientFor: () => client });
    try {
      const result = await sources.chamber.resolve([chamber('big/svc')], freshContext());
      expect(result.secrets).toHaveLength(150);
    } finally {
      client.destroy();
    }
    const lastListingEnd = Math.max(...timeline.filter((t) => t.op === 'DescribeParametersCommand').map((t) => t.end));
    const readsDuringListing = timeline.filter((t) => t.op === 'GetParametersCommand' && t.start < lastListingEnd);
    expect(readsDuringListing.length).toBeGreaterThan(0);
    expect(sources.stats().requests.GetParameters).toBe(15);
  });

  it('filters by only:, reading just those names, and warns about a missing one', async () => {
    await seedChamberService(seeder, 'shared/dev', { db_host: 'h', db_user: 'u', db_password: 'p', other: 'o' });
    const { sources, proxy } = await sourcesBehindProxy();
    const result = await sources.chamber.resolve(
      [chamber('shared/dev', 1, { only: ['db_host', 'DB_USER', 'nope'] })],
      freshContext(),
    );
    expect(valuesByKey(result.secrets)).toEqual({ db_host: 'h', db_user: 'u' });
    expect(result.warnings).toEqual(['chamber shared/dev: no parameter /shared/dev/nope (listed in only:)']);
    // The names are known, so no listing is needed.
    expect(proxy.stats().byOperation).toEqual({ 'AmazonSSM.GetParameters': 1 });
  });

  it('mixes several services and single names, each with its own origin', async () => {
    await seedChamberService(seeder, 'api/dev', { db_password: 'api-pw', log_level: 'debug' });
    await seedChamberService(seeder, 'shared/dev', { db_password: 'shared-pw', region: 'eu' });
    await seedChamberService(seeder, 'legacy', { stripe_key: 'sk_test_1', other: 'x' });
    await seedChamberService(seeder, 'api/dev/nested', { deep: 'not one level' });

    const { sources, proxy } = await sourcesBehindProxy();
    const [chamberResult, ssmResult] = await Promise.all([
      sources.chamber.resolve([chamber('api/dev', 0), chamber('shared/dev', 2)], freshContext()),
      sources.ssm.resolve([ssm('/legacy/stripe_key', 1), ssm('/legacy/other', 3)], freshContext()),
    ]);

    expect(chamberResult.secrets.map((s) => [s.spec.index, s.sourceKey, s.value])).toEqual([
      [0, 'db_password', 'api-pw'],
      [0, 'log_level', 'debug'],
      [2, 'db_password', 'shared-pw'],
      [2, 'region', 'eu'],
    ]);
    expect(ssmResult.secrets.map((s) => [s.spec.index, s.sourceKey, s.value])).toEqual([
      [1, '/legacy/stripe_key', 'sk_test_1'],
      [3, '/legacy/other', 'x'],
    ]);
    expect(originId(ssmResult.secrets[0].spec, ssmResult.secrets[0].sourceKey)).toBe('ssm:/legacy/stripe_key');
    expect(ssmResult.secrets[0].meta).toMatchObject({ version: '1' });
    // Single names are read straight away: no listing.
    const ops = proxy.stats().byOperation;
    expect(ops['AmazonSSM.DescribeParameters']).toBe(2);
    expect(ops['AmazonSSM.GetParameters']).toBeGreaterThanOrEqual(2);
    expect(ops['AmazonSSM.GetParameters']).toBeLessThanOrEqual(3);
    // Both resolves overlapped, so the stats cover both.
    expect(sources.stats().requests.DescribeParameters).toBe(2);
  });

  it('batches single names into GetParameters calls of at most 10', async () => {
    const entries = canaries(23);
    await seedChamberService(seeder, 'singles', entries);
    const { sources, proxy } = await sourcesBehindProxy();
    const specs = Object.keys(entries).map((key, i) => ssm(`/singles/${key}`, i));
    const result = await sources.ssm.resolve(specs, freshContext());
    expect(result.secrets.map((s) => s.value)).toEqual(Object.values(entries));
    expect(proxy.stats().byOperation).toEqual({ 'AmazonSSM.GetParameters': 3 });
    expect(sources.stats()).toMatchObject({ totalRequests: 3, criticalPathLength: 1, lowerBoundRounds: 1 });
  });

  it('reports the new Version and chamber counter after an overwrite', async () => {
    await seedChamberService(seeder, 'api/dev', { token: 'old', stable: 's' });
    restoreEnv = useAwsTestEnv();
    sources = createSsmSources();
    const first = await sources.chamber.resolve([chamber('api/dev')], freshContext());
    expect(first.secrets.find((s) => s.sourceKey === 'token')?.meta).toMatchObject({ version: '1', chamberVersion: 1 });

    await seedChamberService(seeder, 'api/dev', { token: 'new' });
    const second = await sources.chamber.resolve([chamber('api/dev')], freshContext());
    const token = second.secrets.find((s) => s.sourceKey === 'token');
    expect(token?.value).toBe('new');
    expect(token?.meta).toMatchObject({ version: '2', chamberVersion: 2 });
    expect(second.secrets.find((s) => s.sourceKey === 'stable')?.meta).toMatchObject({ version: '1' });
  });

  it("leaves chamberVersion out where the Description is not chamber's counter", async () => {
    await seedChamberService(seeder, 'tf/dev', { made_by_terraform: 'v' }, { description: 'managed by terraform' });
    restoreEnv = useAwsTestEnv();
    sources = createSsmSources();
    const result = await sources.chamber.resolve([chamber('tf/dev')], freshContext());
    expect(result.secrets[0].meta.version).toBe('1');
    expect(result.secrets[0].meta).not.toHaveProperty('chamberVersion');
  });

  it('an empty service is an error (most often a typo), naming it; with optional: true only a warning', async () => {
    restoreEnv = useAwsTestEnv();
    sources = createSsmSources();
    const error = await rejection(sources.chamber.resolve([chamber('api/empty')], freshContext()));
    expect(error.code).toBe('SOURCE_NOT_FOUND');
    expect(error.message).toContain('chamber api/empty (no parameters under /api/empty; add optional: true');
    const result = await sources.chamber.resolve([chamber('api/empty', 0, { optional: true })], freshContext());
    expect(result.secrets).toEqual([]);
    expect(result.warnings).toEqual(['chamber api/empty: no parameters under /api/empty']);
  });
});

describe('reuse: a re-sync with nothing changed reads no values', () => {
  it('skips every value read when the caller holds each version', async () => {
    const entries = canaries(120);
    await seedChamberService(seeder, 'api/dev', entries, { concurrency: 16 });
    const { sources, proxy } = await sourcesBehindProxy();

    const first = await sources.chamber.resolve([chamber('api/dev')], freshContext());
    const state = new Map(first.secrets.map((s) => [originId(s.spec, s.sourceKey), s.meta.version]));
    const canReuse = (id: string, version: string) => state.get(id) === version;

    proxy.resetStats();
    const again = await sources.chamber.resolve([chamber('api/dev')], freshContext({ canReuse }));
    expect(again.secrets).toHaveLength(120);
    for (const secret of again.secrets) {
      expect(secret.reused).toBe(true);
      expect(secret).not.toHaveProperty('value');
      expect(secret.meta).toMatchObject({ version: '1', chamberVersion: 1 });
    }
    const pages = sources.stats().requests.DescribeParameters ?? 0;
    expect(pages).toBeGreaterThanOrEqual(3); // 120 names in pages of at most 50
    expect(proxy.stats().byOperation).toEqual({ 'AmazonSSM.DescribeParameters': pages });
    expect(sources.stats().requests).toEqual({ DescribeParameters: pages });

    // One key moves on: exactly that one is read.
    await seedChamberService(seeder, 'api/dev', { key_042: 'rotated' });
    proxy.resetStats();
    const third = await sources.chamber.resolve([chamber('api/dev')], freshContext({ canReuse }));
    const read = third.secrets.filter((s) => !s.reused);
    expect(read.map((s) => [s.sourceKey, s.value, s.meta.version])).toEqual([['key_042', 'rotated', '2']]);
    expect(proxy.stats().byOperation).toEqual({ 'AmazonSSM.DescribeParameters': pages, 'AmazonSSM.GetParameters': 1 });
  });

  it('describes single names first only when the caller has prior state for them', async () => {
    await seedChamberService(seeder, 'legacy', { a: 'va', b: 'vb', c: 'vc' });
    const { sources, proxy } = await sourcesBehindProxy();
    const specs = [ssm('/legacy/a', 0), ssm('/legacy/b', 1), ssm('/legacy/c', 2)];
    const first = await sources.ssm.resolve(specs, freshContext());
    const state = new Map(first.secrets.map((s) => [originId(s.spec, s.sourceKey), s.meta.version]));
    const canReuse = (id: string, version: string) => state.get(id) === version;

    // Without the hint, names are read straight away (one round trip), even though they could be reused.
    proxy.resetStats();
    const unhinted = await sources.ssm.resolve(specs, freshContext({ canReuse }));
    expect(unhinted.secrets.every((s) => s.value !== undefined && !s.reused)).toBe(true);
    expect(proxy.stats().byOperation).toEqual({ 'AmazonSSM.GetParameters': 1 });

    // With it: one DescribeParameters (Name Equals) and no value read.
    proxy.resetStats();
    const hinted = await sources.ssm.resolve(specs, freshContext({ canReuse, hasPriorState: (id) => state.has(id) }));
    expect(hinted.secrets.map((s) => [s.sourceKey, s.reused, s.value])).toEqual([
      ['/legacy/a', true, undefined],
      ['/legacy/b', true, undefined],
      ['/legacy/c', true, undefined],
    ]);
    expect(proxy.stats().byOperation).toEqual({ 'AmazonSSM.DescribeParameters': 1 });
    expect(sources.stats()).toMatchObject({ criticalPathLength: 1, totalRequests: 1 });

    // A changed one is read after the describe.
    await seedChamberService(seeder, 'legacy', { b: 'vb2' });
    proxy.resetStats();
    const changed = await sources.ssm.resolve(specs, freshContext({ canReuse, hasPriorState: (id) => state.has(id) }));
    expect(changed.secrets.filter((s) => !s.reused).map((s) => [s.sourceKey, s.value, s.meta.version])).toEqual([
      ['/legacy/b', 'vb2', '2'],
    ]);
    expect(proxy.stats().byOperation).toEqual({
      'AmazonSSM.DescribeParameters': 1,
      'AmazonSSM.GetParameters': 1,
    });
    expect(sources.stats().criticalPathLength).toBe(2);
  });
});

describe('a first read (no sync state): values with the listing', () => {
  const firstRead = () => freshContext({ hasPriorStateOf: () => false });

  it('reads a service by path alone, with no DescribeParameters', async () => {
    const entries = canaries(25);
    await seedChamberService(seeder, 'api/dev', entries);
    await seedChamberService(seeder, 'api/dev/nested', { deep: 'x' });
    const { sources, proxy } = await sourcesBehindProxy();
    const result = await sources.chamber.resolve([chamber('api/dev')], firstRead());

    expect(valuesByKey(result.secrets)).toEqual(entries);
    expect(result.warnings).toEqual([]);
    // Version and date come with the value; the listing's LastModifiedUser is not asked for.
    for (const secret of result.secrets) expect(secret.meta).toEqual({ version: '1', modifiedAt: expect.any(String) });
    expect(proxy.stats().byOperation).toEqual({ 'AmazonSSM.GetParametersByPath': 3 });
    expect(sources.stats()).toMatchObject({ criticalPathLength: 3, totalRequests: 3 });
  });

  it('lists a large service for the rest after 4 pages and reads each key once', async () => {
    const entries = canaries(65);
    await seedChamberService(seeder, 'api/dev', entries);
    const { sources, proxy } = await sourcesBehindProxy();
    const result = await sources.chamber.resolve([chamber('api/dev')], firstRead());

    expect(result.secrets).toHaveLength(65);
    expect(valuesByKey(result.secrets)).toEqual(entries);
    const ops = proxy.stats().byOperation;
    expect(ops['AmazonSSM.GetParametersByPath']).toBe(4);
    // The 25 keys the by-path pages did not reach, in batches of 10.
    expect(ops['AmazonSSM.GetParameters']).toBe(3);
    expect(ops['AmazonSSM.DescribeParameters']).toBeGreaterThanOrEqual(1);
  });

  it('starts the largest service known from the last listing first, listing it 50 names a page', async () => {
    const big = canaries(65, 'big');
    const small = canaries(15, 'small');
    await seedChamberService(seeder, 'big/svc', big);
    await seedChamberService(seeder, 'small/svc', small);
    proxy = await startFaultProxy({ target: motoEndpoint() });
    const sent: string[] = [];
    const client = new SSMClient(testClientConfig(proxy.url));
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Path?: string; ParameterFilters?: { Values?: string[] }[] };
        sent.push(`${String(context.commandName)} ${input.Path ?? input.ParameterFilters?.[0]?.Values?.[0] ?? ''}`);
        return next(args);
      },
      { step: 'initialize', name: 'sent' },
    );
    const sizes = listingSizesInMemory();
    const specs = [chamber('small/svc', 0), chamber('big/svc', 1)];
    const resolveInOrder = async () => {
      sent.length = 0;
      // One request at a time, so the order sent is the order planned.
      sources = createSsmSources({ clientFor: () => client, concurrency: 1, listingSizes: async () => sizes });
      const result = await sources.chamber.resolve(specs, firstRead());
      sources.destroy();
      return result;
    };
    try {
      const first = await resolveInOrder();
      expect(first.secrets).toHaveLength(80);
      // No sizes yet: manifest order, and the big service by path until it proves large.
      expect(sent[0]).toBe('GetParametersByPathCommand /small/svc');
      expect(sent.filter((s) => s === 'GetParametersByPathCommand /big/svc')).toHaveLength(4);
      expect(sizes.sizeOf('/big/svc')).toBe(65);
      expect(sizes.sizeOf('/small/svc')).toBe(15);

      const second = await resolveInOrder();
      expect(valuesByKey(second.secrets.filter((s) => s.spec.index === 1))).toEqual(big);
      expect(valuesByKey(second.secrets.filter((s) => s.spec.index === 0))).toEqual(small);
      expect(sent[0]).toBe('DescribeParametersCommand /big/svc');
      expect(sent).not.toContain('GetParametersByPathCommand /big/svc');
      // The small service still comes with its values, 10 a page.
      expect(sent.filter((s) => s === 'GetParametersByPathCommand /small/svc')).toHaveLength(2);
    } finally {
      client.destroy();
    }
  });

  it('lists with DescribeParameters when the sync state holds the service', async () => {
    await seedChamberService(seeder, 'api/dev', canaries(12));
    const { sources, proxy } = await sourcesBehindProxy();
    await sources.chamber.resolve([chamber('api/dev')], freshContext({ hasPriorStateOf: () => true }));
    expect(proxy.stats().byOperation['AmazonSSM.GetParametersByPath'] ?? 0).toBe(0);
    expect(proxy.stats().byOperation['AmazonSSM.GetParameters']).toBe(2);
  });

  it('lists with DescribeParameters when GetParametersByPath is denied, with no warning', async () => {
    const entries = canaries(12);
    await seedChamberService(seeder, 'api/dev', entries);
    const { sources, proxy } = await sourcesBehindProxy({ deny: ['AmazonSSM.GetParametersByPath'] });
    const result = await sources.chamber.resolve([chamber('api/dev')], firstRead());

    expect(valuesByKey(result.secrets)).toEqual(entries);
    expect(result.warnings).toEqual([]);
    expect(proxy.stats().denied).toBe(1);
    expect(proxy.stats().byOperation).toMatchObject({
      'AmazonSSM.GetParametersByPath': 1,
      'AmazonSSM.GetParameters': 2,
    });
  });
});

describe('DescribeParameters denied: the GetParametersByPath fallback', () => {
  it('reads the service by path and says why', async () => {
    const entries = canaries(25);
    await seedChamberService(seeder, 'api/dev', entries);
    await seedChamberService(seeder, 'api/dev/nested', { deep: 'x' });
    const { sources, proxy } = await sourcesBehindProxy({ deny: ['AmazonSSM.DescribeParameters'] });
    const result = await sources.chamber.resolve([chamber('api/dev')], freshContext({ canReuse: () => true }));

    expect(valuesByKey(result.secrets)).toEqual(entries);
    for (const secret of result.secrets) expect(secret.meta).toMatchObject({ version: '1' });
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/DescribeParameters.*GetParametersByPath/);
    expect(proxy.stats().byOperation).toEqual({
      'AmazonSSM.DescribeParameters': 1,
      'AmazonSSM.GetParametersByPath': 3,
    });
    expect(proxy.stats().denied).toBe(1);
    expect(sources.stats()).toMatchObject({ criticalPathLength: 4, totalRequests: 4 });
  });

  it('reads hinted single names directly when describing them is denied', async () => {
    await seedChamberService(seeder, 'legacy', { a: 'va' });
    const { sources, proxy } = await sourcesBehindProxy({ deny: ['AmazonSSM.DescribeParameters'] });
    const result = await sources.ssm.resolve(
      [ssm('/legacy/a')],
      freshContext({ canReuse: () => true, hasPriorState: () => true }),
    );
    expect(result.secrets.map((s) => s.value)).toEqual(['va']);
    expect(proxy.stats().byOperation).toEqual({
      'AmazonSSM.DescribeParameters': 1,
      'AmazonSSM.GetParameters': 1,
    });
  });
});

describe('faults', () => {
  it('succeeds with exact values through 30 % throttling and 5 % dropped connections', async () => {
    // Small on purpose: after a throttle the adaptive retry mode drops its send rate to about one request a
    // second and, with throttles that do not depend on the rate, stays there. Seed 13 puts a throttle and a
    // drop among the first three requests (the fault sequence depends only on the request count).
    const api = canaries(15, 'api');
    const shared = canaries(6, 'shared');
    await seedChamberService(seeder, 'api/dev', api, { concurrency: 16 });
    await seedChamberService(seeder, 'shared/dev', shared, { concurrency: 16 });
    const { sources, proxy } = await sourcesBehindProxy({ throttleRate: 0.3, dropRate: 0.05, seed: 13 });

    const [services, singles] = await Promise.all([
      sources.chamber.resolve([chamber('api/dev', 0), chamber('shared/dev', 1)], freshContext()),
      sources.ssm.resolve([ssm('/api/dev/key_001', 2), ssm('/shared/dev/key_002', 3)], freshContext()),
    ]);

    expect(valuesByKey(services.secrets.filter((s) => s.spec.index === 0))).toEqual(api);
    expect(valuesByKey(services.secrets.filter((s) => s.spec.index === 1))).toEqual(shared);
    expect(singles.secrets.map((s) => s.value)).toEqual([api.key_001, shared.key_002]);
    const faults = proxy.stats();
    expect(faults.throttled).toBeGreaterThan(0);
    expect(faults.dropped).toBeGreaterThan(0);
    // Retries are the SDK's: the plan itself did not grow.
    expect(sources.stats().totalRequests).toBeLessThan(faults.total);
  });

  it('rejects with SOURCE_FAILED when the source fails mid-resolve, naming the source and no value', async () => {
    const entries = canaries(200);
    await seedChamberService(seeder, 'api/dev', entries, { concurrency: 16 });
    const { sources, proxy } = await sourcesBehindProxy({ failAfter: 6, failWith: 'client-error' });

    const error = await rejection(sources.chamber.resolve([chamber('api/dev')], freshContext()));
    expect(error.code).toBe('SOURCE_FAILED');
    expect(error.message).toContain('chamber api/dev');
    expect(error.message).toContain('ValidationException');
    expect(proxy.stats().forwarded).toBe(6); // some values had been read when it failed
    for (const value of Object.values(entries)) expect(error.message).not.toContain(value);
    expect(error.hint ?? '').not.toMatch(/canary-/);
    expect(JSON.stringify({ ...error, message: error.message })).not.toMatch(/canary-/);
  });

  it('gives up on a source that keeps answering 500 once the SDK retry budget is spent', async () => {
    const entries = canaries(30);
    await seedChamberService(seeder, 'api/dev', entries);
    process.env.LATCHKEY_AWS_MAX_ATTEMPTS = '3'; // read when the client is made
    try {
      const { sources, proxy } = await sourcesBehindProxy({ failAfter: 2, failWith: 'server-error' });
      const error = await rejection(sources.chamber.resolve([chamber('api/dev')], freshContext()));
      expect(error.code).toBe('SOURCE_FAILED');
      expect(error.message).toMatch(
        /^chamber api\/dev: AWS SSM (DescribeParameters|GetParameters) failed: InternalServerError/,
      );
      for (const value of Object.values(entries)) expect(error.message).not.toContain(value);
      // Each failing request was tried 3 times.
      expect(proxy.stats().failed % 3).toBe(0);
    } finally {
      delete process.env.LATCHKEY_AWS_MAX_ATTEMPTS;
    }
  });

  it('rejects with ACCESS_DENIED when reading values is denied', async () => {
    await seedChamberService(seeder, 'api/dev', { secret: 'canary-denied-value' });
    const { sources } = await sourcesBehindProxy({ deny: ['AmazonSSM.GetParameters'] });
    const error = await rejection(sources.chamber.resolve([chamber('api/dev')], freshContext()));
    expect(error.code).toBe('ACCESS_DENIED');
    expect(error.message).toContain('chamber api/dev');
    expect(error.message).toContain('AccessDeniedException');
    expect(error.message).toContain('ssm:GetParameters');
    expect(error.message).not.toContain('canary-denied-value');
  });

  it('rejects with CANCELLED when the caller aborts', async () => {
    await seedChamberService(seeder, 'api/dev', canaries(100), { concurrency: 16 });
    const { sources } = await sourcesBehindProxy({ latencyMs: 200 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await rejection(
      sources.chamber.resolve([chamber('api/dev')], freshContext({ signal: controller.signal })),
    );
    expect(error.code).toBe('CANCELLED');
  });
});

describe('names', () => {
  it('reports missing single names as SOURCE_NOT_FOUND, naming each', async () => {
    await seedChamberService(seeder, 'legacy', { present: 'p' });
    restoreEnv = useAwsTestEnv();
    sources = createSsmSources();
    const error = await rejection(
      sources.ssm.resolve([ssm('/legacy/present'), ssm('/legacy/gone', 1), ssm('/nowhere/x', 2)], freshContext()),
    );
    expect(error.code).toBe('SOURCE_NOT_FOUND');
    expect(error.message).toContain('/legacy/gone');
    expect(error.message).toContain('/nowhere/x');
    expect(error.message).not.toContain('/legacy/present');
  });

  it('refuses invalid and reserved chamber names before any request', async () => {
    const { sources, proxy } = await sourcesBehindProxy();
    const cases: ChamberSpec[] = [
      chamber('/api/dev'),
      chamber('api//dev'),
      chamber('api dev'),
      chamber('_chamber'),
      chamber('api/dev', 0, { only: ['ok', 'not ok'] }),
    ];
    for (const spec of cases) {
      const error = await rejection(sources.chamber.resolve([spec], freshContext()));
      expect(error.code).toBe('INVALID_NAME');
    }
    const bad = await rejection(sources.ssm.resolve([ssm('/legacy/key:3')], freshContext()));
    expect(bad.code).toBe('INVALID_NAME');
    expect(proxy.stats().total).toBe(0);
  });

  it('reads a service written in capitals at its lower-cased path, as chamber does', async () => {
    await seedChamberService(seeder, 'api/dev', { k: 'v' });
    restoreEnv = useAwsTestEnv();
    sources = createSsmSources();
    const result = await sources.chamber.resolve([chamber('API/Dev')], freshContext());
    expect(result.secrets.map((s) => [s.sourceKey, s.value])).toEqual([['k', 'v']]);
  });
});

describe('AWS settings', () => {
  it("uses the manifest's profile and region through the SDK's own credential chain", async () => {
    await seedChamberService(seeder, 'api/dev', { k: 'v' });
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-ssm-profile-'));
    try {
      writeFileSync(
        join(dir, 'credentials'),
        '[acme-dev]\naws_access_key_id = testing\naws_secret_access_key = testing\n',
      );
      writeFileSync(join(dir, 'config'), '');
      restoreEnv = useAwsTestEnv();
      const undo = applyEnv({
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_REGION: undefined,
        AWS_DEFAULT_REGION: undefined,
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
        AWS_CONFIG_FILE: join(dir, 'config'),
      });
      try {
        sources = createSsmSources();
        const aws = { profile: 'acme-dev', region: 'us-east-1' };
        const result = await sources.chamber.resolve([chamber('api/dev', 0, { aws })], freshContext());
        expect(result.secrets.map((s) => s.value)).toEqual(['v']);

        const noProfile = await rejection(
          sources.chamber.resolve(
            [chamber('api/dev', 0, { aws: { profile: 'missing', region: 'us-east-1' } })],
            freshContext(),
          ),
        );
        expect(noProfile.code).toBe('ACCESS_DENIED');
        expect(noProfile.message).toMatch(
          /^chamber api\/dev: AWS SSM DescribeParameters failed: CredentialsProviderError/,
        );

        const noRegion = await rejection(
          sources.chamber.resolve([chamber('api/dev', 0, { aws: { profile: 'acme-dev' } })], freshContext()),
        );
        expect(noRegion.code).toBe('SOURCE_FAILED');
        expect(noRegion.hint).toMatch(/region/);
      } finally {
        undo();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
