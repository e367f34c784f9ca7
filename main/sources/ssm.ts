import {
  DescribeParametersCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  type DescribeParametersCommandInput,
  type DescribeParametersCommandOutput,
  type GetParametersByPathCommandOutput,
  type GetParametersCommandOutput,
  type Parameter,
  type ParameterMetadata,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { LatchkeyError } from '../core/errors';
import {
  originId,
  type AwsSettings,
  type ChamberSpec,
  type ResolveContext,
  type ResolvedSecret,
  type ResolveResult,
  type SecretSource,
  type SourceKind,
  type SourceMeta,
  type SsmSpec,
} from '../core/types';
import { createLimiter, DEFAULT_CONCURRENCY, type Limiter, type Priority } from './limiter';
import { createSsmClientCache } from './ssm-client';

/*
 * The request plan, in short. A chamber service is listed with DescribeParameters (50 names a page, no values)
 * and its values are read with GetParameters (10 names a call, decrypted). The reads of a page start as soon as
 * the page arrives, while the next page is listed. Listing first costs one round trip over GetParametersByPath,
 * but it gives versions before values: a value whose version the caller already holds is never read. Every
 * request of a client goes through one limiter; listing pages go first because each unlocks more work, and
 * GetParameters batches are shared across services, so a batch is only sent short when a slot would idle.
 */

const GET_PARAMETERS_MAX = 10;
const DESCRIBE_PAGE = 50;
const BY_PATH_PAGE = 10;
const NAME_FILTER_MAX = 50;
/** chamber's per-service metadata record (service includes), not a secret; chamber skips it too. */
const CHAMBER_METADATA_KEY = '__chamber.service.metadata';

const SERVICE_PATTERN = /^[\w\-.]+(\/[\w\-.]+)*$/;
const KEY_PATTERN = /^[\w\-.]+$/;
/** SSM's own rule for names: letters, digits, `_ . -` and `/`. Version or label selectors are not supported. */
const PARAMETER_NAME_PATTERN = /^\/?[\w\-.]+(\/[\w\-.]+)*$/;

export type SsmOperation = 'DescribeParameters' | 'GetParameters' | 'GetParametersByPath';

export interface SsmRequestStats {
  /** Requests issued per operation (SDK retries not included), over the last resolve. */
  requests: Partial<Record<SsmOperation, number>>;
  totalRequests: number;
  /** The longest chain of requests in the plan that had to run one after another. */
  criticalPathLength: number;
  concurrency: number;
  /**
   * The fewest sequential round trips the issued plan could take: per client
   * `max(criticalPathLength, ceil(requests / concurrency))`, then the largest over clients (each has its own
   * limiter). Multiply by the latency for the lower bound of the wall time.
   */
  lowerBoundRounds: number;
}

/**
 * Single `ssm:` names and chamber `only:` keys are described first (to learn their version) only when
 * `ctx.hasPriorState` says they could be reused; otherwise they are read straight away. Whole chamber services are
 * listed first regardless.
 */
export type SsmResolveContext = ResolveContext;

export interface SsmSourcesOptions {
  /** Requests in flight per client (per AWS profile, region and endpoint). */
  concurrency?: number;
  /** Supplies the client instead of the built-in cache (tests, or a caller with its own credentials). */
  clientFor?: (aws: AwsSettings) => SSMClient;
  env?: NodeJS.ProcessEnv;
}

export interface SsmSources {
  chamber: SecretSource<'chamber'>;
  ssm: SecretSource<'ssm'>;
  /** Requests of the last resolve; resolves that overlap in time are counted together. */
  stats(): SsmRequestStats;
  /** Closes the cached clients' sockets. */
  destroy(): void;
}

export function createSsmSources(opts: SsmSourcesOptions = {}): SsmSources {
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  const lanes = createLanes(concurrency, opts);
  const window = createStatsWindow(concurrency);

  const resolve = async (
    kind: 'chamber' | 'ssm',
    specs: (ChamberSpec | SsmSpec)[],
    ctx: SsmResolveContext,
  ): Promise<ResolveResult> => {
    specs.forEach(validateSpec);
    window.begin();
    const run = new ResolveRun(kind, ctx, window.record);
    try {
      planRequests(run, specs, lanes);
      await run.drain();
    } finally {
      run.close();
      window.end();
    }
    return run.result();
  };

  return {
    chamber: { kind: 'chamber', resolve: (specs, ctx) => resolve('chamber', specs, ctx) },
    ssm: { kind: 'ssm', resolve: (specs, ctx) => resolve('ssm', specs, ctx) },
    stats: window.stats,
    destroy: lanes.destroy,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Clients and their limiters

interface Lane {
  key: string;
  client: SSMClient;
  limiter: Limiter;
}

function createLanes(concurrency: number, opts: SsmSourcesOptions) {
  const cache = createSsmClientCache({ concurrency, env: opts.env });
  const byKey = new Map<string, Lane>();
  const byClient = new WeakMap<SSMClient, Lane>();
  let customCount = 0;
  return {
    get(aws: AwsSettings): Lane {
      if (opts.clientFor) {
        const client = opts.clientFor(aws);
        let lane = byClient.get(client);
        if (!lane) {
          lane = { key: `custom#${++customCount}`, client, limiter: createLimiter(concurrency) };
          byClient.set(client, lane);
        }
        return lane;
      }
      const { key, client } = cache.get(aws);
      let lane = byKey.get(key);
      if (!lane || lane.client !== client) {
        lane = { key, client, limiter: createLimiter(concurrency) };
        byKey.set(key, lane);
      }
      return lane;
    },
    destroy() {
      cache.destroy();
      byKey.clear();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Planning

interface NamedLookup {
  spec: ChamberSpec | SsmSpec;
  name: string;
  sourceKey: string;
  /** A missing `ssm:` name is an error; a missing `only:` key of a chamber service is a warning. */
  ifMissing: 'error' | 'warn';
}

interface ServiceListing {
  service: string;
  path: string;
  specs: ChamberSpec[];
}

interface LanePlan {
  lane: Lane;
  listings: Map<string, ServiceListing>;
  named: NamedLookup[];
}

function planRequests(run: ResolveRun, specs: (ChamberSpec | SsmSpec)[], lanes: ReturnType<typeof createLanes>) {
  const plans = new Map<Lane, LanePlan>();
  for (const spec of specs) {
    const lane = lanes.get(spec.aws ?? {});
    let plan = plans.get(lane);
    if (!plan) plans.set(lane, (plan = { lane, listings: new Map(), named: [] }));
    if (spec.kind === 'ssm') {
      plan.named.push({ spec, name: spec.name, sourceKey: spec.name, ifMissing: 'error' });
    } else if (spec.only) {
      // A chamber service with `only:` needs no listing: its parameter names are known.
      const path = servicePath(spec.service);
      for (const key of new Set(spec.only.map((k) => k.toLowerCase()))) {
        plan.named.push({ spec, name: `${path}/${key}`, sourceKey: key, ifMissing: 'warn' });
      }
    } else {
      const path = servicePath(spec.service);
      const listing = plan.listings.get(path);
      if (listing) listing.specs.push(spec);
      else plan.listings.set(path, { service: spec.service, path, specs: [spec] });
    }
  }
  for (const plan of plans.values()) {
    const lanePlan = new LaneRun(run, plan.lane);
    for (const listing of plan.listings.values()) run.track(lanePlan.listService(listing));
    lanePlan.lookUpNamed(plan.named);
  }
}

/** chamber lower-cases services on read, so `API/Dev` reads `/api/dev`. */
function servicePath(service: string): string {
  return `/${service.toLowerCase()}`;
}

// ---------------------------------------------------------------------------------------------------------------
// One resolve call: its requests, results, progress and first failure

/** A failed AWS call, with what it was for; turned into a LatchkeyError once it decides the resolve. */
class SsmCallError extends Error {
  constructor(
    readonly operation: SsmOperation,
    readonly owners: string[],
    override readonly cause: unknown,
  ) {
    super(`${operation} failed`);
  }
}

type Recorder = (lane: Lane, operation: SsmOperation, depth: number) => void;

class ResolveRun {
  readonly controller = new AbortController();
  private readonly secrets: ResolvedSecret[] = [];
  private readonly warnings: string[] = [];
  private readonly missing: string[] = [];
  private readonly tasks: Promise<void>[] = [];
  private readonly closers: (() => void)[] = [];
  private readonly values = new Set<string>();
  private firstError?: LatchkeyError;
  private stop!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.stop = resolve));
  private done = 0;
  private total = 0;
  private readonly onCallerAbort = () => {
    this.controller.abort(this.ctx.signal?.reason);
    this.stop();
  };

  constructor(
    readonly kind: SourceKind,
    readonly ctx: SsmResolveContext,
    private readonly record: Recorder,
  ) {
    if (ctx.signal?.aborted) this.onCallerAbort();
    else ctx.signal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  /** Sends one request through the lane's limiter, counting it at its depth in the plan. */
  send<T>(
    lane: Lane,
    operation: SsmOperation,
    depth: number,
    priority: Priority,
    owners: string[],
    call: (client: SSMClient, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const { signal } = this.controller;
    if (signal.aborted) return Promise.reject(new SsmCallError(operation, owners, signal.reason));
    this.record(lane, operation, depth);
    return lane.limiter.run(() => call(lane.client, signal), { priority, signal }).catch((error: unknown) => {
      throw new SsmCallError(operation, owners, error);
    });
  }

  track(task: Promise<unknown>): void {
    this.tasks.push(task.then(() => undefined, (error: unknown) => this.fail(error)));
  }

  onClose(closer: () => void): void {
    this.closers.push(closer);
  }

  /** Waits for every task, including those that tasks start; returns at once on the first failure. */
  async drain(): Promise<void> {
    let seen = 0;
    while (seen < this.tasks.length && !this.isStopped()) {
      const batch = this.tasks.slice(seen);
      seen = this.tasks.length;
      await Promise.race([Promise.allSettled(batch), this.stopped]);
    }
  }

  isStopped(): boolean {
    return this.firstError !== undefined || this.controller.signal.aborted;
  }

  expect(count: number): void {
    this.total += count;
    this.progress();
  }

  add(secret: ResolvedSecret): void {
    if (this.isStopped()) return;
    if (secret.value !== undefined) this.values.add(secret.value);
    this.secrets.push(secret);
    this.done += 1;
    this.progress();
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  notFound(what: string): void {
    this.missing.push(what);
  }

  close(): void {
    this.ctx.signal?.removeEventListener('abort', this.onCallerAbort);
    for (const closer of this.closers) closer();
  }

  result(): ResolveResult {
    if (this.ctx.signal?.aborted) {
      throw new LatchkeyError('CANCELLED', `Reading ${this.kind} sources was cancelled.`);
    }
    if (this.firstError) throw this.firstError;
    if (this.missing.length > 0) {
      throw new LatchkeyError(
        'SOURCE_NOT_FOUND',
        `${this.missing.length === 1 ? 'SSM parameter' : 'SSM parameters'} not found: ${this.missing.join(', ')}`,
        'Check the name in latchkey.yml, and the AWS profile and region it is read with.',
      );
    }
    const secrets = [...this.secrets].sort(
      (a, b) => a.spec.index - b.spec.index || compareStrings(a.sourceKey, b.sourceKey),
    );
    return { secrets, warnings: [...new Set(this.warnings)] };
  }

  private fail(error: unknown): void {
    if (this.isStopped()) return;
    this.firstError = toLatchkeyError(error, this.kind, this.values);
    this.controller.abort(this.firstError);
    this.stop();
  }

  private progress(): void {
    this.ctx.onProgress?.({ kind: this.kind, done: this.done, total: this.total });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The requests of one resolve on one client

class LaneRun {
  private readonly batcher: ValueBatcher;
  /** DescribeParameters was denied: IAM policies written for `chamber exec` often allow only the by-path read. */
  private describeDenied = false;
  private deniedWarned = false;

  constructor(
    private readonly run: ResolveRun,
    private readonly lane: Lane,
  ) {
    this.batcher = new ValueBatcher(run, lane);
  }

  async listService(listing: ServiceListing): Promise<void> {
    if (this.describeDenied) return this.listByPath(listing, 0);
    const owners = listing.specs.map(label);
    let nextToken: string | undefined;
    let depth = 0;
    let count = 0;
    do {
      depth += 1;
      const input: DescribeParametersCommandInput = {
        ParameterFilters: [{ Key: 'Path', Option: 'OneLevel', Values: [listing.path] }],
        MaxResults: DESCRIBE_PAGE,
        NextToken: nextToken,
      };
      let page: DescribeParametersCommandOutput;
      try {
        page = await this.describe(input, depth, owners);
      } catch (error) {
        if (depth === 1 && isDescribeDenied(error)) {
          this.noteDescribeDenied();
          return this.listByPath(listing, depth);
        }
        throw error;
      }
      for (const meta of page.Parameters ?? []) {
        if (!meta.Name || isChamberMetadata(meta.Name)) continue;
        count += 1;
        for (const spec of listing.specs) this.takeListed(spec, meta, depth);
      }
      nextToken = page.NextToken;
    } while (nextToken);
    if (count === 0) this.warnEmpty(listing);
  }

  lookUpNamed(lookups: NamedLookup[]): void {
    const describeFirst: NamedLookup[] = [];
    for (const lookup of lookups) {
      const prior = this.run.ctx.hasPriorState?.(originId(lookup.spec, lookup.sourceKey)) ?? false;
      if (prior && !this.describeDenied) describeFirst.push(lookup);
      else this.fetchNamed(lookup, 0);
    }
    const names = [...new Set(describeFirst.map((l) => l.name))];
    for (let at = 0; at < names.length; at += NAME_FILTER_MAX) {
      const chunk = names.slice(at, at + NAME_FILTER_MAX);
      const chunkSet = new Set(chunk);
      this.run.track(this.describeNamed(describeFirst.filter((l) => chunkSet.has(l.name)), chunk));
    }
  }

  private async describeNamed(lookups: NamedLookup[], names: string[]): Promise<void> {
    const owners = [...new Set(lookups.map((l) => label(l.spec)))];
    const found = new Map<string, ParameterMetadata>();
    let nextToken: string | undefined;
    let depth = 0;
    try {
      do {
        depth += 1;
        const page = await this.describe(
          {
            ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: names }],
            MaxResults: DESCRIBE_PAGE,
            NextToken: nextToken,
          },
          depth,
          owners,
        );
        for (const meta of page.Parameters ?? []) if (meta.Name) found.set(meta.Name, meta);
        nextToken = page.NextToken;
      } while (nextToken);
    } catch (error) {
      if (!isDescribeDenied(error)) throw error;
      this.noteDescribeDenied();
      for (const lookup of lookups) this.fetchNamed(lookup, depth);
      return;
    }
    for (const lookup of lookups) {
      const meta = found.get(lookup.name);
      const id = originId(lookup.spec, lookup.sourceKey);
      if (meta && this.run.ctx.canReuse(id, String(meta.Version))) {
        this.run.expect(1);
        this.run.add({ spec: lookup.spec, sourceKey: lookup.sourceKey, reused: true, meta: metaOfListed(meta) });
      } else {
        // Changed, or not described at all: most likely missing, but only GetParameters says so for sure.
        this.fetchNamed(lookup, depth, meta);
      }
    }
  }

  private fetchNamed(lookup: NamedLookup, depth: number, listed?: ParameterMetadata): void {
    this.run.expect(1);
    const owner = label(lookup.spec);
    this.run.track(
      this.batcher.get(lookup.name, depth, owner).then((parameter) => {
        if (!parameter) {
          this.run.expect(-1);
          if (lookup.ifMissing === 'error') this.run.notFound(lookup.name);
          else this.run.warn(`${owner}: no parameter ${lookup.name} (listed in only:)`);
          return;
        }
        this.run.add({
          spec: lookup.spec,
          sourceKey: lookup.sourceKey,
          value: parameter.Value ?? '',
          meta: metaOfValue(parameter, listed),
        });
      }),
    );
  }

  private takeListed(spec: ChamberSpec, meta: ParameterMetadata, depth: number): void {
    const name = meta.Name as string;
    const key = lastSegment(name);
    this.run.expect(1);
    if (this.run.ctx.canReuse(originId(spec, key), String(meta.Version))) {
      this.run.add({ spec, sourceKey: key, reused: true, meta: metaOfListed(meta) });
      return;
    }
    this.run.track(
      this.batcher.get(name, depth, label(spec)).then((parameter) => {
        if (!parameter) {
          this.run.expect(-1);
          this.run.warn(`${label(spec)}: ${key} was deleted while it was being read`);
          return;
        }
        this.run.add({ spec, sourceKey: key, value: parameter.Value ?? '', meta: metaOfValue(parameter, meta) });
      }),
    );
  }

  /** The fallback read: values come with the listing, so nothing can be skipped, but nothing more is denied. */
  private async listByPath(listing: ServiceListing, depthBefore: number): Promise<void> {
    const owners = listing.specs.map(label);
    let nextToken: string | undefined;
    let depth = depthBefore;
    let count = 0;
    do {
      depth += 1;
      const input = {
        Path: listing.path,
        Recursive: false,
        WithDecryption: true,
        MaxResults: BY_PATH_PAGE,
        NextToken: nextToken,
      };
      const page: GetParametersByPathCommandOutput = await this.run.send(
        this.lane,
        'GetParametersByPath',
        depth,
        'high',
        owners,
        (client, abortSignal) => client.send(new GetParametersByPathCommand(input), { abortSignal }),
      );
      for (const parameter of page.Parameters ?? []) {
        if (!parameter.Name || isChamberMetadata(parameter.Name)) continue;
        count += 1;
        for (const spec of listing.specs) {
          this.run.expect(1);
          this.run.add({
            spec,
            sourceKey: lastSegment(parameter.Name),
            value: parameter.Value ?? '',
            meta: metaOfValue(parameter),
          });
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
    if (count === 0) this.warnEmpty(listing);
  }

  private describe(
    input: DescribeParametersCommandInput,
    depth: number,
    owners: string[],
  ): Promise<DescribeParametersCommandOutput> {
    return this.run.send(this.lane, 'DescribeParameters', depth, 'high', owners, (client, abortSignal) =>
      client.send(new DescribeParametersCommand(input), { abortSignal }),
    );
  }

  private noteDescribeDenied(): void {
    this.describeDenied = true;
    if (this.deniedWarned) return;
    this.deniedWarned = true;
    this.run.warn(
      'AWS denied ssm:DescribeParameters, so chamber services were read with GetParametersByPath: every value is ' +
        'read again on each sync, even unchanged ones. Allow ssm:DescribeParameters to skip those reads.',
    );
  }

  private warnEmpty(listing: ServiceListing): void {
    for (const spec of listing.specs) this.run.warn(`${label(spec)}: no parameters under ${listing.path}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// GetParameters batching

interface PendingName {
  name: string;
  depth: number;
  owners: Set<string>;
  resolve: (parameter: Parameter | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Collects value reads of one resolve on one client into GetParameters calls of 10 names, across services.
 * A full batch goes at once; a partial one waits while the limiter is busy (more names may arrive to fill it)
 * and goes as soon as a slot would otherwise idle.
 */
class ValueBatcher {
  private pending: PendingName[] = [];
  private readonly requested = new Map<string, { promise: Promise<Parameter | undefined>; entry: PendingName }>();
  private checkScheduled = false;

  constructor(
    private readonly run: ResolveRun,
    private readonly lane: Lane,
  ) {
    const unsubscribe = lane.limiter.onSpare(() => this.flush());
    run.onClose(() => {
      unsubscribe();
      const abandoned = this.pending.splice(0);
      for (const entry of abandoned) entry.reject(new Error('resolve ended'));
    });
  }

  /** The parameter, or undefined when SSM says it does not exist. `depth`: the request it waited for. */
  get(name: string, depth: number, owner: string): Promise<Parameter | undefined> {
    const known = this.requested.get(name);
    if (known) {
      known.entry.owners.add(owner);
      known.entry.depth = Math.max(known.entry.depth, depth);
      return known.promise;
    }
    let entry!: PendingName;
    const promise = new Promise<Parameter | undefined>((resolve, reject) => {
      entry = { name, depth, owners: new Set([owner]), resolve, reject };
    });
    this.requested.set(name, { promise, entry });
    this.pending.push(entry);
    while (this.pending.length >= GET_PARAMETERS_MAX) this.dispatch(this.pending.splice(0, GET_PARAMETERS_MAX));
    this.scheduleCheck();
    return promise;
  }

  private scheduleCheck(): void {
    if (this.checkScheduled || this.pending.length === 0) return;
    this.checkScheduled = true;
    setImmediate(() => {
      this.checkScheduled = false;
      if (this.lane.limiter.hasSpare()) this.flush();
    });
  }

  private flush(): void {
    if (this.pending.length > 0 && !this.run.isStopped()) this.dispatch(this.pending.splice(0));
  }

  private dispatch(batch: PendingName[]): void {
    const names = batch.map((entry) => entry.name);
    const depth = 1 + Math.max(...batch.map((entry) => entry.depth));
    const owners = [...new Set(batch.flatMap((entry) => [...entry.owners]))];
    this.run
      .send(this.lane, 'GetParameters', depth, 'normal', owners, (client, abortSignal) =>
        client.send(new GetParametersCommand({ Names: names, WithDecryption: true }), { abortSignal }),
      )
      .then(
        (output: GetParametersCommandOutput) => {
          const found = new Map((output.Parameters ?? []).map((p) => [p.Name, p] as const));
          for (const entry of batch) entry.resolve(found.get(entry.name));
        },
        (error: unknown) => {
          for (const entry of batch) entry.reject(error);
        },
      );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Request statistics

interface LaneStats {
  requests: Partial<Record<SsmOperation, number>>;
  total: number;
  maxDepth: number;
}

function createStatsWindow(concurrency: number) {
  let lanes = new Map<string, LaneStats>();
  let active = 0;
  return {
    begin() {
      if (active === 0) lanes = new Map();
      active += 1;
    },
    end() {
      active -= 1;
    },
    record: ((lane, operation, depth) => {
      let stats = lanes.get(lane.key);
      if (!stats) lanes.set(lane.key, (stats = { requests: {}, total: 0, maxDepth: 0 }));
      stats.requests[operation] = (stats.requests[operation] ?? 0) + 1;
      stats.total += 1;
      stats.maxDepth = Math.max(stats.maxDepth, depth);
    }) satisfies Recorder,
    stats(): SsmRequestStats {
      const requests: Partial<Record<SsmOperation, number>> = {};
      let totalRequests = 0;
      let criticalPathLength = 0;
      let lowerBoundRounds = 0;
      for (const lane of lanes.values()) {
        for (const [operation, count] of Object.entries(lane.requests) as [SsmOperation, number][]) {
          requests[operation] = (requests[operation] ?? 0) + count;
        }
        totalRequests += lane.total;
        criticalPathLength = Math.max(criticalPathLength, lane.maxDepth);
        lowerBoundRounds = Math.max(lowerBoundRounds, lane.maxDepth, Math.ceil(lane.total / concurrency));
      }
      return { requests, totalRequests, criticalPathLength, concurrency, lowerBoundRounds };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Metadata

function metaOfListed(meta: ParameterMetadata): SourceMeta {
  return compact({
    version: meta.Version === undefined ? undefined : String(meta.Version),
    modifiedAt: isoDate(meta.LastModifiedDate),
    modifiedBy: meta.LastModifiedUser || undefined,
    chamberVersion: chamberVersionOf(meta.Description),
  });
}

/** Version and date come from the read itself; the listing's extras only when it saw that same version. */
function metaOfValue(parameter: Parameter, listed?: ParameterMetadata): SourceMeta {
  const sameVersion = listed !== undefined && listed.Version === parameter.Version;
  return compact({
    version: parameter.Version === undefined ? undefined : String(parameter.Version),
    modifiedAt: isoDate(parameter.LastModifiedDate),
    modifiedBy: sameVersion ? listed.LastModifiedUser || undefined : undefined,
    chamberVersion: sameVersion ? chamberVersionOf(listed.Description) : undefined,
  });
}

/** chamber writes its counter as the whole Description (`strconv.Itoa(version)`), starting at 1. */
export function chamberVersionOf(description: string | undefined): number | undefined {
  if (description === undefined || !/^[1-9]\d{0,8}$/.test(description)) return undefined;
  return Number(description);
}

function isoDate(date: Date | undefined): string | undefined {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

function compact(meta: SourceMeta): SourceMeta {
  return Object.fromEntries(Object.entries(meta).filter(([, value]) => value !== undefined)) as SourceMeta;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

function validateSpec(spec: ChamberSpec | SsmSpec): void {
  const at = spec.pos ? ` (latchkey.yml line ${spec.pos.line}, column ${spec.pos.col})` : '';
  if (spec.kind === 'ssm') {
    if (!PARAMETER_NAME_PATTERN.test(spec.name)) {
      throw new LatchkeyError(
        'INVALID_NAME',
        `"${spec.name}" is not a valid SSM parameter name${at}`,
        'A name has letters, digits, _ . - and / only, e.g. /legacy/stripe_key.',
      );
    }
    return;
  }
  const service = spec.service.toLowerCase();
  if (!SERVICE_PATTERN.test(service)) {
    throw new LatchkeyError(
      'INVALID_NAME',
      `"${spec.service}" is not a valid chamber service${at}`,
      'A service is words of letters, digits, _ . - separated by /, e.g. api/dev (no leading slash).',
    );
  }
  if (service.split('/')[0] === '_chamber') {
    throw new LatchkeyError('INVALID_NAME', `The chamber service "_chamber" is reserved${at}`);
  }
  for (const key of spec.only ?? []) {
    if (!KEY_PATTERN.test(key.toLowerCase())) {
      throw new LatchkeyError(
        'INVALID_NAME',
        `"${key}" in only: of chamber ${spec.service} is not a valid chamber key${at}`,
        'A key has letters, digits, _ . - only.',
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

const DENIED_NAMES = new RegExp(
  [
    'AccessDenied',
    'NotAuthorized',
    'UnrecognizedClient',
    'InvalidClientTokenId',
    'ExpiredToken',
    'InvalidSignature',
    'SignatureDoesNotMatch',
    'CredentialsProviderError',
  ].join('|'),
);

function isDescribeDenied(error: unknown): boolean {
  return error instanceof SsmCallError && errorName(error.cause) === 'AccessDeniedException';
}

function toLatchkeyError(error: unknown, kind: SourceKind, knownValues: Set<string>): LatchkeyError {
  if (error instanceof LatchkeyError) return error;
  if (!(error instanceof SsmCallError)) {
    return new LatchkeyError('INTERNAL', `Reading ${kind} sources failed unexpectedly: ${errorName(error)}`);
  }
  const name = errorName(error.cause);
  const denied = DENIED_NAMES.test(name);
  const text = redact(
    `${ownersText(error.owners)}: AWS SSM ${error.operation} failed: ${describeAwsError(error.cause)}`,
    knownValues,
  );
  const hint = denied
    ? 'Check the AWS profile and its credentials, and that its policy allows ssm:GetParameters, ' +
      'ssm:DescribeParameters (or ssm:GetParametersByPath) on these parameters and kms:Decrypt on their key.'
    : /region is missing/i.test(text)
      ? 'Set aws.region in latchkey.yml, or AWS_REGION, or a region in the AWS profile.'
      : 'Try again; if it keeps failing, check the network, the AWS endpoint and the AWS status.';
  return new LatchkeyError(denied ? 'ACCESS_DENIED' : 'SOURCE_FAILED', text, hint);
}

/**
 * The error's name and, where it cannot carry response content, its message. Service errors come from AWS error
 * bodies, which echo names but never values. Anything else (a response that failed to parse, say) may quote the
 * body it choked on, so only its name and system code are shown.
 */
function describeAwsError(error: unknown): string {
  const name = errorName(error);
  const details = error as {
    message?: unknown;
    code?: unknown;
    $fault?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const message = typeof details?.message === 'string' ? oneLine(details.message) : '';
  const status = details?.$metadata?.httpStatusCode;
  if (typeof details?.$fault === 'string' && typeof status === 'number' && status >= 400) {
    return message && message !== 'UnknownError' ? `${name}: ${message}` : `${name} (HTTP ${status})`;
  }
  if (typeof details?.code === 'string' && /^E[A-Z0-9_]+$/.test(details.code)) return `${name} (${details.code})`;
  const fixedText = /^(TimeoutError|CredentialsProviderError|ProviderError|AbortError)$/.test(name);
  if (fixedText || /region is missing/i.test(message)) {
    return message ? `${name}: ${message}` : name;
  }
  return `${name} (details withheld: they may quote the response)`;
}

function errorName(error: unknown): string {
  if (error instanceof Error) return error.name || 'Error';
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : 'unknown error';
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

/** Belt and braces: no value this resolve has read may appear in its error text. */
function redact(text: string, knownValues: Set<string>): string {
  let out = text;
  for (const value of knownValues) {
    if (value.length >= 4 && out.includes(value)) out = out.split(value).join('[redacted]');
  }
  return out;
}

function ownersText(owners: string[]): string {
  if (owners.length <= 3) return owners.join(', ');
  return `${owners.slice(0, 3).join(', ')} and ${owners.length - 3} more`;
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

function label(spec: ChamberSpec | SsmSpec): string {
  return spec.kind === 'chamber' ? `chamber ${spec.service}` : `ssm ${spec.name}`;
}

function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

function isChamberMetadata(name: string): boolean {
  return lastSegment(name) === CHAMBER_METADATA_KEY;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
