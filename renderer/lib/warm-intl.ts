import { whenIdle } from './idle';

/**
 * The first number or time the page formats loads the browser's locale data: 35–80 ms for a number and 5–10 more
 * for a time, measured in the bench's Chromium, once per window. Paid inside a render (the first count in the keys
 * table's facets, the action bar's summary) it made a long task of an otherwise short one; paid in an idle moment,
 * it was still one task over 50 ms of its own (issue 14, item 5). That data is kept for the whole renderer process,
 * so a worker loads it, and the main thread never waits for it.
 */
export function warmIntl(): void {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./warm-intl.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    warmIntlWhenIdle();
    return;
  }
  worker.addEventListener('message', () => worker.terminate(), { once: true });
  // A worker that cannot start (a stricter policy, an old engine) leaves the warm-up to the main thread, as before.
  worker.addEventListener(
    'error',
    () => {
      worker.terminate();
      warmIntlWhenIdle();
    },
    { once: true },
  );
}

/** The same warm-up on the main thread, each format in its own idle moment. */
function warmIntlWhenIdle(): void {
  whenIdle(() => {
    (1_000).toLocaleString();
    whenIdle(() => {
      new Date(0).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
    });
  });
}
