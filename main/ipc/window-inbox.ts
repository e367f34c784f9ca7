/**
 * Holds what main has for the window's page until the page can hear it. A page subscribes to main's events a few
 * tasks after it starts (renderer/lib/subscribe-in-turn.ts), so an event sent on `did-finish-load` can arrive before
 * anyone listens, and a folder named on the command line would be lost. So the page asks for what waited
 * (`menu.pending`) once it listens; from then on each item is sent as it comes, until the page goes away again.
 */
export interface WindowInbox<T> {
  /** Sends `item` now if the page listens, or keeps it for the page's next `take`. */
  post(item: T): void;
  /** The page listens from now on: what waited, oldest first. */
  take(): T[];
  /** The page is reloading, navigating or gone: keep items again until it asks. */
  pageGone(): void;
}

/** `keep`: how many items wait at most (the latest are kept), as many as the page's request may return. */
export function createWindowInbox<T>(deliver: (item: T) => void, { keep }: { keep: number }): WindowInbox<T> {
  let listening = false;
  let waiting: T[] = [];
  return {
    post(item) {
      if (listening) return deliver(item);
      waiting = [...waiting, item].slice(-keep);
    },
    take() {
      listening = true;
      const taken = waiting;
      waiting = [];
      return taken;
    },
    pageGone() {
      listening = false;
    },
  };
}
