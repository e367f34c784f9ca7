import type { Router } from './router';

/** A router that knows which of its calls have not answered yet. */
export interface TrackedRouter extends Router {
  /**
   * Resolves once every call under way has answered, or after `limitMs`, whichever comes first: whether they all
   * answered. Calls that start meanwhile are waited for too.
   */
  settled(limitMs: number): Promise<boolean>;
}

/**
 * The backend's calls write in the app-data folder (the plan's cache, sync state, audit lines) before they answer.
 * Disposing the backend while one runs let its write land after the window was gone: in the e2e harness, in a folder
 * being removed. Dispose waits for them, for a while: a call still running by then (a long plan) is left to the
 * process's end, and every write is atomic.
 */
export function trackCalls(router: Router): TrackedRouter {
  const underWay = new Set<Promise<unknown>>();
  return {
    handle(method, sender, payload) {
      const call = router.handle(method, sender, payload);
      underWay.add(call);
      // The router never rejects; `finally` only forgets the call once it has answered.
      void call.finally(() => underWay.delete(call));
      return call;
    },
    async settled(limitMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const limit = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), limitMs)));
      const drained = (async () => {
        while (underWay.size > 0) await Promise.allSettled([...underWay]);
        return true as const;
      })();
      try {
        return await Promise.race([drained, limit]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
