import type { ChamberSpec } from '../../main/core/types';
import { listingSizesInMemory, type ListingSizes } from '../../main/sources/listing-sizes';
import { createSsmSources, type SsmRequestStats } from '../../main/sources/ssm';
import { startFaultProxy } from '../support/fault-proxy';
import type { BenchService } from './bench-data';
import { median, medianIndex, round, timed, withAwsEndpoint } from './measure';

/** One resolve of the 1,000 secrets by the product's SSM sources, as a fresh process would do it. */
interface ResolveRun {
  wallMs: number;
  /** The source's own account of its plan (first attempts only). */
  plan: SsmRequestStats;
  /** Requests the proxy saw: equal to the plan's when nothing is retried. */
  proxyRequests: number;
  maxInFlight: number;
  secrets: number;
  /** Values that differ from the seeded ones (must be 0). */
  wrongValues: number;
}

export interface ResolveFigures {
  label: string;
  latencyMs: number;
  concurrency: number;
  runs: ResolveRun[];
  /** The median run by wall time: its plan is the one the bounds below are for. */
  median: ResolveRun;
  /**
   * The emulator's service time per request for this same plan: wall ÷ requests of the same resolve at zero added
   * latency and the same concurrency. moto answers one request at a time, so that quotient is what it costs.
   */
  serviceMs: number;
  serviceRunsMs: number[];
  /** lowerBoundRounds × latency: the DESIGN's round-trip lower bound, for a server that answers in parallel. */
  roundTripBoundMs: number;
  /** max(rounds × (latency + service), requests × service): the bound against a server that serializes. */
  realisticBoundMs: number;
  ratioRoundTrip: number;
  ratioRealistic: number;
}

export interface ResolveBenchOptions {
  label: string;
  motoEndpoint: string;
  specs: ChamberSpec[];
  services: BenchService[];
  latencyMs: number;
  concurrency: number;
  repeats: number;
  /**
   * Resolve as a first sync does (the engine says no spec has sync state, so services are read by path first), as
   * `latchkey plan` in a fresh project does; otherwise with no state hint at all (DescribeParameters listings).
   */
  firstSync?: boolean;
  /**
   * Every run knows the services' sizes from the run before (the unmeasured pass first), as a `latchkey plan` on a
   * machine that has listed them before does (main/sources/listing-sizes.ts); otherwise each run starts unknowing.
   */
  rememberSizes?: boolean;
}

export async function measureResolve(opts: ResolveBenchOptions): Promise<ResolveFigures> {
  const expected = expectedValues(opts.services);
  const sizes = opts.rememberSizes ? listingSizesInMemory() : undefined;

  const idle = await startFaultProxy({ target: opts.motoEndpoint, latencyMs: 0 });
  const serviceRunsMs: number[] = [];
  try {
    // One unmeasured pass: module and JIT warm-up in this process, and moto's own caches.
    await resolveOnce(idle.url, opts, expected, idle, sizes);
    for (let i = 0; i < opts.repeats; i++) {
      const run = await resolveOnce(idle.url, opts, expected, idle, sizes);
      serviceRunsMs.push(run.wallMs / run.plan.totalRequests);
    }
  } finally {
    await idle.stop();
  }
  const serviceMs = median(serviceRunsMs);

  const slow = await startFaultProxy({ target: opts.motoEndpoint, latencyMs: opts.latencyMs });
  const runs: ResolveRun[] = [];
  try {
    for (let i = 0; i < opts.repeats; i++) runs.push(await resolveOnce(slow.url, opts, expected, slow, sizes));
  } finally {
    await slow.stop();
  }

  const chosen = runs[medianIndex(runs.map((r) => r.wallMs))]!;
  const rounds = chosen.plan.lowerBoundRounds;
  const roundTripBoundMs = rounds * opts.latencyMs;
  const realisticBoundMs = Math.max(rounds * (opts.latencyMs + serviceMs), chosen.plan.totalRequests * serviceMs);
  return {
    label: opts.label,
    latencyMs: opts.latencyMs,
    concurrency: opts.concurrency,
    runs,
    median: chosen,
    serviceMs: round(serviceMs, 2),
    serviceRunsMs: serviceRunsMs.map((v) => round(v, 2)),
    roundTripBoundMs: round(roundTripBoundMs),
    realisticBoundMs: round(realisticBoundMs),
    ratioRoundTrip: round(chosen.wallMs / roundTripBoundMs, 2),
    ratioRealistic: round(chosen.wallMs / realisticBoundMs, 2),
  };
}

async function resolveOnce(
  endpoint: string,
  opts: ResolveBenchOptions,
  expected: Map<string, string>,
  proxy: { resetStats(): void; stats(): { total: number; maxInFlight: number } },
  sizes: ListingSizes | undefined,
): Promise<ResolveRun> {
  return withAwsEndpoint(endpoint, async () => {
    // A new sources object per run: new client, new sockets, new limiter, as a fresh CLI process has.
    const sources = createSsmSources({
      concurrency: opts.concurrency,
      ...(sizes && { listingSizes: async () => sizes }),
    });
    proxy.resetStats();
    try {
      const ctx = { canReuse: () => false, ...(opts.firstSync && { hasPriorStateOf: () => false }) };
      const { ms, value } = await timed(() => sources.chamber.resolve(opts.specs, ctx));
      let wrongValues = 0;
      for (const secret of value.secrets) {
        const spec = secret.spec as ChamberSpec;
        if (expected.get(`${spec.service}\u0000${secret.sourceKey}`) !== secret.value) wrongValues += 1;
      }
      wrongValues += Math.max(0, expected.size - value.secrets.length);
      const seen = proxy.stats();
      return {
        wallMs: round(ms, 1),
        plan: sources.stats(),
        proxyRequests: seen.total,
        maxInFlight: seen.maxInFlight,
        secrets: value.secrets.length,
        wrongValues,
      };
    } finally {
      sources.destroy();
    }
  });
}

function expectedValues(services: BenchService[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const s of services)
    for (const [key, value] of Object.entries(s.entries)) map.set(`${s.service}\u0000${key}`, value);
  return map;
}
