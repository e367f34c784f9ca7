import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { progressReporter } from '../../../main/ipc/progress';

// Issue 14, items 5 and 9: progress by real work reaches the window, thinned so that a 5,000-key plan does not
// flood the bridge, yet every turning point (a phase, the end of a listing, the end) gets through.

type Sent = { event: string; payload: Record<string, unknown> };

let sent: Sent[];
let report: ReturnType<typeof progressReporter>;
beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  sent = [];
  report = progressReporter((event, payload) => void sent.push({ event, payload } as Sent), '/p', 'dev');
});
afterEach(() => vi.useRealTimers());

describe('progress to the window', () => {
  it('carries requests and the listing flag, and thins the routine reports of a listing where done = total', () => {
    report({ phase: 'resolving', done: 0, total: 0, requests: { sent: 1, answered: 0 }, listing: true });
    // Every key of a page kept by version: done = total after each, thousands of times, all within 50 ms.
    for (let n = 1; n <= 5000; n++)
      report({ phase: 'resolving', done: n, total: n, requests: { sent: 1, answered: 1 }, listing: true });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.payload).toEqual({
      dir: '/p',
      profile: 'dev',
      phase: 'resolving',
      done: 0,
      total: 0,
      requests: { sent: 1, answered: 0 },
      listing: true,
    });
    vi.advanceTimersByTime(60);
    report({ phase: 'resolving', done: 5000, total: 5000, requests: { sent: 100, answered: 99 }, listing: true });
    expect(sent).toHaveLength(2);
    // The end of the listing, and the end, always get through.
    report({ phase: 'resolving', done: 5000, total: 5000, requests: { sent: 100, answered: 100 }, listing: false });
    report({ phase: 'planning', done: 0, total: 1 });
    expect(sent.map((s) => [s.payload.phase, s.payload.listing])).toEqual([
      ['resolving', true],
      ['resolving', true],
      ['resolving', false],
      ['planning', undefined],
    ]);
    expect(sent.every((s) => s.event === 'sync.progress')).toBe(true);
  });
});
