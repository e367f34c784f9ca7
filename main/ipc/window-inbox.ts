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

/** More than this waiting is a stuck page, not a user: only the latest are kept. */
const MAX_WAITING = 10;

export function createWindowInbox<T>(deliver: (item: T) => void): WindowInbox<T> {
  let listening = false;
  let waiting: T[] = [];
  return {
    post(item) {
      if (listening) return deliver(item);
      waiting = [...waiting, item].slice(-MAX_WAITING);
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
