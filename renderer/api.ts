import type { Envelope, EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../contract/ipc';

/**
 * Calls one contract method. A bridge that throws (it should not: main answers with envelopes) is turned into an
 * INTERNAL envelope so that every caller handles exactly one shape.
 */
export async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Envelope<MethodOutput<M>>> {
  try {
    const fn = window.latchkey[method] as (input: MethodInput<M>) => Promise<Envelope<MethodOutput<M>>>;
    return await fn(input);
  } catch {
    return {
      ok: false,
      error: {
        code: 'INTERNAL',
        message: 'The app could not reach its main process.',
        hint: 'Restart Latchkey; if it keeps happening, check the log.',
      },
    };
  }
}

export function subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return window.latchkey.on(event, listener);
}
