import { create } from 'zustand';
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

interface RevealState {
  values: Record<string, Revealed>;
  pending: Record<string, true>;
  reveal(ref: ProfileRef, name: string, seconds: number): Promise<void>;
  hide(id: string): void;
  hideAll(): void;
}

const timers = new Map<string, ReturnType<typeof setTimeout>>();
/** Bumped on every blur or hide, so an answer that arrives after the window lost focus is dropped. */
let focusGeneration = 0;

export const revealId = (ref: ProfileRef, name: string) => `${ref.dir}\u0000${ref.profile}\u0000${name}`;

export const useReveal = create<RevealState>((set, get) => ({
  values: {},
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
  },
}));

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
