import {
  DescribeParametersCommand,
  GetParametersByPathCommand,
  type DescribeParametersCommandInput,
  type DescribeParametersCommandOutput,
  type GetParametersByPathCommandOutput,
  type ParameterMetadata,
} from '@aws-sdk/client-ssm';
import { originId, type ChamberSpec, type SsmSpec } from '../core/types';
import type { ListingSizes } from './listing-sizes';
import { ValueBatcher } from './ssm-batcher';
import { isAccessDenied } from './ssm-errors';
import type { Lane } from './ssm-lanes';
import { metaOfListed, metaOfValue } from './ssm-meta';
import { isChamberMetadata, lastSegment, specLabel } from './ssm-names';
import type { ResolveRun } from './ssm-resolve-run';

const DESCRIBE_PAGE = 50;
const BY_PATH_PAGE = 10;
const NAME_FILTER_MAX = 50;
/**
 * A service read for the first time starts with GetParametersByPath (values with the names, no DescribeParameters):
 * most services fit in these pages. One still paging after them is large; the rest of it is listed 50 names a page
 * and read 10 values a call in parallel, fewer round trips than 10 a page one after another.
 */
const BY_PATH_PAGES_FIRST = 4;
/** A service known to hold more than this is listed 50 names a page from the start (listing-sizes.ts). */
const BY_PATH_FIRST_MAX_KEYS = BY_PATH_PAGE * BY_PATH_PAGES_FIRST;

/** Where a by-path read stands: its depth in the plan, the names it read, and the token of its next page. */
interface ByPathProgress {
  depth: number;
  read: Set<string>;
  nextToken: string | undefined;
}

function startByPath(): ByPathProgress {
  return { depth: 0, read: new Set(), nextToken: undefined };
}

/** A parameter read by its known name: an `ssm:` spec, or one `only:` key of a chamber service. */
export interface NamedLookup {
  spec: ChamberSpec | SsmSpec;
  name: string;
  sourceKey: string;
  /** A missing `ssm:` name is an error; a missing `only:` key of a chamber service is a warning. */
  ifMissing: 'error' | 'warn';
}

/** A whole chamber service, listed once for every spec that names it. */
export interface ServiceListing {
  path: string;
  specs: ChamberSpec[];
}

/** The requests of one resolve on one client. */
export class LaneRun {
  private readonly batcher: ValueBatcher;
  /** DescribeParameters was denied: IAM policies written for `chamber exec` often allow only the by-path read. */
  private describeDenied = false;
  /** GetParametersByPath was denied: first reads list with DescribeParameters instead, as re-reads do. */
  private byPathDenied = false;

  constructor(
    private readonly run: ResolveRun,
    private readonly lane: Lane,
    private readonly sizes: ListingSizes,
  ) {
    this.batcher = new ValueBatcher(run, lane);
  }

  listService(listing: ServiceListing): Promise<void> {
    return this.run.listing(() =>
      this.isFirstRead(listing) ? this.readFirstTime(listing) : this.listServicePages(listing),
    );
  }

  /** No spec of the listing has sync state (the caller says so explicitly): no version can be reused. */
  private isFirstRead(listing: ServiceListing): boolean {
    const hasPriorStateOf = this.run.ctx.hasPriorStateOf;
    return hasPriorStateOf !== undefined && !listing.specs.some((spec) => hasPriorStateOf(spec));
  }

  /**
   * Values with the names for the first pages; a service still paging after them is listed for the rest. One known
   * to be larger than those pages is listed from the start: the same requests, in a shorter chain.
   */
  private async readFirstTime(listing: ServiceListing): Promise<void> {
    const knownSize = this.sizes.sizeOf(listing.path) ?? 0;
    if (this.byPathDenied || knownSize > BY_PATH_FIRST_MAX_KEYS) return this.listServicePages(listing);
    const progress = startByPath();
    try {
      await this.listByPath(listing, progress, BY_PATH_PAGES_FIRST);
    } catch (error) {
      // Only a refusal of the very first page: after that, values were taken and a fresh listing would repeat them.
      if (progress.depth > 1 || !isAccessDenied(error)) throw error;
      this.byPathDenied = true;
      return this.listServicePages(listing);
    }
    if (progress.nextToken === undefined) {
      this.sizes.record(listing.path, progress.read.size);
      if (progress.read.size === 0) this.warnEmpty(listing);
      return;
    }
    return this.listServicePages(listing, progress);
  }

  /**
   * DescribeParameters pages, each page's values read in batches as it arrives. After a first by-path read
   * (`readSoFar`), the names it read are skipped; if DescribeParameters is denied, the by-path read goes on.
   */
  private async listServicePages(listing: ServiceListing, readSoFar?: ByPathProgress): Promise<void> {
    if (this.describeDenied) return this.listRestByPath(listing, readSoFar);
    const owners = listing.specs.map(specLabel);
    const skip = readSoFar?.read ?? new Set<string>();
    let nextToken: string | undefined;
    let depth = readSoFar?.depth ?? 0;
    let count = skip.size;
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
        if (nextToken === undefined && isAccessDenied(error)) {
          this.noteDescribeDenied();
          // The refused page was a round trip too: the by-path pages come after it.
          return this.listRestByPath(listing, { ...(readSoFar ?? startByPath()), depth });
        }
        throw error;
      }
      for (const meta of page.Parameters ?? []) {
        if (!meta.Name || isChamberMetadata(meta.Name) || skip.has(meta.Name)) continue;
        count += 1;
        for (const spec of listing.specs) this.takeListed(spec, meta, depth);
      }
      nextToken = page.NextToken;
    } while (nextToken);
    this.sizes.record(listing.path, count);
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
      this.run.track(
        this.run.listing(() =>
          this.describeNamed(
            describeFirst.filter((l) => chunkSet.has(l.name)),
            chunk,
          ),
        ),
      );
    }
  }

  private async describeNamed(lookups: NamedLookup[], names: string[]): Promise<void> {
    const owners = [...new Set(lookups.map((l) => specLabel(l.spec)))];
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
      if (!isAccessDenied(error)) throw error;
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
    const { spec, name, sourceKey } = lookup;
    this.readValue(spec, sourceKey, name, depth, listed, () => {
      if (lookup.ifMissing === 'error') this.run.notFound(name);
      else this.run.warn(`${specLabel(spec)}: no parameter ${name} (listed in only:)`);
    });
  }

  private takeListed(spec: ChamberSpec, meta: ParameterMetadata, depth: number): void {
    const name = meta.Name as string;
    const key = lastSegment(name);
    this.run.expect(1);
    if (this.run.ctx.canReuse(originId(spec, key), String(meta.Version))) {
      this.run.add({ spec, sourceKey: key, reused: true, meta: metaOfListed(meta) });
      return;
    }
    this.readValue(spec, key, name, depth, meta, () => {
      this.run.warn(`${specLabel(spec)}: ${key} was deleted while it was being read`);
    });
  }

  /** Reads one value through the batcher; `onMissing` runs when SSM says the name does not exist. */
  private readValue(
    spec: ChamberSpec | SsmSpec,
    sourceKey: string,
    name: string,
    depth: number,
    listed: ParameterMetadata | undefined,
    onMissing: () => void,
  ): void {
    this.run.track(
      this.batcher.get(name, depth, specLabel(spec)).then((parameter) => {
        if (!parameter) {
          this.run.expect(-1);
          onMissing();
          return;
        }
        this.run.add({ spec, sourceKey, value: parameter.Value ?? '', meta: metaOfValue(parameter, listed) });
      }),
    );
  }

  /** The fallback read, to the end: values come with the listing, so nothing can be skipped. */
  private async listRestByPath(listing: ServiceListing, readSoFar: ByPathProgress | undefined): Promise<void> {
    const progress = readSoFar ?? startByPath();
    await this.listByPath(listing, progress, Infinity);
    this.sizes.record(listing.path, progress.read.size);
    if (progress.read.size === 0) this.warnEmpty(listing);
  }

  /**
   * GetParametersByPath pages from where `progress` stopped (updated as pages come), at most `maxPages` of them.
   * Values come with the names, but not LastModifiedUser: nothing is skipped, and nothing more is denied.
   */
  private async listByPath(listing: ServiceListing, progress: ByPathProgress, maxPages: number): Promise<void> {
    const owners = listing.specs.map(specLabel);
    const { read } = progress;
    let pages = 0;
    do {
      progress.depth += 1;
      pages += 1;
      const depth = progress.depth;
      const nextToken = progress.nextToken;
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
        if (!parameter.Name || isChamberMetadata(parameter.Name) || read.has(parameter.Name)) continue;
        read.add(parameter.Name);
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
      progress.nextToken = page.NextToken;
    } while (progress.nextToken && pages < maxPages);
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

  /** Later listings of this resolve go straight to GetParametersByPath; the warning is given once. */
  private noteDescribeDenied(): void {
    if (this.describeDenied) return;
    this.describeDenied = true;
    this.run.warn(
      'AWS denied ssm:DescribeParameters, so chamber services were read with GetParametersByPath: every value is ' +
        'read again on each sync, even unchanged ones. Allow ssm:DescribeParameters to skip those reads.',
    );
  }

  /** Nothing under a service is most often a typo in its name: an error, unless the spec says `optional: true`. */
  private warnEmpty(listing: ServiceListing): void {
    for (const spec of listing.specs) {
      if (spec.kind === 'chamber' && spec.optional !== true)
        this.run.notFound(
          `${specLabel(spec)} (no parameters under ${listing.path}; add optional: true if it may be empty)`,
        );
      else this.run.warn(`${specLabel(spec)}: no parameters under ${listing.path}`);
    }
  }
}
