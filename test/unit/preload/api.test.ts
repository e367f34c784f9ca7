import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES, eventChannel, methodChannel, type LatchkeyApi } from '../../../contract/ipc';
import { createApi, type PreloadIpc } from '../../../preload/api';

function fakeIpc(
  answer: (channel: string, payload: unknown) => Promise<unknown> | unknown = async () => ({ ok: true, value: {} }),
) {
  const invoked: { channel: string; payload: unknown }[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const ipc: PreloadIpc = {
    invoke(channel, payload) {
      invoked.push({ channel, payload });
      return answer(channel, payload) as Promise<unknown>;
    },
    on(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  const dispatch = (channel: string, payload: unknown) =>
    [...(listeners.get(channel) ?? [])].forEach((l) => l(payload));
  return { ipc, invoked, listeners, dispatch };
}

describe('createApi', () => {
  it('has exactly one function per contract method, plus on, and is frozen', () => {
    const api = createApi(fakeIpc().ipc);
    expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES, 'on'].sort());
    expect(Object.isFrozen(api)).toBe(true);
    expect(() => {
      (api as unknown as Record<string, unknown>).plan = () => 'hijacked';
    }).toThrow();
  });

  it('invokes the method channel with the input and returns the envelope as is', async () => {
    const envelope = { ok: false, error: { code: 'NEEDS_INPUT', message: 'personal secret not set', missing: ['A'] } };
    const { ipc, invoked } = fakeIpc(async () => envelope);
    const api = createApi(ipc);
    for (const method of METHOD_NAMES) {
      const fn = api[method] as (input: unknown) => Promise<unknown>;
      expect(await fn({ dir: '/p' })).toBe(envelope);
    }
    expect(invoked.map((i) => i.channel)).toEqual(METHOD_NAMES.map(methodChannel));
    expect(invoked.every((i) => JSON.stringify(i.payload) === '{"dir":"/p"}')).toBe(true);
  });

  it('never rejects: a failed invoke, a sync throw or a malformed answer becomes INTERNAL', async () => {
    const answers: (() => unknown)[] = [
      () => Promise.reject(new Error('Error invoking remote method: secret stack')),
      () => {
        throw new Error('sync');
      },
      () => Promise.resolve(undefined),
      () => Promise.resolve({ ok: 'yes' }),
      () => Promise.resolve({ ok: false, error: 'nope' }),
      () => Promise.resolve({ ok: true }),
    ];
    for (const answer of answers) {
      const api = createApi(fakeIpc(answer).ipc);
      const result = await api['projects.list']({});
      expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.any(String) } });
      expect(JSON.stringify(result)).not.toContain('stack');
    }
  });

  it('delivers valid event payloads only, each to its subscribers, until unsubscribed', () => {
    const { ipc, dispatch, listeners } = fakeIpc();
    const api: LatchkeyApi = createApi(ipc);
    const got: unknown[] = [];
    const off = api.on('sync.progress', (p) => got.push(p));
    const progress = { dir: '/p', profile: 'dev', phase: 'resolving', done: 1, total: 3 };
    dispatch(eventChannel('sync.progress'), progress);
    dispatch(eventChannel('sync.progress'), { ...progress, done: -1 });
    dispatch(eventChannel('sync.progress'), { ...progress, phase: 'exploding' });
    dispatch(eventChannel('sync.progress'), 'junk');
    dispatch(eventChannel('sync.progress'), { ...progress, extra: 'dropped field' });
    dispatch(eventChannel('plan.invalidated'), { dir: '/p', reason: 'target' });
    expect(got).toEqual([progress, progress]);
    off();
    off();
    dispatch(eventChannel('sync.progress'), progress);
    expect(got).toHaveLength(2);
    expect(listeners.get(eventChannel('sync.progress'))?.size).toBe(0);
  });

  it('subscribes every contract event on its own channel and refuses unknown events', () => {
    const { ipc, listeners } = fakeIpc();
    const api = createApi(ipc);
    for (const event of EVENT_NAMES) api.on(event, () => undefined);
    expect([...listeners.keys()].sort()).toEqual(EVENT_NAMES.map(eventChannel).sort());
    expect(() => api.on('__proto__' as never, () => undefined)).toThrow(TypeError);
    expect(() => api.on('sync.progress', 'not a function' as never)).toThrow(TypeError);
  });
});
