import { GetParametersCommand, type GetParametersCommandOutput, type Parameter } from '@aws-sdk/client-ssm';
import type { Lane } from './ssm-lanes';
import type { ResolveRun } from './ssm-resolve-run';

const GET_PARAMETERS_MAX = 10;

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
export class ValueBatcher {
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
    const depth = 1 + batch.reduce((deepest, entry) => Math.max(deepest, entry.depth), 0);
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
