import { existsSync, readFileSync } from 'node:fs';
import type { Plan } from '../../contract/plan';
import { isLatchkeyError } from '../../main/core/errors';
import { parseManifest } from '../../main/core/manifest';
import { syncStatePath } from '../../main/core/state';
import { preparePlan } from '../../main/core/sync';
import { createRuntime } from '../../main/app/runtime';
import { readWithDotenv } from '../support/env-readers';
import { startFaultProxy, type FaultProxy, type FaultProxyStats } from '../support/fault-proxy';
import { makeProject, mean, operationCounts, round, timed, withAwsEndpoint, type BenchProject } from './measure';

// Both scenarios go through the real engine (preparePlan + apply) with a fresh runtime per sync, as separate CLI
// runs would: a new SSM client, limiter and adaptive-retry state each time, the real keychain for the HMAC key.

const VALUE_READS = ['GetParameter', 'GetParameters', 'GetParametersByPath'];

export interface SyncStep {
  wallMs: number;
  byOperation: Record<string, number>;
  requests: number;
  /** GetParameter* calls: each one reads values. */
  valueReads: number;
  counts: Plan['counts'];
  /** Plan entries whose value was not read because version and HMAC both matched. */
  reused: number;
  entries: number;
}

export interface ResyncFigures {
  profile: string;
  latencyMs: number;
  keys: number;
  /** The first sync of a fresh project: everything is read and written. */
  first: SyncStep & { wrote: boolean; wrongValues: number };
  /** Planned again with nothing changed anywhere. */
  unchanged: SyncStep;
  /** Planned again after one parameter was overwritten at the source: only that one should be read. */
  oneRotated: SyncStep & { rotated: string };
}

export async function measureResync(opts: {
  proxy: FaultProxy;
  latencyMs: number;
  manifest: string;
  profile: string;
  expected: Map<string, string>;
  /** Overwrites one parameter at the source; returns its name. */
  rotateOne: () => Promise<string>;
}): Promise<ResyncFigures> {
  const project = makeProject(opts.manifest);
  const manifest = parseManifest(opts.manifest, project.manifestPath);
  return withAwsEndpoint(opts.proxy.url, async () => {
    const plan = async () => {
      const runtime = createRuntime({ appDir: project.appDir });
      opts.proxy.resetStats();
      const { ms, value } = await timed(() => preparePlan(manifest, opts.profile, runtime.syncEnvironment(manifest)));
      return { prepared: value, step: stepOf(ms, value.plan, opts.proxy) };
    };

    const firstPlan = await plan();
    const applied = await timed(() => firstPlan.prepared.apply());
    const written = readWithDotenv(readFileSync(project.target, 'utf8'));
    const first = {
      ...firstPlan.step,
      wallMs: round(firstPlan.step.wallMs + applied.ms),
      wrote: applied.value.wrote,
      wrongValues: countWrong(written, opts.expected),
    };

    const unchanged = (await plan()).step;
    const rotated = await opts.rotateOne();
    const oneRotated = { ...(await plan()).step, rotated };
    return { profile: opts.profile, latencyMs: opts.latencyMs, keys: opts.expected.size, first, unchanged, oneRotated };
  });
}

interface ThrottleSync {
  ok: boolean;
  wallMs: number;
  /** For a failed sync: the target file and the sync state were left exactly as they were. */
  cleanFailure?: boolean;
  error?: string;
}

export interface ThrottleFigures {
  retryMode: 'adaptive' | 'standard';
  productDefault: boolean;
  profile: string;
  keys: number;
  faults: { latencyMs: number; throttleRate: number; dropRate: number; seed: number };
  planned: number;
  /** Syncs running at once, each its own runtime and project; they share only the proxy and moto. */
  parallel: number;
  run: number;
  /** Set when the time cap stopped the scenario before `planned` syncs. */
  cappedAfterMs?: number;
  succeeded: number;
  successRate: number;
  failedCleanly: number;
  failedDirty: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
  /** Wall time of the whole scenario. */
  elapsedMs: number;
  /** What the proxy saw over all syncs: every throttled or dropped request is one retry the SDK had to make. */
  totals: {
    requests: number;
    throttled: number;
    dropped: number;
    forwarded: number;
    byOperation: Record<string, number>;
  };
  syncs: ThrottleSync[];
}

const LOCAL_LINE = 'LOCAL_ONLY=kept-by-every-sync\n';

/**
 * N complete syncs through the proxy's faults, each a fresh project and runtime. They run `parallel` at a time to
 * keep the bench short: a sync under these faults spends nearly all its time in the SDK's back-off sleeps, the
 * faults do not depend on the request rate, and each runtime has its own client and retry state, so running them
 * side by side does not change what one of them sees. The endpoint is process-wide, hence one shared proxy.
 */
export async function measureThrottling(opts: {
  motoEndpoint: string;
  manifest: string;
  profile: string;
  expected: Map<string, string>;
  retryMode: 'adaptive' | 'standard';
  productDefault: boolean;
  syncs: number;
  parallel: number;
  capMs: number;
  latencyMs: number;
  throttleRate: number;
  dropRate: number;
  seed: number;
}): Promise<ThrottleFigures> {
  const faults = {
    latencyMs: opts.latencyMs,
    throttleRate: opts.throttleRate,
    dropRate: opts.dropRate,
    seed: opts.seed,
  };
  const proxy = await startFaultProxy({ target: opts.motoEndpoint, ...faults });
  const syncs: ThrottleSync[] = [];
  const started = performance.now();
  let cappedAfterMs: number | undefined;
  let next = 0;
  let stats: FaultProxyStats;
  try {
    stats = await withAwsEndpoint(
      proxy.url,
      async () => {
        const lane = async () => {
          while (next < opts.syncs) {
            if (performance.now() - started > opts.capMs) {
              cappedAfterMs ??= round(performance.now() - started);
              return;
            }
            next += 1;
            syncs.push(await throttledSync(opts));
          }
        };
        await Promise.all(Array.from({ length: Math.max(1, opts.parallel) }, lane));
        return proxy.stats();
      },
      { AWS_RETRY_MODE: opts.retryMode },
    );
  } finally {
    await proxy.stop();
  }
  const times = syncs.map((s) => s.wallMs);
  const succeeded = syncs.filter((s) => s.ok).length;
  return {
    retryMode: opts.retryMode,
    productDefault: opts.productDefault,
    profile: opts.profile,
    keys: opts.expected.size,
    faults,
    planned: opts.syncs,
    parallel: opts.parallel,
    run: syncs.length,
    ...(cappedAfterMs !== undefined && { cappedAfterMs }),
    succeeded,
    successRate: syncs.length ? round(succeeded / syncs.length, 4) : 0,
    failedCleanly: syncs.filter((s) => !s.ok && s.cleanFailure).length,
    failedDirty: syncs.filter((s) => !s.ok && !s.cleanFailure).length,
    meanMs: round(mean(times)),
    minMs: round(Math.min(...times)),
    maxMs: round(Math.max(...times)),
    elapsedMs: round(performance.now() - started),
    totals: {
      requests: stats.total,
      throttled: stats.throttled,
      dropped: stats.dropped,
      forwarded: stats.forwarded,
      byOperation: operationCounts(stats),
    },
    syncs,
  };
}

async function throttledSync(opts: {
  manifest: string;
  profile: string;
  expected: Map<string, string>;
}): Promise<ThrottleSync> {
  // A target that already holds a local-only line: a failed sync must leave it byte for byte.
  const project = makeProject(opts.manifest, LOCAL_LINE);
  const manifest = parseManifest(opts.manifest, project.manifestPath);
  const before = readFileSync(project.target);
  const runtime = createRuntime({ appDir: project.appDir });
  const started = performance.now();
  const elapsed = () => round(performance.now() - started);
  try {
    const prepared = await preparePlan(manifest, opts.profile, runtime.syncEnvironment(manifest));
    await prepared.apply();
    const wallMs = elapsed();
    const written = readWithDotenv(readFileSync(project.target, 'utf8'));
    const wrong = countWrong(written, opts.expected) + (written.LOCAL_ONLY === 'kept-by-every-sync' ? 0 : 1);
    if (wrong > 0) return { wallMs, ok: false, cleanFailure: false, error: `wrote ${wrong} wrong or missing values` };
    return { wallMs, ok: true };
  } catch (error) {
    const wallMs = elapsed();
    return { wallMs, ok: false, cleanFailure: untouched(project, before), error: describe(error) };
  }
}

function untouched(project: BenchProject, before: Buffer): boolean {
  const now = existsSync(project.target) ? readFileSync(project.target) : undefined;
  return now !== undefined && now.equals(before) && !existsSync(syncStatePath(project.appDir, project.target));
}

function stepOf(ms: number, plan: Plan, proxy: FaultProxy): SyncStep {
  const stats = proxy.stats();
  const byOperation = operationCounts(stats);
  return {
    wallMs: round(ms),
    byOperation,
    requests: stats.total,
    valueReads: VALUE_READS.reduce((n, op) => n + (byOperation[op] ?? 0), 0),
    counts: plan.counts,
    reused: plan.entries.filter((e) => e.reused).length,
    entries: plan.entries.length,
  };
}

function countWrong(written: Record<string, string>, expected: Map<string, string>): number {
  let wrong = 0;
  for (const [name, value] of expected) if (written[name] !== value) wrong += 1;
  return wrong;
}

/** Error codes and messages only: the product's messages never carry values. */
function describe(error: unknown): string {
  if (isLatchkeyError(error)) return `${error.code}: ${error.message}`.slice(0, 300);
  return error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error).slice(0, 300);
}
