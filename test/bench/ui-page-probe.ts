/**
 * Runs inside the page (installed with addInitScript before the app): performance marks around the two moments the
 * UI budget is about, taken by the page's own clock.
 *
 * - The plan: `plan-received` when the `plan` envelope is handed to the app (the IPC transport is done), and
 *   `plan-painted` at the first frame after the keys table holds every key and the plan panel shows its groups.
 * - A keystroke in the filter: from the keydown event's own timestamp to the first frame painted after the
 *   table's row count changed.
 *
 * "Painted" is the standard approximation: a requestAnimationFrame callback runs just before a frame is drawn, and a
 * task queued from it runs after that frame.
 */
export function installUiProbe(): void {
  type Win = Window & {
    __latchkeyInvoke(channel: string, payload: unknown): Promise<unknown>;
    __uiProbe: unknown;
  };
  const win = window as unknown as Win;
  let planCalls = 0;

  const afterNextPaint = () =>
    new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)));
  const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

  // Wrap the binding the preload calls, to mark when a plan envelope arrives. It is looked up on every call, so
  // wrapping it once the page exists is enough.
  const wrap = () => {
    const original = win.__latchkeyInvoke;
    if (typeof original !== 'function' || (original as { wrapped?: boolean }).wrapped) return;
    let sent = 0;
    const wrapped = async (channel: string, payload: unknown) => {
      if (channel === 'latchkey:plan') performance.mark(`plan-sent-${++sent}`);
      const result = await original(channel, payload);
      if (channel === 'latchkey:plan') {
        planCalls += 1;
        performance.mark(`plan-received-${planCalls}`);
      }
      return result;
    };
    (wrapped as { wrapped?: boolean }).wrapped = true;
    win.__latchkeyInvoke = wrapped;
  };
  wrap();
  document.addEventListener('DOMContentLoaded', wrap);

  const tableCount = () =>
    document.querySelector<HTMLElement>('[data-testid="keys-table"]')?.dataset.count ??
    (document.querySelector('[data-testid="keys-no-match"]') ? '0' : null);

  let lastKeydown = 0;
  document.addEventListener('keydown', (e) => (lastKeydown = e.timeStamp), true);

  win.__uiProbe = {
    planCalls: () => planCalls,
    /**
     * Resolves when plan number `n` has arrived and its `expected` keys are painted in the table (and in the plan
     * panel, with `withPanel`). `ipcMs` is the transport's share: the call leaving the page to its answer arriving.
     */
    async planPainted(
      n: number,
      expected: number,
      timeoutMs: number,
      withPanel: boolean,
    ): Promise<{ receivedToPaintMs: number; ipcMs: number; receivedAt: number; paintedAt: number }> {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        // Checked in each frame's requestAnimationFrame: when it holds there, this very frame draws it.
        await nextFrame();
        const received = performance.getEntriesByName(`plan-received-${n}`)[0];
        const panel = document.querySelector<HTMLElement>('[data-testid="plan-panel"]');
        const panelReady =
          !withPanel ||
          (panel && panel.getAttribute('aria-busy') !== 'true' && panel.querySelector('[data-testid^="plan-group-"]'));
        const ready = received && tableCount() === String(expected) && panelReady;
        if (ready) {
          const paintedAt = await new Promise<number>((resolve) => setTimeout(() => resolve(performance.now()), 0));
          performance.mark(`plan-painted-${n}`);
          const sentAt = performance.getEntriesByName(`plan-sent-${n}`)[0]?.startTime ?? received.startTime;
          return {
            receivedToPaintMs: paintedAt - received.startTime,
            ipcMs: received.startTime - sentAt,
            receivedAt: received.startTime,
            paintedAt,
          };
        }
        if (performance.now() > deadline)
          throw new Error(`plan ${n} was not painted within ${timeoutMs} ms (table count ${tableCount()})`);
      }
    },
    tableCount,
    /**
     * Call before pressing a key; resolves with keydown → paint once the table's row count differs from `before`.
     */
    async keystrokePainted(before: string | null, timeoutMs: number): Promise<{ ms: number; count: string | null }> {
      // A MutationObserver fires in the microtask right after React commits, before that frame is drawn, so the
      // next paint is the one that shows the change (polling could notice it a frame late).
      const changed = new Promise<string | null>((resolve, reject) => {
        const check = () => {
          const count = tableCount();
          if (count !== before && lastKeydown > 0) {
            observer.disconnect();
            clearTimeout(timer);
            resolve(count);
          }
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, {
          subtree: true,
          childList: true,
          attributes: true,
          attributeFilter: ['data-count'],
        });
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`the table did not change within ${timeoutMs} ms after a keystroke`));
        }, timeoutMs);
        check();
      });
      const count = await changed;
      const paintedAt = await afterNextPaint();
      return { ms: paintedAt - lastKeydown, count };
    },
    resetKeydown() {
      lastKeydown = 0;
    },
  };
}
