import { create } from 'zustand';

/** In the order of the mod+1…9 shortcuts: a new screen goes last, so the numbers people learnt stay. */
export const SCREENS = ['projects', 'aws', 'logins', 'rotation', 'audit', 'settings', 'services'] as const;
export type Screen = (typeof SCREENS)[number];

/** `key`: the key drawer (which key: the shared-secrets store). */
type Panel = 'plan' | 'editor' | 'new-profile' | 'key' | null;

interface Toast {
  id: number;
  text: string;
  tone: 'ok' | 'warn' | 'bad' | 'info';
}

interface AppState {
  screen: Screen;
  /** The project shown on the Projects screen; null shows the projects overview. */
  projectDir: string | null;
  profile: string | null;
  /** The detail panel beside the profile's keys table. */
  panel: Panel;
  paletteOpen: boolean;
  /** Icons only, to give the page the width (remembered). */
  sidebarCollapsed: boolean;
  toasts: Toast[];
  go(screen: Screen): void;
  showProject(dir: string | null, profile?: string | null): void;
  selectProfile(profile: string | null): void;
  setPanel(panel: Panel): void;
  setPalette(open: boolean): void;
  toggleSidebar(): void;
  /** Toasts say what happened in words; they never carry a secret value. */
  toast(text: string, tone?: Toast['tone']): void;
  dismissToast(id: number): void;
}

let toastSeq = 0;

/** The sidebar's collapsed state is the window's own preference, kept across restarts in the page's storage. */
const SIDEBAR_KEY = 'latchkey.sidebar-collapsed';

function storedSidebarCollapsed(): boolean {
  try {
    return globalThis.localStorage?.getItem(SIDEBAR_KEY) === '1';
  } catch {
    // Storage refused (a sandboxed test page): the sidebar starts expanded.
    return false;
  }
}

function storeSidebarCollapsed(collapsed: boolean): void {
  try {
    globalThis.localStorage?.setItem(SIDEBAR_KEY, collapsed ? '1' : '0');
  } catch {
    // Not remembered; the toggle still works for this session.
  }
}

export const useApp = create<AppState>((set, get) => ({
  screen: 'projects',
  projectDir: null,
  profile: null,
  panel: null,
  paletteOpen: false,
  sidebarCollapsed: storedSidebarCollapsed(),
  toasts: [],
  go: (screen) => set({ screen }),
  showProject: (dir, profile = null) => set({ screen: 'projects', projectDir: dir, profile, panel: null }),
  selectProfile: (profile) => {
    if (get().profile !== profile) set({ profile, panel: null });
  },
  setPanel: (panel) => set({ panel }),
  setPalette: (paletteOpen) => set({ paletteOpen }),
  toggleSidebar: () => {
    const sidebarCollapsed = !get().sidebarCollapsed;
    storeSidebarCollapsed(sidebarCollapsed);
    set({ sidebarCollapsed });
  },
  toast: (text, tone = 'info') => {
    const id = ++toastSeq;
    set((s) => ({ toasts: [...s.toasts.slice(-3), { id, text, tone }] }));
    setTimeout(() => get().dismissToast(id), tone === 'bad' ? 8000 : 4000);
  },
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));
