import { useSyncExternalStore } from 'react';

/**
 * One shared one-second clock for every countdown on screen (list rows, detail panel, status bar), so they tick
 * together and the app runs one timer, not one per row. It stops when nothing is subscribed.
 */
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

export function useSecondClock(): number {
  return useSyncExternalStore(subscribe, () => now);
}
