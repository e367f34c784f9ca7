/**
 * A small promise concurrency limiter with two priorities. Listing pages go first because each one unlocks more
 * work (the next page and its value reads); value reads fill the remaining slots.
 */
export type Priority = 'high' | 'normal';

export const DEFAULT_CONCURRENCY = 8;

interface RunOptions {
  priority?: Priority;
  /**
   * Within a priority, a higher rank starts first (equal ranks in order of arrival). The SSM source ranks a
   * request by its depth in the plan, so a long chain of pages (a large service) is not starved behind the first
   * pages of every other service, and ends sooner.
   */
  rank?: number;
  /** Aborting removes a task that has not started yet; a started task gets the signal itself. */
  signal?: AbortSignal | undefined;
}

export interface Limiter {
  readonly concurrency: number;
  readonly active: number;
  readonly queued: number;
  run<T>(task: () => Promise<T>, opts?: RunOptions): Promise<T>;
  /**
   * Calls `listener` when a slot is free and nothing is waiting, i.e. when held-back work (a partial batch) can be
   * sent without delaying anything. Returns the unsubscribe function.
   */
  onSpare(listener: () => void): () => void;
  hasSpare(): boolean;
}

interface Waiting {
  rank: number;
  start: () => void;
}

/** Behind every waiting task of the same or a higher rank: arrival order within a rank. */
function enqueue(queue: Waiting[], waiting: Waiting): void {
  let at = queue.length;
  while (at > 0 && queue[at - 1]!.rank < waiting.rank) at -= 1;
  queue.splice(at, 0, waiting);
}

export function createLimiter(concurrency: number = DEFAULT_CONCURRENCY): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  const queues: Record<Priority, Waiting[]> = { high: [], normal: [] };
  const spareListeners = new Set<() => void>();
  let active = 0;
  let spareCheckScheduled = false;

  const queued = () => queues.high.length + queues.normal.length;
  const hasSpare = () => active < concurrency && queued() === 0;

  // Deferred to a macrotask so that whatever a finished task's caller enqueues next (the next page) is queued
  // before anyone decides the limiter is idle.
  const scheduleSpareCheck = () => {
    if (spareCheckScheduled || spareListeners.size === 0) return;
    spareCheckScheduled = true;
    setImmediate(() => {
      spareCheckScheduled = false;
      if (!hasSpare()) return;
      for (const listener of [...spareListeners]) listener();
    });
  };

  const startNext = () => {
    while (active < concurrency) {
      const next = queues.high.shift() ?? queues.normal.shift();
      if (!next) break;
      next.start();
    }
    if (hasSpare()) scheduleSpareCheck();
  };

  return {
    concurrency,
    get active() {
      return active;
    },
    get queued() {
      return queued();
    },
    run<T>(task: () => Promise<T>, opts: RunOptions = {}): Promise<T> {
      const { signal } = opts;
      return new Promise<T>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const queue = queues[opts.priority ?? 'normal'];
        const onAbort = () => {
          const at = queue.indexOf(waiting);
          if (at >= 0) {
            queue.splice(at, 1);
            reject(signal?.reason);
          }
        };
        const waiting: Waiting = {
          rank: opts.rank ?? 0,
          start: () => {
            signal?.removeEventListener('abort', onAbort);
            active += 1;
            Promise.resolve()
              .then(task)
              .then(resolve, reject)
              .finally(() => {
                active -= 1;
                startNext();
              });
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        enqueue(queue, waiting);
        startNext();
      });
    },
    onSpare(listener) {
      spareListeners.add(listener);
      scheduleSpareCheck();
      return () => spareListeners.delete(listener);
    },
    hasSpare,
  };
}
