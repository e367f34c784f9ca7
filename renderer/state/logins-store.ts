import { create } from 'zustand';
import type { IpcError, LoginDetails, LoginField, LoginSummary } from '../../contract/ipc';
import { call } from '../api';
import { FIELD_WORDS, loginKey } from '../lib/logins';
import { useApp } from './app-store';
import { useClipboardNote } from './clipboard-store';
import { useSettings } from './settings-store';

type DetailsLoad =
  { status: 'loading' } | { status: 'ready'; login: LoginDetails } | { status: 'error'; error: IpcError };

/** A revealed password lives here only, for one login, until its timeout, a blur, or another selection. */
interface RevealedPassword {
  key: string;
  value: string;
  expiresAt: number;
}

interface LoginsState {
  query: string;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: IpcError | null;
  logins: LoginSummary[];
  /** The query the shown results answer, so "no results for …" names the right words while typing. */
  answered: string;
  selected: number;
  details: Record<string, DetailsLoad>;
  revealed: RevealedPassword | null;
  revealPending: boolean;
  copying: LoginField | null;
  setQuery(query: string): void;
  search(query?: string): Promise<void>;
  select(index: number): void;
  move(delta: number): void;
  loadDetails(login: LoginSummary): Promise<void>;
  copy(field: LoginField): Promise<void>;
  reveal(): Promise<void>;
  hide(): void;
  openUrl(): Promise<void>;
}

const SEARCH_DEBOUNCE_MS = 140;
/** Arrowing through the list fetches details only for the row the user stops on. */
const DETAILS_DEBOUNCE_MS = 120;

let searchSeq = 0;
let searchTimer: ReturnType<typeof setTimeout> | undefined;
let detailsTimer: ReturnType<typeof setTimeout> | undefined;
let hideTimer: ReturnType<typeof setTimeout> | undefined;
/** Bumped on every blur or hide, so a reveal answer that arrives after the window lost focus is dropped. */
let focusGeneration = 0;

export const selectedLogin = (s: Pick<LoginsState, 'logins' | 'selected'>): LoginSummary | undefined =>
  s.logins[s.selected];

export const useLogins = create<LoginsState>((set, get) => ({
  query: '',
  status: 'idle',
  error: null,
  logins: [],
  answered: '',
  selected: 0,
  details: {},
  revealed: null,
  revealPending: false,
  copying: null,

  setQuery: (query) => {
    set({ query });
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => void get().search(query), SEARCH_DEBOUNCE_MS);
  },

  search: async (query = get().query) => {
    clearTimeout(searchTimer);
    const seq = ++searchSeq;
    set({ status: 'loading' });
    const result = await call('logins.search', { query: query.trim() });
    if (seq !== searchSeq) return;
    if (!result.ok) {
      set({ status: 'error', error: result.error, logins: [], answered: query });
      return;
    }
    const before = selectedLogin(get());
    const logins = result.value.logins;
    // Keep the same login selected when it is still in the results; otherwise start at the top.
    const keep = before ? logins.findIndex((l) => loginKey(l) === loginKey(before)) : -1;
    set({ status: 'ready', error: null, logins, answered: query, selected: Math.max(0, keep) });
    if (keep === -1) get().hide();
    const first = selectedLogin(get());
    if (first) scheduleDetails(first);
  },

  select: (index) => {
    const { logins, selected } = get();
    if (logins.length === 0) return;
    const next = Math.max(0, Math.min(logins.length - 1, index));
    if (next === selected) return;
    get().hide();
    set({ selected: next });
    scheduleDetails(logins[next]!);
  },

  move: (delta) => get().select(get().selected + delta),

  loadDetails: async (login) => {
    const key = loginKey(login);
    const known = get().details[key];
    if (known && known.status !== 'error') return;
    set((s) => ({ details: { ...s.details, [key]: { status: 'loading' } } }));
    const result = await call('logins.details', { vaultId: login.vaultId, itemId: login.itemId });
    const load: DetailsLoad = result.ok
      ? { status: 'ready', login: result.value.login }
      : { status: 'error', error: result.error };
    set((s) => ({ details: { ...s.details, [key]: load } }));
  },

  copy: async (field) => {
    const login = selectedLogin(get());
    if (!login || get().copying === field) return;
    set({ copying: field });
    const result = await call('logins.copy', { vaultId: login.vaultId, itemId: login.itemId, field });
    if (get().copying === field) set({ copying: null });
    if (!result.ok) {
      useApp
        .getState()
        .toast(
          `Could not copy the ${FIELD_WORDS[field].toLowerCase()} of ${login.title}: ${result.error.message}`,
          'bad',
        );
      return;
    }
    useClipboardNote.getState().copied(result.value.field, login.title, result.value.clearsInSeconds);
  },

  reveal: async () => {
    const login = selectedLogin(get());
    if (!login || get().revealPending) return;
    const key = loginKey(login);
    const generation = focusGeneration;
    set({ revealPending: true });
    const result = await call('logins.reveal', { vaultId: login.vaultId, itemId: login.itemId });
    set({ revealPending: false });
    if (!result.ok) {
      useApp.getState().toast(`Could not reveal the password of ${login.title}: ${result.error.message}`, 'bad');
      return;
    }
    // The window lost focus, or the user moved on, while main answered: then the value is not shown at all.
    const still = selectedLogin(get());
    if (generation !== focusGeneration || document.visibilityState === 'hidden' || !still || loginKey(still) !== key)
      return;
    const seconds = useSettings.getState().settings.revealSeconds;
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => get().hide(), seconds * 1000);
    set({ revealed: { key, value: result.value.value, expiresAt: Date.now() + seconds * 1000 } });
  },

  hide: () => {
    clearTimeout(hideTimer);
    if (get().revealed) set({ revealed: null });
  },

  openUrl: async () => {
    const login = selectedLogin(get());
    if (!login) return;
    const result = await call('logins.openUrl', { vaultId: login.vaultId, itemId: login.itemId });
    if (!result.ok)
      useApp.getState().toast(`Could not open the website of ${login.title}: ${result.error.message}`, 'bad');
  },
}));

function scheduleDetails(login: LoginSummary): void {
  clearTimeout(detailsTimer);
  detailsTimer = setTimeout(() => {
    const current = selectedLogin(useLogins.getState());
    if (current && loginKey(current) === loginKey(login)) void useLogins.getState().loadDetails(login);
  }, DETAILS_DEBOUNCE_MS);
}

/** Hides a revealed password when the window loses focus or is hidden, like the keys table does. */
export function installLoginRevealGuards(): () => void {
  const hide = () => {
    focusGeneration++;
    useLogins.getState().hide();
  };
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') hide();
  };
  window.addEventListener('blur', hide);
  document.addEventListener('visibilitychange', onVisibility);
  return () => {
    window.removeEventListener('blur', hide);
    document.removeEventListener('visibilitychange', onVisibility);
    hide();
  };
}
