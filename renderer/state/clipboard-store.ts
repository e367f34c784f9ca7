import { create } from 'zustand';
import type { ClipboardClearedReason, LoginField } from '../../contract/ipc';

/**
 * What the copy note says. It holds the field and the login's title, never the value: the copy happened in main.
 * `cleared` is set when main reports the clipboard was cleared (or found holding something else).
 */
export interface CopyNote {
  id: number;
  field: LoginField;
  title: string;
  clearsAt: number;
  seconds: number;
  cleared?: ClipboardClearedReason;
}

interface ClipboardState {
  note: CopyNote | null;
  copied(field: LoginField, title: string, clearsInSeconds: number): void;
  cleared(reason: ClipboardClearedReason): void;
  dismiss(): void;
}

let seq = 0;
let dismissTimer: ReturnType<typeof setTimeout> | undefined;

/** How long the "cleared" note stays once main cleared the clipboard. */
const CLEARED_NOTE_MS = 4000;

export const useClipboardNote = create<ClipboardState>((set, get) => ({
  note: null,
  copied: (field, title, clearsInSeconds) => {
    clearTimeout(dismissTimer);
    set({ note: { id: ++seq, field, title, clearsAt: Date.now() + clearsInSeconds * 1000, seconds: clearsInSeconds } });
  },
  cleared: (reason) => {
    const note = get().note;
    if (!note) return;
    set({ note: { ...note, cleared: reason } });
    clearTimeout(dismissTimer);
    dismissTimer = setTimeout(() => {
      if (get().note?.id === note.id) set({ note: null });
    }, CLEARED_NOTE_MS);
  },
  dismiss: () => {
    clearTimeout(dismissTimer);
    set({ note: null });
  },
}));
