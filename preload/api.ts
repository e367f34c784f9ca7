import {
  EVENTS,
  METHOD_NAMES,
  eventChannel,
  methodChannel,
  type Envelope,
  type EventName,
  type IpcError,
  type LatchkeyApi,
} from '../contract/ipc';
import { INTERNAL_MESSAGE } from '../contract/errors';
import { z } from 'zod';

// zod compiles validators with `new Function` unless told not to; the preload must never depend on eval, whatever
// CSP governs its world.
z.config({ jitless: true });

/** The transport createApi needs: ipcRenderer in the app, a Playwright binding in e2e. */
export interface PreloadIpc {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  /** Delivers each payload only (never the IPC event object); returns an unsubscribe function. */
  on(channel: string, listener: (payload: unknown) => void): () => void;
}

const BRIDGE_FAILURE: IpcError = Object.freeze({ code: 'INTERNAL', message: INTERNAL_MESSAGE });

/**
 * `window.latchkey`, built from the contract: one function per method, each resolving to the envelope the main
 * process returned and never rejecting (a failed call becomes an INTERNAL envelope), plus `on` for events,
 * whose payloads are checked against the contract before a listener sees them. The object is frozen.
 */
export function createApi(ipc: PreloadIpc): LatchkeyApi {
  const api: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) {
    const channel = methodChannel(method);
    api[method] = async (input: unknown): Promise<Envelope<unknown>> => {
      try {
        const result = await ipc.invoke(channel, input);
        return isEnvelope(result) ? result : { ok: false, error: { ...BRIDGE_FAILURE } };
      } catch {
        return { ok: false, error: { ...BRIDGE_FAILURE } };
      }
    };
  }
  api.on = (event: EventName, listener: (payload: unknown) => void): (() => void) => {
    if (typeof event !== 'string' || !Object.hasOwn(EVENTS, event)) throw new TypeError('Unknown Latchkey event.');
    if (typeof listener !== 'function') throw new TypeError('A Latchkey event listener must be a function.');
    const schema = EVENTS[event];
    let active = true;
    const unsubscribe = ipc.on(eventChannel(event), (payload) => {
      if (!active) return;
      const parsed = schema.safeParse(payload);
      // A payload the contract does not describe is dropped, not passed on half-checked.
      if (parsed.success) listener(parsed.data);
    });
    return () => {
      if (!active) return;
      active = false;
      unsubscribe();
    };
  };
  return Object.freeze(api) as LatchkeyApi;
}

function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const envelope = value as { ok?: unknown; value?: unknown; error?: unknown };
  if (envelope.ok === true) return 'value' in envelope;
  if (envelope.ok !== false || typeof envelope.error !== 'object' || envelope.error === null) return false;
  const error = envelope.error as { code?: unknown; message?: unknown };
  return typeof error.code === 'string' && typeof error.message === 'string';
}
