import { randomUUID } from 'node:crypto';
import { types } from 'node:util';
import type { Dialog, Frame, Page } from 'playwright-core';
import type { SenderInfo } from '../../../main/ipc/router';
import { bridgedOriginal, runPreloadInSandbox, type PreloadWorld } from '../../support/electron-sandbox';
import {
  CarrierError,
  PART_CHARS,
  fromWire,
  toWire,
  type MirrorConfig,
  type Outcome,
  type PartedOutcome,
  type PageRequest,
  type StartReply,
  type WireHooks,
} from './wire';

// The e2e suite's preload: the SHIPPED out/preload/index.cjs, run per document in the sandbox stand-in
// (test/support/electron-sandbox.ts), with window.latchkey in Chromium mirroring what its contextBridge exposed
// (test/e2e/harness/page-mirror.ts). Its ipcRenderer reaches `invoke` (the real router), with the sender taken
// from the Playwright frame the world belongs to; main's events reach its ipcRenderer listeners through `send`.
//
// What this adds on top of the stand-in, and is not Electron:
//   - the page and the preload world are in two processes, so calls into the world cross asynchronously through a
//     binding (for async preload functions, whose result is a promise anyway) or synchronously through prompt()
//     (for the others), and page functions (listeners) are called back asynchronously, in order;
//   - the world is started on the document's first script (the init script), as Electron starts it before the
//     page's scripts, but a preload can see no DOM here (the stand-in has none);
//   - an asynchronous call's outcome larger than PART_CHARS of JSON crosses in parts, one crossing each, and the page
//     parses the whole once it has them all: Playwright hands a binding's result to the page as one DevTools
//     message that Chromium parses in one task (about 70 ms for a 5,000-key plan's 2 MB, where Electron's
//     structured clone of the same strings takes a few ms), which made the carrier, not the app, the page's longest
//     task (issue 14, item 5). The value, and when the call settles relative to others, are as before;
//   - the carrier refuses values it cannot carry (see wire.ts) and records every failure in `problems`, which
//     the suite asserts empty after each test: a preload that fails to load, a listener that throws, a call that
//     could not cross.

export interface CarrierOptions {
  /** The built preload (out/preload/index.cjs, or a broken copy in a test of the failure). */
  preload: string;
  /** The page end, bundled (test/e2e/harness/page-mirror.ts). */
  mirrorScript: string;
  /** What ipcMain would answer: called with the channel, the cloned arguments and the sending frame. */
  invoke(channel: string, args: unknown[], sender: SenderInfo): unknown;
  /** Also run the preload in subframes (Electron's nodeIntegrationInSubFrames); main frame only by default. */
  subFrames?: boolean;
}

export interface PreloadCarrier {
  /** webContents.send: to the preload world of the page's current main-frame document. */
  send(channel: string, ...args: unknown[]): void;
  /** Every world started, in order (one per document). */
  readonly worlds: { url: string; isMainFrame: boolean; world: PreloadWorld }[];
  /** What went wrong, for the suite to fail on. */
  readonly problems: string[];
  /** Resolves when every page callback queued so far has been delivered. */
  idle(): Promise<void>;
}

const HELLO_TIMEOUT_MS = 10_000;

class DocumentWorld {
  private readonly functions = new Map<number, (...args: unknown[]) => unknown>();
  private readonly functionIds = new Map<(...args: unknown[]) => unknown, number>();
  private readonly promises = new Map<number, Promise<unknown>>();
  private readonly pageFunctions = new Map<number, (...args: unknown[]) => unknown>();
  private readonly partedOutcomes = new Map<number, string[]>();
  private partedSeq = 0;
  readonly hooks: WireHooks;

  constructor(
    readonly doc: string,
    readonly frame: Frame,
    readonly world: PreloadWorld,
    deliver: (doc: string, frame: Frame, id: number, args: unknown[]) => void,
  ) {
    const mainWorld = world.mainWorld as unknown as {
      Object: ObjectConstructor;
      Array: ArrayConstructor;
      Error: ErrorConstructor;
      Date: DateConstructor;
      Function: FunctionConstructor;
    };
    // Page functions get stand-ins made in the main world's realm, as the page's own functions would be there.
    const makeInMainWorld = new mainWorld.Function(
      'call',
      'return function () { return call(Array.prototype.slice.call(arguments)); };',
    ) as (call: (args: unknown[]) => unknown) => (...args: unknown[]) => unknown;
    this.hooks = {
      side: 'node',
      functionId: (fn) => {
        let id = this.functionIds.get(fn);
        if (id === undefined) {
          id = this.functionIds.size + 1;
          this.functionIds.set(fn, id);
          this.functions.set(id, fn);
        }
        return { id, async: types.isAsyncFunction(bridgedOriginal(fn) ?? fn) };
      },
      ownFunction: (id) => {
        const fn = this.functions.get(id);
        if (!fn) throw new CarrierError(`no preload function ${id} in this document`);
        return fn;
      },
      promiseId: (promise) => {
        const id = this.promises.size + 1;
        this.promises.set(id, promise);
        return id;
      },
      remoteFunction: (id) => {
        let fn = this.pageFunctions.get(id);
        if (!fn) {
          fn = makeInMainWorld((args) => {
            deliver(this.doc, this.frame, id, args);
            return undefined;
          });
          this.pageFunctions.set(id, fn);
        }
        return fn;
      },
      remotePromise: () => {
        throw new CarrierError('the e2e preload carrier cannot carry a promise from the page');
      },
      realm: mainWorld,
      kindOf: (value) => {
        if (Array.isArray(value)) return 'array';
        if (types.isDate(value)) return 'date';
        if (types.isNativeError(value)) return 'error';
        if (types.isPromise(value)) return 'promise';
        if (types.isMap(value)) return 'Map';
        if (types.isSet(value)) return 'Set';
        if (types.isRegExp(value)) return 'RegExp';
        if (types.isArrayBufferView(value) || types.isAnyArrayBuffer(value)) return 'typed array';
        return 'plain';
      },
    };
  }

  /** The outcome as it crosses: itself, or, when its JSON is large, a ticket for its parts (see PartedOutcome). */
  parted(outcome: Outcome): Outcome | PartedOutcome {
    const json = JSON.stringify(outcome);
    if (json.length <= PART_CHARS) return outcome;
    const parts: string[] = [];
    for (let at = 0; at < json.length; at += PART_CHARS) parts.push(json.slice(at, at + PART_CHARS));
    const id = ++this.partedSeq;
    this.partedOutcomes.set(id, parts);
    return { parted: id, parts: parts.length };
  }

  /** One part of a parted outcome; the last one read lets it go. */
  part(id: number, index: number): string {
    const parts = this.partedOutcomes.get(id);
    const part = parts?.[index];
    if (part === undefined) throw new CarrierError(`no part ${index} of outcome ${id} in this document`);
    if (index === parts!.length - 1) this.partedOutcomes.delete(id);
    return part;
  }

  promise(id: number): Promise<unknown> {
    const promise = this.promises.get(id);
    if (!promise) throw new CarrierError(`no preload promise ${id} in this document`);
    this.promises.delete(id);
    return promise;
  }
}

/** Installs the carrier on `page` (before its first navigation). */
export async function attachShippedPreload(page: Page, opts: CarrierOptions): Promise<PreloadCarrier> {
  const config: MirrorConfig = {
    token: `latchkey-preload-carrier:${randomUUID()}:`,
    subFrames: opts.subFrames ?? false,
    helloBinding: '__latchkeyPreloadHello',
    callBinding: '__latchkeyPreloadCall',
    callbackGlobal: '__latchkeyPreloadCallback',
  };
  const problems: string[] = [];
  const worlds: PreloadCarrier['worlds'] = [];
  const documents = new Map<string, DocumentWorld>();
  /** The current document of each frame; an older one of the same frame is gone (Electron drops its context). */
  const current = new Map<Frame, DocumentWorld>();
  const hellos = new Map<string, Frame>();
  const helloWaiters = new Map<string, (frame: Frame) => void>();
  let delivery: Promise<unknown> = Promise.resolve();

  const senderOf = (frame: Frame): SenderInfo => ({
    url: frame.isDetached() ? '' : frame.url(),
    isMainFrame: frame === page.mainFrame(),
  });

  const deliver = (doc: string, frame: Frame, id: number, args: unknown[]) => {
    const world = documents.get(doc);
    if (!world) return;
    let wired;
    try {
      wired = args.map((arg) => toWire(arg, world.hooks));
    } catch (error) {
      problems.push(`a call to a page function could not cross: ${messageOf(error)}`);
      return;
    }
    delivery = delivery
      .then(async () => {
        if (frame.isDetached() || current.get(frame) !== world) return;
        await frame.evaluate(
          ([global, target, fn, values]) =>
            (window as unknown as Record<string, { call(d: string, f: number, a: unknown[]): boolean }>)[global]!.call(
              target,
              fn,
              values,
            ),
          [config.callbackGlobal, doc, id, wired] as const,
        );
      })
      .catch((error: unknown) => {
        // A page that closed or navigated meanwhile is no failure; a listener that threw is.
        const message = messageOf(error);
        if (
          !/Target (page, context or browser )?(has been )?closed|Execution context was destroyed|frame was detached/i.test(
            message,
          )
        )
          problems.push(`a page listener failed: ${message}`);
      });
  };

  const waitForHello = (doc: string) =>
    new Promise<Frame>((resolve, reject) => {
      const known = hellos.get(doc);
      if (known) return resolve(known);
      const timer = setTimeout(() => reject(new CarrierError(`no hello from document ${doc}`)), HELLO_TIMEOUT_MS);
      helloWaiters.set(doc, (frame) => {
        clearTimeout(timer);
        resolve(frame);
      });
    });

  async function startWorld(doc: string): Promise<StartReply> {
    const frame = await waitForHello(doc);
    const world = runPreloadInSandbox({
      preload: opts.preload,
      url: frame.url(),
      isMainFrame: frame === page.mainFrame(),
      main: { invoke: (channel, args) => opts.invoke(channel, args, senderOf(frame)) },
    });
    const documentWorld = new DocumentWorld(doc, frame, world, deliver);
    documents.set(doc, documentWorld);
    current.set(frame, documentWorld);
    worlds.push({ url: frame.url(), isMainFrame: frame === page.mainFrame(), world });
    if (world.loadError) problems.push(`the preload did not load (${frame.url()}): ${String(world.loadError)}`);
    const globals = world.exposedKeys.map((key) => {
      const descriptor = Object.getOwnPropertyDescriptor(world.mainWorld, key)!;
      return {
        key,
        value: toWire(descriptor.value, documentWorld.hooks),
        writable: descriptor.writable ?? false,
        enumerable: descriptor.enumerable ?? false,
        configurable: descriptor.configurable ?? false,
      };
    });
    return { globals };
  }

  function documentOf(doc: string): DocumentWorld {
    const world = documents.get(doc);
    if (!world) throw new CarrierError(`no preload world for document ${doc}`);
    return world;
  }

  /** Calls a world's function (or awaits its promise) and says how it went, in wire form. */
  async function settle(world: DocumentWorld, run: () => unknown, awaitResult: boolean): Promise<Outcome> {
    try {
      const result = run();
      return { ok: true, value: toWire(awaitResult ? await result : result, world.hooks) };
    } catch (error) {
      if (error instanceof CarrierError) problems.push(error.message);
      try {
        return { ok: false, reason: toWire(error, world.hooks) };
      } catch {
        return { ok: false, reason: { t: 'error', message: messageOf(error) } };
      }
    }
  }

  function callOf(world: DocumentWorld, request: Extract<PageRequest, { op: 'call' }>) {
    return () => world.hooks.ownFunction(request.fn)(...request.args.map((arg) => fromWire(arg, world.hooks)));
  }

  await page.exposeBinding('__latchkeyPreloadHello', (source, doc: unknown) => {
    if (typeof doc !== 'string') return;
    hellos.set(doc, source.frame);
    helloWaiters.get(doc)?.(source.frame);
    helloWaiters.delete(doc);
  });

  await page.exposeBinding(
    '__latchkeyPreloadCall',
    async (source, request: PageRequest): Promise<Outcome | PartedOutcome | string> => {
      const world = documents.get(request.doc);
      if (!world) return { ok: false, reason: { t: 'error', message: `no preload world for document ${request.doc}` } };
      if (source.frame !== world.frame)
        problems.push(`a call for ${world.frame.url()} came from ${source.frame.url()}`);
      if (request.op === 'await') return world.parted(await settle(world, () => world.promise(request.id), true));
      if (request.op === 'call') return world.parted(await settle(world, callOf(world, request), true));
      if (request.op === 'part') {
        try {
          return world.part(request.id, request.index);
        } catch (error) {
          problems.push(messageOf(error));
          throw error;
        }
      }
      return { ok: false, reason: { t: 'error', message: `unknown request ${String(request.op)}` } };
    },
  );

  page.on('dialog', (dialog) => void answer(dialog));
  async function answer(dialog: Dialog): Promise<void> {
    const message = dialog.message();
    if (dialog.type() !== 'prompt' || !message.startsWith(config.token)) {
      problems.push(`the page opened a ${dialog.type()} dialog: ${message.slice(0, 200)}`);
      await dialog.dismiss().catch(() => undefined);
      return;
    }
    let reply: unknown;
    try {
      const request = JSON.parse(message.slice(config.token.length)) as PageRequest;
      if (request.op === 'start') reply = { ok: true, value: await startWorld(request.doc) };
      else if (request.op === 'call') {
        const world = documentOf(request.doc);
        reply = await settle(world, callOf(world, request), false);
      } else throw new CarrierError(`a ${request.op} request cannot cross synchronously`);
    } catch (error) {
      problems.push(`the preload carrier failed: ${messageOf(error)}`);
      reply = { ok: false, message: messageOf(error) };
    }
    // A dialog the navigation of its document already dismissed cannot be answered; nothing waits for it.
    await dialog.accept(JSON.stringify(reply)).catch(() => undefined);
  }

  await page.addInitScript({
    content: `{ const __LATCHKEY_MIRROR__ = ${JSON.stringify(config)};\n${opts.mirrorScript}\n}`,
  });

  return {
    worlds,
    problems,
    send(channel, ...args) {
      const world = current.get(page.mainFrame());
      if (!world) return;
      const before = world.world.uncaught.length;
      world.world.send(channel, ...args);
      for (const error of world.world.uncaught.slice(before)) {
        problems.push(`an ipcRenderer listener threw on ${channel}: ${String(error)}`);
      }
    },
    async idle() {
      let seen: Promise<unknown> | undefined;
      while (seen !== delivery) {
        seen = delivery;
        await delivery;
      }
    },
  };
}

function messageOf(error: unknown): string {
  if (error !== null && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return String(error);
}
