import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../contract/ipc';
import { trackCalls } from '../../../main/ipc/calls-under-way';
import type { Router, SenderInfo } from '../../../main/ipc/router';

const WINDOW: SenderInfo = { url: 'https://latchkey.test/index.html', isMainFrame: true };

/** A router whose calls answer only when the test says so, each with its method's name. */
function heldRouter() {
  const held = new Map<string, (answer: Envelope<unknown>) => void>();
  const router: Router = {
    handle: (method) => new Promise((resolve) => held.set(method, resolve)),
  };
  const answer = (method: string) => held.get(method)!({ ok: true, value: { method } });
  return { router, answer };
}

describe('calls under way', () => {
  it('answers as the router does', async () => {
    const { router, answer } = heldRouter();
    const tracked = trackCalls(router);
    const call = tracked.handle('plan', WINDOW, {});
    answer('plan');
    await expect(call).resolves.toEqual({ ok: true, value: { method: 'plan' } });
    await expect(tracked.settled(1_000)).resolves.toBe(true);
  });

  it('settles once every call has answered, including one that started while it waited', async () => {
    const { router, answer } = heldRouter();
    const tracked = trackCalls(router);
    void tracked.handle('plan', WINDOW, {});
    let settled = false;
    const waiting = tracked.settled(5_000).then((all) => (settled = all));
    void tracked.handle('sync', WINDOW, {});
    answer('plan');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    answer('sync');
    await waiting;
    expect(settled).toBe(true);
  });

  it('stops waiting after its limit for a call that does not answer', async () => {
    const { router } = heldRouter();
    const tracked = trackCalls(router);
    void tracked.handle('plan', WINDOW, {});
    const started = performance.now();
    await expect(tracked.settled(50)).resolves.toBe(false);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
