import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterNextPaint, yieldToPage } from '../../../../renderer/lib/yield';

/** Frames on demand: `paint()` runs the callbacks the page asked for, as the browser's next frame would. */
function frames() {
  let callbacks = new Map<number, FrameRequestCallback>();
  let next = 1;
  vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => {
    callbacks.set(next, cb);
    return next++;
  });
  vi.stubGlobal('cancelAnimationFrame', (id: number) => void callbacks.delete(id));
  return {
    paint() {
      const due = callbacks;
      callbacks = new Map();
      for (const cb of due.values()) cb(performance.now());
    },
    pending: () => callbacks.size,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('afterNextPaint', () => {
  it('runs the work a task after the next frame, not in it, and only once', async () => {
    const frame = frames();
    const work = vi.fn();
    afterNextPaint(work, 10_000);
    await yieldToPage();
    expect(work).not.toHaveBeenCalled(); // no frame yet
    frame.paint();
    expect(work).not.toHaveBeenCalled(); // the frame itself stays short
    await yieldToPage();
    await yieldToPage();
    expect(work).toHaveBeenCalledTimes(1);
    frame.paint();
    await yieldToPage();
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('runs it anyway when no frame comes (a hidden window), and then not again at the frame', async () => {
    const frame = frames();
    const work = vi.fn();
    afterNextPaint(work, 20);
    await sleep(40);
    expect(work).toHaveBeenCalledTimes(1);
    expect(frame.pending()).toBe(0); // its frame request was withdrawn
  });

  it('cancelled first: never runs', async () => {
    const frame = frames();
    const work = vi.fn();
    const cancel = afterNextPaint(work, 20);
    cancel();
    frame.paint();
    await sleep(40);
    expect(work).not.toHaveBeenCalled();
  });
});
