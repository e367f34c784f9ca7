import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../../main/sources/limiter';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('limiter', () => {
  it('never runs more than its concurrency at once', async () => {
    const limiter = createLimiter(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 2));
          running -= 1;
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(3);
    expect(limiter.active).toBe(0);
  });

  it('starts high-priority work before queued normal work', async () => {
    const limiter = createLimiter(1);
    const gate = deferred();
    const order: string[] = [];
    const first = limiter.run(() => gate.promise);
    const normal = limiter.run(async () => void order.push('normal'));
    const high = limiter.run(async () => void order.push('high'), { priority: 'high' });
    gate.resolve();
    await Promise.all([first, normal, high]);
    expect(order).toEqual(['high', 'normal']);
  });

  it('starts a higher rank first within a priority, and equal ranks in order of arrival', async () => {
    const limiter = createLimiter(1);
    const gate = deferred();
    const order: string[] = [];
    const first = limiter.run(() => gate.promise);
    const queued = [
      limiter.run(async () => void order.push('a0'), { priority: 'high' }),
      limiter.run(async () => void order.push('b2'), { priority: 'high', rank: 2 }),
      limiter.run(async () => void order.push('normal9'), { rank: 9 }),
      limiter.run(async () => void order.push('c5'), { priority: 'high', rank: 5 }),
      limiter.run(async () => void order.push('d2'), { priority: 'high', rank: 2 }),
      limiter.run(async () => void order.push('e0'), { priority: 'high' }),
    ];
    gate.resolve();
    await Promise.all([first, ...queued]);
    expect(order).toEqual(['c5', 'b2', 'd2', 'a0', 'e0', 'normal9']);
  });

  it('passes rejections through and keeps going', async () => {
    const limiter = createLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(
      limiter.run(() => {
        throw new Error('sync boom');
      }),
    ).rejects.toThrow('sync boom');
    await expect(limiter.run(async () => 'fine')).resolves.toBe('fine');
  });

  it('drops queued work when its signal aborts', async () => {
    const limiter = createLimiter(1);
    const gate = deferred();
    const controller = new AbortController();
    let ran = false;
    const blocker = limiter.run(() => gate.promise);
    const queued = limiter.run(async () => void (ran = true), { signal: controller.signal });
    expect(limiter.queued).toBe(1);
    controller.abort(new Error('stop'));
    await expect(queued).rejects.toThrow('stop');
    expect(limiter.queued).toBe(0);
    gate.resolve();
    await blocker;
    expect(ran).toBe(false);
    await expect(limiter.run(async () => 1, { signal: controller.signal })).rejects.toThrow('stop');
  });

  it("tells listeners when a slot would idle, after the finished task's caller had its turn", async () => {
    const limiter = createLimiter(2);
    let spare = 0;
    limiter.onSpare(() => (spare += 1));
    await tick();
    expect(spare).toBe(1); // idle from the start

    const gate = deferred();
    const a = limiter.run(() => gate.promise);
    const b = limiter.run(() => gate.promise);
    const followUp = Promise.all([a, b]).then(() => {
      void limiter.run(() => new Promise(() => undefined)); // never finishes: keeps one slot busy
    });
    spare = 0;
    gate.resolve();
    await followUp;
    await tick();
    // One slot stays busy with the follow-up, one is free with nothing queued.
    expect(limiter.hasSpare()).toBe(true);
    expect(spare).toBeGreaterThanOrEqual(1);
  });

  it('rejects a nonsensical concurrency', () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
    expect(() => createLimiter(1.5)).toThrow(RangeError);
  });
});
