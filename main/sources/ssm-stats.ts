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

/** Counts one request, sent on the lane (client) with that key, at its depth in the plan. */
export type RequestRecorder = (laneKey: string, operation: SsmOperation, depth: number) => void;

interface LaneStats {
  requests: Partial<Record<SsmOperation, number>>;
  total: number;
  maxDepth: number;
}

export interface StatsWindow {
  /** Opens a resolve; the first of a group of overlapping resolves starts the counts afresh. */
  begin(): void;
  end(): void;
  record: RequestRecorder;
  stats(): SsmRequestStats;
}

export function createStatsWindow(concurrency: number): StatsWindow {
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
    record(laneKey, operation, depth) {
      let stats = lanes.get(laneKey);
      if (!stats) lanes.set(laneKey, (stats = { requests: {}, total: 0, maxDepth: 0 }));
      stats.requests[operation] = (stats.requests[operation] ?? 0) + 1;
      stats.total += 1;
      stats.maxDepth = Math.max(stats.maxDepth, depth);
    },
    stats() {
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
