import type { SSMClient } from '@aws-sdk/client-ssm';
import { setMaxListeners } from 'node:events';
import { LatchkeyError } from '../core/errors';
import type { ResolveContext, ResolvedSecret, ResolveResult, SourceKind } from '../core/types';
import type { Priority } from './limiter';
import { SsmCallError, toLatchkeyError } from './ssm-errors';
import type { Lane } from './ssm-lanes';
import type { RequestRecorder, SsmOperation } from './ssm-stats';

/** One resolve call: its requests, results, progress and first failure. */
export class ResolveRun {
  // Every queued and in-flight request listens on this one signal, so hundreds of listeners are expected, not a leak.
  private readonly controller = unboundedAbortController();
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
  private requestsSent = 0;
  private requestsAnswered = 0;
  /** Listings (and name look-ups) still paging: until none is, `total` is what was found so far. */
  private listings = 0;
  private readonly onCallerAbort = () => {
    this.controller.abort(this.ctx.signal?.reason);
    this.stop();
  };

  constructor(
    private readonly kind: SourceKind,
    readonly ctx: ResolveContext,
    private readonly record: RequestRecorder,
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
    this.record(lane.key, operation, depth);
    this.requestsSent += 1;
    // What the source is doing, so that a deadline can say where it waited (core/sync.ts).
    this.progress(`${operation} ${owners.join(', ')}`);
    return lane.limiter
      .run(() => call(lane.client, signal), { priority, signal, rank: rankOf(depth) })
      .then(
        (answer) => {
          this.answered();
          return answer;
        },
        (error: unknown) => {
          this.answered();
          throw new SsmCallError(operation, owners, error);
        },
      );
  }

  /**
   * Runs a listing (or a look-up by names) that finds keys page by page; progress says `listing` until every one
   * has ended, so a count of "60 of 60" while pages are still coming is not read as the end.
   */
  async listing(work: () => Promise<void>): Promise<void> {
    this.listings += 1;
    try {
      await work();
    } finally {
      this.listings -= 1;
      this.progress();
    }
  }

  private answered(): void {
    this.requestsAnswered += 1;
    this.progress();
  }

  track(task: Promise<unknown>): void {
    this.tasks.push(
      task.then(
        () => undefined,
        (error: unknown) => this.fail(error),
      ),
    );
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

  private progress(step?: string): void {
    this.ctx.onProgress?.({
      kind: this.kind,
      done: this.done,
      total: this.total,
      requests: { sent: this.requestsSent, answered: this.requestsAnswered },
      listing: this.listings > 0,
      ...(step !== undefined && { step }),
    });
  }
}

/**
 * The limiter's order within a priority: every first request (a service's first page) before anything else, so each
 * service is known as soon as can be; then the deepest first, so a large service's later pages, the longest chain of
 * the plan, are not queued behind the short chains of all the others.
 */
function rankOf(depth: number): number {
  return depth <= 1 ? Number.MAX_SAFE_INTEGER : depth;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function unboundedAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
