import { create } from 'zustand';
import { useApp } from './app-store';

/** Asks the Settings screen to bring its 1Password section into view once it renders. */
export const useOpNav = create<{ requested: number; consumed: number }>(() => ({ requested: 0, consumed: 0 }));

export function goToOpSettings(): void {
  useOpNav.setState((s) => ({ requested: s.requested + 1 }));
  useApp.getState().go('settings');
}
