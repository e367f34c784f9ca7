import { create } from 'zustand';
import type { Envelope } from '../../contract/ipc';
import { call } from '../api';
import { useApp } from './app-store';
import type { ProfileRef } from './profile-store';
import { profileRefForMain } from './project-ids';

/**
 * Revealed values live here and nowhere else: not in the profile store, not in history, not persisted. Each one
 * disappears after its timeout, when the window loses focus or is hidden, and when its profile is left.
 */
interface Revealed {
  value: string;
  expiresAt: number;
}

/** Both sides of one change, shown side by side in the plan's review; a side is absent where it has no line. */
interface RevealedSides {
  local?: string | undefined;
  remote?: string | undefined;
  expiresAt: number;
}

interface RevealState {
  values: Record<string, Revealed>;
  /** The review's side-by-side reveals, by the same id as `values` (one key of one profile). */
  sides: Record<string, RevealedSides>;
  pending: Record<string, true>;
  reveal(ref: ProfileRef, name: string, seconds: number): Promise<void>;
  revealSides(ref: ProfileRef, name: string, seconds: number): Promise<void>;
  /** The same for a file secret's change (small text only), kept under fileRevealName(path). */
  revealFileSides(ref: ProfileRef, path: string, seconds: number): Promise<void>;
  hide(id: string): void;
  hideSides(id: string): void;
  hideAll(): void;
}

const timers = new Map<string, ReturnType<typeof setTimeout>>();
/** Bumped on every blur or hide, so an answer that arrives after the window lost focus is dropped. */
let focusGeneration = 0;

export const revealId = (ref: ProfileRef, name: string) => `${ref.dir}\u0000${ref.profile}\u0000${name}`;

/** The side-by-side reveal's own id for its timer and pending flag, kept apart from a single value's. */
export const sidesPendingId = (id: string) => `sides\u0000${id}`;

/** A file secret's reveal id: an env name never holds a colon, so a file can never share a key's id. */
export const fileRevealName = (path: string) => `file:${path}`;

export const useReveal = create<RevealState>((set, get) => ({
  values: {},
  sides: {},
  pending: {},
  reveal: async (ref, name, seconds) => {
    const id = revealId(ref, name);
    set((s) => ({ pending: { ...s.pending, [id]: true } }));
    const generation = focusGeneration;
    const result = await call('secrets.reveal', { ...profileRefForMain(ref), name });
    set((s) => {
      const pending = { ...s.pending };
      delete pending[id];
      return { pending };
    });
    if (!result.ok) {
      useApp.getState().toast(`Could not reveal ${name}: ${result.error.message}`, 'bad');
      return;
    }
    // The window may have lost focus while main answered: then the value is not shown at all.
    if (generation !== focusGeneration || document.visibilityState === 'hidden') return;
    clearTimeout(timers.get(id));
    timers.set(
      id,
      setTimeout(() => get().hide(id), seconds * 1000),
    );
    set((s) => ({
      values: { ...s.values, [id]: { value: result.value.value, expiresAt: Date.now() + seconds * 1000 } },
    }));
  },
  revealSides: (ref, name, seconds) =>
    showSides(revealId(ref, name), name, seconds, () =>
      call('secrets.revealChange', { ...profileRefForMain(ref), name }),
    ),
  revealFileSides: (ref, path, seconds) =>
    showSides(revealId(ref, fileRevealName(path)), path, seconds, () =>
      call('secrets.revealFileChange', { ...profileRefForMain(ref), path }),
    ),
  hideSides: (id) => {
    clearTimeout(timers.get(sidesPendingId(id)));
    timers.delete(sidesPendingId(id));
    set((s) => {
      if (!(id in s.sides)) return s;
      const sides = { ...s.sides };
      delete sides[id];
      return { sides };
    });
  },
  hide: (id) => {
    clearTimeout(timers.get(id));
    timers.delete(id);
    set((s) => {
      if (!(id in s.values)) return s;
      const values = { ...s.values };
      delete values[id];
      return { values };
    });
  },
  hideAll: () => {
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
    if (Object.keys(get().values).length) set({ values: {} });
    if (Object.keys(get().sides).length) set({ sides: {} });
  },
}));

/** Asks main for both sides of a change, and shows them for `seconds` unless the window lost focus meanwhile. */
async function showSides(
  id: string,
  subject: string,
  seconds: number,
  ask: () => Promise<Envelope<{ local?: string | undefined; remote?: string | undefined }>>,
): Promise<void> {
  const pendingId = sidesPendingId(id);
  useReveal.setState((s) => ({ pending: { ...s.pending, [pendingId]: true } }));
  const generation = focusGeneration;
  const result = await ask();
  useReveal.setState((s) => {
    const pending = { ...s.pending };
    delete pending[pendingId];
    return { pending };
  });
  if (!result.ok) {
    useApp.getState().toast(`Could not reveal ${subject}: ${result.error.message}`, 'bad');
    return;
  }
  if (generation !== focusGeneration || document.visibilityState === 'hidden') return;
  clearTimeout(timers.get(pendingId));
  timers.set(
    pendingId,
    setTimeout(() => useReveal.getState().hideSides(id), seconds * 1000),
  );
  const { local, remote } = result.value;
  useReveal.setState((s) => ({
    sides: { ...s.sides, [id]: { local, remote, expiresAt: Date.now() + seconds * 1000 } },
  }));
}

/** Installs the blur/visibility rules once for the whole window. */
export function installRevealGuards(): () => void {
  const hideAll = () => {
    focusGeneration++;
    useReveal.getState().hideAll();
  };
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') hideAll();
  };
  window.addEventListener('blur', hideAll);
  document.addEventListener('visibilitychange', onVisibility);
  return () => {
    window.removeEventListener('blur', hideAll);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
