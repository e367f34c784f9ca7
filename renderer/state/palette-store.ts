import { create } from 'zustand';
import type { LoginSummary } from '../../contract/ipc';
import { call } from '../api';

/** How many recently run commands the palette remembers, newest first. */
const RECENT_LIMIT = 8;
const RECENT_KEY = 'latchkey.palette-recent';
/** Logins are listed again when the palette opens this long after the last answer. */
const LOGINS_FRESH_MS = 60_000;

interface PaletteState {
  /** Shared logins as summaries (titles, vaults, URLs): never a field value. Empty while 1Password is not set up. */
  logins: LoginSummary[];
  loginsAt: number;
  /** Command ids, newest first (remembered in the page's storage, like the sidebar's state). */
  recent: string[];
  loadLogins(): Promise<void>;
  remember(id: string): void;
}

function storedRecent(): string[] {
  try {
    const parsed: unknown = JSON.parse(globalThis.localStorage?.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(parsed)
      ? parsed.filter((id): id is string => typeof id === 'string').slice(0, RECENT_LIMIT)
      : [];
  } catch {
    // Unreadable or refused storage: no recent commands yet.
    return [];
  }
}

let loginsSeq = 0;

export const usePalette = create<PaletteState>((set, get) => ({
  logins: [],
  loginsAt: 0,
  recent: storedRecent(),

  loadLogins: async () => {
    if (Date.now() - get().loginsAt < LOGINS_FRESH_MS) return;
    const seq = ++loginsSeq;
    set({ loginsAt: Date.now() });
    const result = await call('logins.search', { query: '' });
    if (seq !== loginsSeq) return;
    // Not set up or unreachable: the palette simply has no logins; the Logins screen says why.
    set({ logins: result.ok ? result.value.logins : [] });
  },

  remember: (id) => {
    const recent = [id, ...get().recent.filter((r) => r !== id)].slice(0, RECENT_LIMIT);
    set({ recent });
    try {
      globalThis.localStorage?.setItem(RECENT_KEY, JSON.stringify(recent));
    } catch {
      // Not remembered across restarts; this session still has it.
    }
  },
}));
