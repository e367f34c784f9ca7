import type { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsSettings } from '../core/types';
import { createLimiter, type Limiter } from './limiter';
import type { HttpTimeouts } from './http-timeouts';
import { createSsmClientCache, type CredentialsFor } from './ssm-client';

/** One client and the limiter every request to it goes through. */
export interface Lane {
  /** Names the client in request statistics. */
  key: string;
  client: SSMClient;
  limiter: Limiter;
}

export interface LaneOptions {
  /** A caller-supplied client gets a lane of its own; otherwise clients come from the built-in cache. */
  clientFor?: (aws: AwsSettings) => SSMClient;
  env?: NodeJS.ProcessEnv;
  credentialsFor?: CredentialsFor;
  timeouts?: Partial<HttpTimeouts>;
}

export interface Lanes {
  get(aws: AwsSettings): Promise<Lane>;
  /** Closes the cached clients' sockets; supplied clients belong to the caller. */
  destroy(): void;
  /** New clients (and credentials) from the next use on; see keyedClients().retire. */
  retire(): void;
}

export function createLanes(concurrency: number, opts: LaneOptions): Lanes {
  const cache = createSsmClientCache({
    concurrency,
    env: opts.env,
    credentialsFor: opts.credentialsFor,
    timeouts: opts.timeouts,
  });
  const byKey = new Map<string, Lane>();
  const byClient = new WeakMap<SSMClient, Lane>();
  let customCount = 0;
  return {
    async get(aws) {
      if (opts.clientFor) {
        const client = opts.clientFor(aws);
        let lane = byClient.get(client);
        if (!lane) {
          lane = { key: `custom#${++customCount}`, client, limiter: createLimiter(concurrency) };
          byClient.set(client, lane);
        }
        return lane;
      }
      const { key, client } = await cache.get(aws);
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
    retire() {
      cache.retire();
      byKey.clear();
    },
  };
}
