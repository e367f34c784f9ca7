// How values travel between the Chromium page and the preload world in Node (test/e2e/harness/preload.ts), in
// both directions: JSON that Playwright can carry, with functions and promises sent as ids on their own side.
// Shared by the Node side and the page side (bundled into the page by esbuild), so both read one format.
//
// It only carries; the copying rules are the context bridge's, applied in Node by the sandbox stand-in. What
// reaches the page is therefore already what Electron's bridge would have made of it (plain objects and arrays,
// Error(message), function and promise proxies), and the carrier refuses loudly what it cannot carry
// (Map, Set, RegExp, typed arrays, symbols, a promise passed from the page) rather than change it.

type Side = 'node' | 'page';

export type Wire =
  | { t: 'undefined' }
  | { t: 'json'; v: string | boolean | number | null }
  | { t: 'number'; v: 'NaN' | 'Infinity' | '-Infinity' | '-0' }
  | { t: 'bigint'; v: string }
  | { t: 'array'; ref: number; frozen: boolean; items: Wire[] }
  | { t: 'object'; ref: number; frozen: boolean; entries: [string, Wire][] }
  | { t: 'function'; side: Side; id: number; async: boolean; frozen: boolean }
  | { t: 'promise'; id: number }
  | { t: 'error'; message: string }
  | { t: 'date'; v: number }
  | { t: 'seen'; ref: number };

/** What one side supplies to encode its own values and to stand in for the other side's. */
export interface WireHooks {
  readonly side: Side;
  /** The id of a function of this side (registered on first sight), and whether it always returns a promise. */
  functionId(fn: (...args: unknown[]) => unknown): { id: number; async: boolean };
  /** The function of this side registered as `id`. */
  ownFunction(id: number): (...args: unknown[]) => unknown;
  /** The id of a promise of this side (the other side awaits it by id). */
  promiseId(promise: Promise<unknown>): number;
  /** A function of this side that calls the other side's function `id`. */
  remoteFunction(id: number, async: boolean): (...args: unknown[]) => unknown;
  /** A promise of this side that settles as the other side's promise `id` does. */
  remotePromise(id: number): Promise<unknown>;
  /** Constructors of the realm decoded values belong to. */
  realm: { Object: ObjectConstructor; Array: ArrayConstructor; Error: ErrorConstructor; Date: DateConstructor };
  /** Tags that tell a value's kind across realms (util.types in Node, Object.prototype.toString in the page). */
  kindOf(value: object): 'array' | 'date' | 'error' | 'promise' | 'plain' | string;
}

export class CarrierError extends Error {}

export function toWire(value: unknown, hooks: WireHooks, seen = new Map<object, number>()): Wire {
  switch (typeof value) {
    case 'undefined':
      return { t: 'undefined' };
    case 'string':
    case 'boolean':
      return { t: 'json', v: value };
    case 'number':
      if (Number.isNaN(value)) return { t: 'number', v: 'NaN' };
      if (value === Infinity) return { t: 'number', v: 'Infinity' };
      if (value === -Infinity) return { t: 'number', v: '-Infinity' };
      if (Object.is(value, -0)) return { t: 'number', v: '-0' };
      return { t: 'json', v: value };
    case 'bigint':
      return { t: 'bigint', v: value.toString() };
    case 'symbol':
      throw new CarrierError('the e2e preload carrier cannot carry a symbol');
    case 'function': {
      const { id, async } = hooks.functionId(value as (...args: unknown[]) => unknown);
      return { t: 'function', side: hooks.side, id, async, frozen: Object.isFrozen(value) };
    }
  }
  if (value === null) return { t: 'json', v: null };
  const object = value as object;
  const ref = seen.get(object);
  if (ref !== undefined) return { t: 'seen', ref };
  const kind = hooks.kindOf(object);
  if (kind === 'error') return { t: 'error', message: String((object as Error).message) };
  if (kind === 'date') return { t: 'date', v: (object as Date).getTime() };
  if (kind === 'promise') {
    if (hooks.side === 'page') throw new CarrierError('the e2e preload carrier cannot carry a promise from the page');
    return { t: 'promise', id: hooks.promiseId(object as Promise<unknown>) };
  }
  if (kind === 'array') {
    seen.set(object, seen.size);
    const items = Array.from(object as unknown[], (item) => toWire(item, hooks, seen));
    return { t: 'array', ref: seen.get(object)!, frozen: Object.isFrozen(object), items };
  }
  if (kind !== 'plain') throw new CarrierError(`the e2e preload carrier cannot carry a ${kind}`);
  seen.set(object, seen.size);
  const entries: [string, Wire][] = Object.keys(object).map((key) => [
    key,
    toWire((object as Record<string, unknown>)[key], hooks, seen),
  ]);
  return { t: 'object', ref: seen.get(object)!, frozen: Object.isFrozen(object), entries };
}

export function fromWire(wire: Wire, hooks: WireHooks, refs = new Map<number, unknown>()): unknown {
  switch (wire.t) {
    case 'undefined':
      return undefined;
    case 'json':
      return wire.v;
    case 'number':
      return wire.v === '-0' ? -0 : Number(wire.v);
    case 'bigint':
      return BigInt(wire.v);
    case 'error':
      return new hooks.realm.Error(wire.message);
    case 'date':
      return new hooks.realm.Date(wire.v);
    case 'seen':
      return refs.get(wire.ref);
    case 'promise':
      return hooks.remotePromise(wire.id);
    case 'function': {
      const fn = wire.side === hooks.side ? hooks.ownFunction(wire.id) : hooks.remoteFunction(wire.id, wire.async);
      if (wire.frozen) Object.freeze(fn);
      return fn;
    }
    case 'array': {
      const array = new hooks.realm.Array();
      refs.set(wire.ref, array);
      for (const item of wire.items) array.push(fromWire(item, hooks, refs));
      return wire.frozen ? Object.freeze(array) : array;
    }
    case 'object': {
      const object = new hooks.realm.Object() as Record<string, unknown>;
      refs.set(wire.ref, object);
      for (const [key, item] of wire.entries) {
        Object.defineProperty(object, key, {
          value: fromWire(item, hooks, refs),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return wire.frozen ? Object.freeze(object) : object;
    }
  }
}

/** A call's outcome as it crosses: the value, or what was thrown (or the promise rejected with). */
export type Outcome = { ok: true; value: Wire } | { ok: false; reason: Wire };

/**
 * A large outcome of an asynchronous crossing, kept on the Node side as JSON and fetched by the page in `parts`
 * pieces of at most PART_CHARS characters, one crossing (so one task in the page) each (see preload.ts).
 */
export interface PartedOutcome {
  parted: number;
  parts: number;
}

export const PART_CHARS = 128 * 1024;

export function isParted(answer: unknown): answer is PartedOutcome {
  return typeof answer === 'object' && answer !== null && typeof (answer as PartedOutcome).parted === 'number';
}

/** The requests the page makes. `start` and `call` for a synchronous function cross synchronously (prompt). */
export type PageRequest =
  | { op: 'start'; doc: string }
  | { op: 'call'; doc: string; fn: number; args: Wire[] }
  | { op: 'await'; doc: string; id: number }
  | { op: 'part'; doc: string; id: number; index: number };

/** What `start` answers: the window properties the preload exposed, as the page must define them. */
export interface StartReply {
  globals: { key: string; value: Wire; writable: boolean; enumerable: boolean; configurable: boolean }[];
}

/** The page's configuration, set by the Node side in the init script. */
export interface MirrorConfig {
  /** Prefix of every prompt() the carrier answers. */
  token: string;
  /** Run the preload in subframes too (Electron's nodeIntegrationInSubFrames); main frame only otherwise. */
  subFrames: boolean;
  /** Names of the Playwright bindings. */
  helloBinding: string;
  callBinding: string;
  /** The window property the Node side calls page functions through. */
  callbackGlobal: string;
}
