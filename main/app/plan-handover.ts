import type { SourceRegistry } from '../core/sync';
import { originId, type ResolveResult, type SecretSource, type SourceKind } from '../core/types';

/**
 * The app's plan hands what its remote sources answered to the sync the user starts from it (issue 14, found 9: a
 * 5,000-key profile read every value twice, once to plan and once to sync). The sync then writes the values the
 * user reviewed, not a second read that may differ from what was shown. Values stay in main's memory, never on
 * disk or across IPC; an entry is used once, by the next sync of the same profile within `ttlMs`, and all are
 * dropped when a session starts or ends or the app writes to a source (docs/SECURITY.md).
 *
 * Only remote sources are handed over: the keychain and `set:` are local and cheap, so they are always read fresh.
 * A source's answer is replayed only for the very same specs, and only when every value it skipped as reusable
 * (same version as written, file untouched) is still reusable now; otherwise that source is read again.
 */
export interface PlanHandover {
  /** Sources that record their answers for `key`; `keep()` makes them the profile's handover. */
  recording(key: string, sources: SourceRegistry): { sources: SourceRegistry; keep(): void };
  /** Sources that replay the profile's handover where they can (taking it: it is used once) and read otherwise. */
  replaying(key: string, sources: SourceRegistry): SourceRegistry;
  /** Drops every handover (a session changed, a source was written). */
  clear(): void;
}

/** Reviewing a plan takes minutes; past this, the sync reads the sources again. */
export const HANDOVER_TTL_MS = 5 * 60_000;

const HANDED_OVER: readonly SourceKind[] = ['chamber', 'ssm', 'op', 's3'];

type Recorded = Map<SourceKind, { specs: string; result: ResolveResult }>;
type Wrapper = <K extends SourceKind>(source: SecretSource<K>) => SecretSource<K>;

/** The registry with each handed-over kind's source wrapped; the others as they are. */
function wrap(sources: SourceRegistry, each: Wrapper): SourceRegistry {
  const wrapped: SourceRegistry = { ...sources };
  for (const kind of HANDED_OVER) wrapKind(wrapped, kind, each);
  return wrapped;
}

function wrapKind<K extends SourceKind>(registry: SourceRegistry, kind: K, each: Wrapper): void {
  // SourceRegistry maps each kind to its own source; TypeScript cannot follow that through a generic index.
  const slot = registry as Partial<Record<K, SecretSource<K>>>;
  const source = slot[kind];
  if (source) slot[kind] = each(source);
}

export function createPlanHandover(options: { ttlMs?: number; now?: () => number } = {}): PlanHandover {
  const ttlMs = options.ttlMs ?? HANDOVER_TTL_MS;
  const now = options.now ?? Date.now;
  const kept = new Map<string, { at: number; recorded: Recorded }>();
  // A plan that was reading while everything was dropped keeps nothing: its answers may predate that write.
  let generation = 0;

  return {
    recording(key, sources) {
      const recorded: Recorded = new Map();
      const startedIn = generation;
      return {
        sources: wrap(sources, (source) => ({
          kind: source.kind,
          async resolve(specs, ctx) {
            const result = await source.resolve(specs, ctx);
            recorded.set(source.kind, { specs: JSON.stringify(specs), result });
            return result;
          },
        })),
        keep: () => {
          if (startedIn === generation) kept.set(key, { at: now(), recorded });
        },
      };
    },
    replaying(key, sources) {
      const entry = kept.get(key);
      kept.delete(key);
      if (!entry || now() - entry.at > ttlMs) return sources;
      return wrap(sources, (source) => ({
        kind: source.kind,
        resolve(specs, ctx) {
          const answer = entry.recorded.get(source.kind);
          const stillTrue =
            answer?.specs === JSON.stringify(specs) &&
            answer.result.secrets.every(
              (s) =>
                !s.reused ||
                (s.meta.version !== undefined && ctx.canReuse(originId(s.spec, s.sourceKey), s.meta.version)),
            );
          return stillTrue ? Promise.resolve(answer.result) : source.resolve(specs, ctx);
        },
      }));
    },
    clear: () => {
      generation += 1;
      kept.clear();
    },
  };
}
