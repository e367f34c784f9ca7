/** A tiny "something changed" signal: the app's own event, so a listener never has to wrap the callers. */
export interface ChangeSignal {
  notify(): void;
  /** Returns the function that stops listening. */
  subscribe(listener: () => void): () => void;
}

export function createChangeSignal(): ChangeSignal {
  const listeners = new Set<() => void>();
  return {
    notify() {
      for (const listener of listeners) {
        try {
          listener();
        } catch {
          // A listener's failure (a menu that could not rebuild) is its own; the change itself happened.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
