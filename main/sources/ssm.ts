import type { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsSettings, ChamberSpec, ResolveContext, ResolveResult, SecretSource, SsmSpec } from '../core/types';
import type { HttpTimeouts } from './http-timeouts';
import { DEFAULT_CONCURRENCY } from './limiter';
import { listingSizesInMemory, type ListingSizes } from './listing-sizes';
import { LaneRun, type NamedLookup, type ServiceListing } from './ssm-lane-run';
import type { CredentialsFor } from './ssm-client';
import { createLanes, type Lane, type Lanes } from './ssm-lanes';
import { servicePath } from './ssm-names';
import { createParameterStore, type ParameterStore } from './chamber-store';
import { ResolveRun } from './ssm-resolve-run';
import { createStatsWindow, type SsmRequestStats } from './ssm-stats';
import { validateSsmSpec } from './ssm-validate';

export type { SsmRequestStats } from './ssm-stats';

/*
 * The request plan, in short. A chamber service is listed with DescribeParameters (50 names a page, no values)
 * and its values are read with GetParameters (10 names a call, decrypted). The reads of a page start as soon as
 * the page arrives, while the next page is listed. Listing first costs one round trip over GetParametersByPath,
 * but it gives versions before values: a value whose version the caller already holds is never read. Every
 * request of a client goes through one limiter; listing pages go first because each unlocks more work, and
 * GetParameters batches are shared across services, so a batch is only sent short when a slot would idle.
 *
 * A service with no sync state at all (`ctx.hasPriorStateOf`: a first sync, or exec/export, which reuse nothing)
 * has no version to compare, so it is read with GetParametersByPath (values with the names, 10 a page) for up to 4
 * pages; one still paging after them is listed as above for the rest. Fewer requests for most services, at the cost
 * of LastModifiedUser and chamber's counter on a first read (GetParameters* do not carry them).
 *
 * Each service's size is remembered after it was listed (listing-sizes.ts). The next resolve starts the largest
 * first, and lists one known to outgrow the by-path pages as above from its first request: its chain of pages is
 * the longest in the plan, and no longer starts after every other service's.
 */

/**
 * Single `ssm:` names and chamber `only:` keys are described first (to learn their version) only when
 * `ctx.hasPriorState` says they could be reused; otherwise they are read straight away. Whole chamber services are
 * listed first unless `ctx.hasPriorStateOf` says none of their specs has state.
 */
export type SsmResolveContext = ResolveContext;

export interface SsmSourcesOptions {
  /** Requests in flight per client (per AWS profile, region and endpoint); undefined for the default. */
  concurrency?: number | undefined;
  /** Supplies the client instead of the built-in cache (tests, or a caller with its own credentials). */
  clientFor?: (aws: AwsSettings) => SSMClient;
  env?: NodeJS.ProcessEnv;
  /** How each `aws:` setting gets its credentials (main/aws/pipeline-credentials.ts in the runtime). */
  credentialsFor?: CredentialsFor;
  /** Connect and request limits of the built-in clients (http-timeouts.ts). */
  timeouts?: Partial<HttpTimeouts>;
  /**
   * The services' sizes as last listed, loaded on the first resolve (listing-sizes.ts); by default they are kept in
   * memory for the life of the sources.
   */
  listingSizes?: () => Promise<ListingSizes>;
}

export interface SsmSources {
  chamber: SecretSource<'chamber'>;
  ssm: SecretSource<'ssm'>;
  /** Writes and metadata reads (the chamber verbs, rotation) on the same clients and concurrency budget. */
  storeFor(aws: AwsSettings): Promise<ParameterStore>;
  /** Requests of the last resolve; resolves that overlap in time are counted together. */
  stats(): SsmRequestStats;
  /** Closes the cached clients' sockets. */
  destroy(): void;
  /** The next request reads its credentials again (after a session started or ended). */
  retireClients(): void;
}

export function createSsmSources(opts: SsmSourcesOptions = {}): SsmSources {
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  const lanes = createLanes(concurrency, opts);
  const window = createStatsWindow(concurrency);
  let sizes: Promise<ListingSizes> | undefined;
  const loadSizes = () => (sizes ??= opts.listingSizes?.() ?? Promise.resolve(listingSizesInMemory()));

  const resolve = async (
    kind: 'chamber' | 'ssm',
    specs: (ChamberSpec | SsmSpec)[],
    ctx: SsmResolveContext,
  ): Promise<ResolveResult> => {
    specs.forEach(validateSsmSpec);
    const known = await loadSizes();
    window.begin();
    const run = new ResolveRun(kind, ctx, window.record);
    try {
      await planRequests(run, specs, lanes, known);
      await run.drain();
    } finally {
      run.close();
      window.end();
    }
    await known.save();
    return run.result();
  };

  return {
    chamber: { kind: 'chamber', resolve: (specs, ctx) => resolve('chamber', specs, ctx) },
    ssm: { kind: 'ssm', resolve: (specs, ctx) => resolve('ssm', specs, ctx) },
    storeFor: async (aws) => {
      const lane = await lanes.get(aws);
      return createParameterStore(lane.client, lane.limiter);
    },
    stats: window.stats,
    destroy: lanes.destroy,
    retireClients: lanes.retire,
  };
}

interface LanePlan {
  listings: Map<string, ServiceListing>;
  named: NamedLookup[];
}

/**
 * Groups the specs by client, then starts every listing and named lookup of each client: the largest services
 * known first, as the longest chains of pages (listing-sizes.ts), then in manifest order.
 */
async function planRequests(
  run: ResolveRun,
  specs: (ChamberSpec | SsmSpec)[],
  lanes: Lanes,
  sizes: ListingSizes,
): Promise<void> {
  const plans = new Map<Lane, LanePlan>();
  for (const spec of specs) {
    const lane = await lanes.get(spec.aws ?? {});
    let plan = plans.get(lane);
    if (!plan) plans.set(lane, (plan = { listings: new Map(), named: [] }));
    if (spec.kind === 'ssm') {
      plan.named.push({ spec, name: spec.name, sourceKey: spec.name, ifMissing: 'error' });
      continue;
    }
    const path = servicePath(spec.service);
    if (spec.only) {
      // A chamber service with `only:` needs no listing: its parameter names are known.
      for (const key of new Set(spec.only.map((k) => k.toLowerCase()))) {
        plan.named.push({ spec, name: `${path}/${key}`, sourceKey: key, ifMissing: 'warn' });
      }
    } else {
      const listing = plan.listings.get(path);
      if (listing) listing.specs.push(spec);
      else plan.listings.set(path, { path, specs: [spec] });
    }
  }
  for (const [lane, plan] of plans) {
    const laneRun = new LaneRun(run, lane, sizes);
    const largestFirst = [...plan.listings.values()].sort(
      (a, b) => (sizes.sizeOf(b.path) ?? 0) - (sizes.sizeOf(a.path) ?? 0),
    );
    for (const listing of largestFirst) run.track(laneRun.listService(listing));
    laneRun.lookUpNamed(plan.named);
  }
}
