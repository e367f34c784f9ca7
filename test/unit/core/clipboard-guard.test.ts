import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClipboardGuard } from '../../../main/core/clipboard-guard';
import { memoryClipboard } from '../../support/ipc-sandbox';

const SECRET = 'guard-canary-password-1';
const OTHER = 'guard-canary-password-2';

function setup(initial = 'what the user had') {
  const board = memoryClipboard(initial);
  const events: unknown[] = [];
  const guard = createClipboardGuard(board, { emit: (event, payload) => events.push({ event, payload }) });
  return { board, events, guard };
}

describe('createClipboardGuard', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes the value and clears it after the given seconds, telling the renderer', async () => {
    const { board, events, guard } = setup();
    await guard.copy(SECRET, 30);
    expect(board.text).toBe(SECRET);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(board.text).toBe(SECRET);
    expect(events).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(board.text).toBe('');
    expect(guard.pending).toBe(false);
    expect(events).toEqual([{ event: 'clipboard.cleared', payload: { reason: 'timeout' } }]);
  });

  it('leaves the clipboard alone when the user copied something else meanwhile', async () => {
    const { board, events, guard } = setup();
    await guard.copy(SECRET, 30);
    board.writeText('a link the user copied');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(board.text).toBe('a link the user copied');
    expect(board.writes).toEqual([SECRET, 'a link the user copied']);
    expect(events).toEqual([{ event: 'clipboard.cleared', payload: { reason: 'replaced' } }]);
  });

  it('a second copy replaces the first timer: the first value is no longer tracked', async () => {
    const { board, events, guard } = setup();
    await guard.copy(SECRET, 30);
    await vi.advanceTimersByTimeAsync(20_000);
    await guard.copy(OTHER, 30);
    // The first copy's 30 s pass: nothing happens, the second value stays.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(board.text).toBe(OTHER);
    expect(events).toEqual([]);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(board.text).toBe('');
    expect(events).toEqual([{ event: 'clipboard.cleared', payload: { reason: 'timeout' } }]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('dispose (app quit) clears a pending value at once, only if it is still there', async () => {
    const first = setup();
    await first.guard.copy(SECRET, 30);
    await first.guard.dispose();
    expect(first.board.text).toBe('');
    expect(vi.getTimerCount()).toBe(0);

    const second = setup();
    await second.guard.copy(SECRET, 30);
    second.board.writeText('mine');
    await second.guard.dispose();
    expect(second.board.text).toBe('mine');

    const idle = setup('untouched');
    await idle.guard.dispose();
    expect(idle.board.writes).toEqual([]);
  });

  it('works with an asynchronous clipboard (Electron 45) and an injected timer', async () => {
    let text = '';
    const port = { readText: async () => text, writeText: async (t: string) => void (text = t) };
    const timers: { run: () => void; ms: number; cancelled: boolean }[] = [];
    const events: unknown[] = [];
    const guard = createClipboardGuard(port, {
      emit: (_e, payload) => events.push(payload),
      setTimer: (run, ms) => {
        const t = { run, ms, cancelled: false };
        timers.push(t);
        return () => void (t.cancelled = true);
      },
    });
    await guard.copy(SECRET, 7);
    await guard.copy(OTHER, 5);
    expect(timers.map((t) => [t.ms, t.cancelled])).toEqual([
      [7000, true],
      [5000, false],
    ]);
    timers[1]!.run();
    await vi.waitFor(() => expect(events).toEqual([{ reason: 'timeout' }]));
    expect(text).toBe('');
  });

  it('an emit that throws (window gone) does not stop the clear', async () => {
    const board = memoryClipboard();
    const guard = createClipboardGuard(board, {
      emit: () => {
        throw new Error('window destroyed');
      },
    });
    await guard.copy(SECRET, 5);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(board.text).toBe('');
  });
});
