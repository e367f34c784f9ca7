/** Runs `work` in an idle moment of the page (at the latest after 2 s), or after 200 ms where there is no such API. */
export function whenIdle(work: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout: 2_000 });
  else setTimeout(work, 200);
}
