// Runs in the page, at the start of every document, before any page script (an init script): the page's end of the
// e2e preload carrier (test/e2e/harness/preload.ts). It does not build window.latchkey itself. It asks the Node
// side to start a preload world for this document (which runs the SHIPPED out/preload/index.cjs in the sandbox
// stand-in), then defines on window exactly what that world's contextBridge exposed, as mirrors: objects with the
// same keys and integrity, functions that call the real ones in Node.
//
// Crossing: a call to an async preload function (every contract method) goes through a Playwright binding and
// returns a promise, as in Electron. A call to a synchronous one (`on`, the unsubscribe it returns) must return
// its value synchronously, so it crosses through prompt(), the one synchronous channel from a page to Playwright
// that the app's CSP leaves open; the Node side answers the dialog. Functions the page passes (listeners) stay
// here and are called from Node through window[callbackGlobal].
import {
  CarrierError,
  fromWire,
  isParted,
  toWire,
  type MirrorConfig,
  type Outcome,
  type PartedOutcome,
  type PageRequest,
  type StartReply,
  type Wire,
  type WireHooks,
} from './wire';

declare const __LATCHKEY_MIRROR__: MirrorConfig;

(() => {
  const config = __LATCHKEY_MIRROR__;
  if (window !== window.top && !config.subFrames) return;
  const bindings = window as unknown as Record<string, unknown>;
  const hello = bindings[config.helloBinding] as ((doc: string) => Promise<unknown>) | undefined;
  const callBinding = bindings[config.callBinding] as
    ((request: PageRequest) => Promise<Outcome | PartedOutcome | string>) | undefined;
  if (typeof hello !== 'function' || typeof callBinding !== 'function') return;
  // Taken now, before any page script could replace them.
  const prompt = window.prompt.bind(window);
  const { freeze, defineProperty } = Object;
  const toStringTag = (value: object) => Object.prototype.toString.call(value).slice(8, -1);

  const doc = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  void hello(doc).catch(() => undefined);

  const { parse } = JSON;
  /** An asynchronous crossing; a large outcome comes in parts, a crossing (a task here) each, parsed once whole. */
  const callAsync = async (request: PageRequest): Promise<Outcome> => {
    const answer = await callBinding(request);
    if (!isParted(answer)) return answer as Outcome;
    let json = '';
    for (let index = 0; index < answer.parts; index++)
      json += (await callBinding({ op: 'part', doc, id: answer.parted, index })) as string;
    return parse(json) as Outcome;
  };

  /**
   * A synchronous crossing; undefined when Chromium dismissed the prompt, which it does only when this document
   * is being replaced by a navigation: no answer matters to a document that is going away.
   */
  const syncCall = <T>(request: PageRequest): T | undefined => {
    const answer = prompt(config.token + JSON.stringify(request));
    return answer === null ? undefined : (JSON.parse(answer) as T);
  };

  const ownFunctions = new Map<number, (...args: unknown[]) => unknown>();
  const ownIds = new Map<(...args: unknown[]) => unknown, number>();
  const mirrors = new Map<number, (...args: unknown[]) => unknown>();

  const settle = (outcome: Outcome): unknown => {
    if (outcome.ok) return fromWire(outcome.value, hooks);
    throw fromWire(outcome.reason, hooks);
  };

  const hooks: WireHooks = {
    side: 'page',
    functionId(fn) {
      let id = ownIds.get(fn);
      if (id === undefined) {
        id = ownIds.size + 1;
        ownIds.set(fn, id);
        ownFunctions.set(id, fn);
      }
      return { id, async: false };
    },
    ownFunction(id) {
      const fn = ownFunctions.get(id);
      if (!fn) throw new CarrierError(`no page function ${id}`);
      return fn;
    },
    promiseId() {
      throw new CarrierError('the e2e preload carrier cannot carry a promise from the page');
    },
    remoteFunction(id, isAsync) {
      let mirror = mirrors.get(id);
      if (!mirror) {
        mirror = mirrorFunction(id, isAsync);
        mirrors.set(id, mirror);
      }
      return mirror;
    },
    remotePromise(id) {
      return callAsync({ op: 'await', doc, id }).then(settle);
    },
    realm: { Object, Array, Error, Date },
    kindOf(value) {
      if (Array.isArray(value)) return 'array';
      const tag = toStringTag(value);
      if (tag === 'Date') return 'date';
      if (tag === 'Error') return 'error';
      if (tag === 'Promise') return 'promise';
      return tag === 'Object' ? 'plain' : tag;
    },
  };

  /** A nameless function standing for the preload world's function `id`, like a context-bridge proxy. */
  function mirrorFunction(id: number, isAsync: boolean): (...args: unknown[]) => unknown {
    return function (...args: unknown[]): unknown {
      const wired: Wire[] = args.map((arg) => toWire(arg, hooks));
      if (isAsync) return callAsync({ op: 'call', doc, fn: id, args: wired }).then(settle);
      const outcome = syncCall<Outcome>({ op: 'call', doc, fn: id, args: wired });
      return outcome ? settle(outcome) : undefined;
    };
  }

  const start = syncCall<{ ok: true; value: StartReply } | { ok: false; message: string }>({ op: 'start', doc });
  if (!start) return;
  if (!start.ok) throw new CarrierError(start.message);
  for (const global of start.value.globals) {
    defineProperty(window, global.key, {
      value: fromWire(global.value, hooks),
      writable: global.writable,
      enumerable: global.enumerable,
      configurable: global.configurable,
    });
  }
  // The Node side calls page functions (listeners) through this, in this document only.
  defineProperty(window, config.callbackGlobal, {
    value: freeze({
      call(target: string, id: number, args: Wire[]): boolean {
        if (target !== doc) return false;
        hooks.ownFunction(id)(...args.map((arg) => fromWire(arg, hooks)));
        return true;
      },
    }),
  });
})();
