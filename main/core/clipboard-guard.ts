import type { ClipboardClearedReason } from '../../contract/ipc';

/**
 * Copies a secret to the system clipboard and takes it back later. The clipboard is shared with every other app,
 * so the clear only happens when it still holds exactly what we put there: if the user copied something else
 * meanwhile, that is theirs and stays.
 */
/** Sync or async: Electron 45's clipboard returns promises, a test's fake need not. */
export interface ClipboardPort {
  readText(): string | Promise<string>;
  writeText(text: string): void | Promise<void>;
}

/** Schedules `run` after `ms`; returns the cancel function. Injected so tests need no real waiting. */
type SetTimer = (run: () => void, ms: number) => () => void;

export interface ClipboardGuardOptions {
  emit(event: 'clipboard.cleared', payload: { reason: ClipboardClearedReason }): void;
  setTimer?: SetTimer;
}

export interface ClipboardGuard {
  /** Writes `value` now and clears it after `seconds` if it is still there; replaces any earlier pending copy. */
  copy(value: string, seconds: number): Promise<void>;
  /** Whether a copied value is still waiting for its clear. */
  readonly pending: boolean;
  /** App quit: clears a pending value at once (if the clipboard still holds it) and forgets it. */
  dispose(): Promise<void>;
}

// unref: a pending clear must not keep a CLI or test process alive; the app calls dispose() on quit anyway.
const realTimer: SetTimer = (run, ms) => {
  const handle = setTimeout(run, ms);
  handle.unref?.();
  return () => clearTimeout(handle);
};

export function createClipboardGuard(port: ClipboardPort, options: ClipboardGuardOptions): ClipboardGuard {
  const setTimer = options.setTimer ?? realTimer;
  // The copied value lives here only until its clear (or the next copy): nothing else keeps it.
  let current: { value: string; cancel: () => void } | undefined;

  const stillOurs = async (value: string): Promise<boolean> => {
    try {
      return (await port.readText()) === value;
    } catch {
      return false;
    }
  };

  const emit = (reason: ClipboardClearedReason) => {
    try {
      options.emit('clipboard.cleared', { reason });
    } catch {
      // A window that is gone cannot be told; the clipboard is handled either way.
    }
  };

  const clearNow = async (value: string): Promise<ClipboardClearedReason> => {
    if (!(await stillOurs(value))) return 'replaced';
    try {
      await port.writeText('');
    } catch {
      // Nothing more we can do; the next check (or the next copy) finds the clipboard as it is.
    }
    return 'timeout';
  };

  return {
    async copy(value, seconds) {
      current?.cancel();
      current = undefined;
      await port.writeText(value);
      const entry = {
        value,
        cancel: setTimer(
          () => {
            if (current !== entry) return;
            current = undefined;
            void clearNow(entry.value).then(emit);
          },
          Math.max(0, seconds) * 1000,
        ),
      };
      current = entry;
    },
    get pending() {
      return current !== undefined;
    },
    async dispose() {
      const entry = current;
      current = undefined;
      if (!entry) return;
      entry.cancel();
      await clearNow(entry.value);
    },
  };
}
