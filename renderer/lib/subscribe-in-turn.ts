import { yieldToPage } from './yield';

/**
 * Makes each of `subscriptions` in a task of its own, in order, and returns one function that ends them all (and
 * cancels those not made yet). `window.latchkey.on` is a synchronous call across the context bridge; the window
 * makes eight of them as it starts, and made in the one task that runs the first render's effects they added up
 * to a long task (55–80 ms in the bench's page, issue 14, item 5). One per task, none is long. An event main sends
 * before its subscription is made is not seen, as it would not be before the first render either: nothing the
 * window shows depends on an event sent before it asked for anything (a menu command main has for a page that does
 * not listen yet waits in main until the page asks: `menu.pending`).
 */
export function subscribeInTurn(subscriptions: readonly (() => () => void)[], thenRun?: () => void): () => void {
  const made: (() => void)[] = [];
  let ended = false;
  void (async () => {
    for (const subscribe of subscriptions) {
      await yieldToPage();
      if (ended) return;
      made.push(subscribe());
    }
    // `thenRun` once every subscription is made (never once ended): what it asks main for, the window then hears.
    if (thenRun) {
      await yieldToPage();
      if (!ended) thenRun();
    }
  })();
  return () => {
    if (ended) return;
    ended = true;
    for (const unsubscribe of made.splice(0)) unsubscribe();
  };
}
