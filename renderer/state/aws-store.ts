import { create } from 'zustand';
import type { AwsKeyView, AwsProfileView, EventPayload, IpcError } from '../../contract/ipc';
import { call } from '../api';
import { isMfaAsk } from '../aws/looks';
import { useApp } from './app-store';

type KeysLoad = { status: 'loading' } | { status: 'ready'; keys: AwsKeyView[] } | { status: 'error'; error: IpcError };

/** What a started session is for: a plain login, or one that also writes `[default]`. */
type SessionPurpose = 'login' | 'default';

/** The inline MFA code field: open for one profile at a time, wherever the session was asked for. */
interface MfaAsk {
  profile: string;
  purpose: SessionPurpose;
  /** Why the last code was refused (a wrong or expired code), in words. */
  error?: string;
}

export type AwsAction = 'start' | 'refresh' | 'stop' | 'default' | 'import' | 'rotate';

interface AwsState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: IpcError | null;
  profiles: AwsProfileView[];
  selected: string | null;
  keys: Record<string, KeysLoad>;
  /** The action running for a profile, so its button spins and the others wait. */
  busy: Record<string, AwsAction | undefined>;
  /** The last failure of an action on a profile, shown in the detail panel with the shared error panel. */
  failures: Record<string, { action: AwsAction; error: IpcError } | undefined>;
  mfa: MfaAsk | null;
  /** Profiles whose running session main could not renew without a new MFA code. */
  needsMfa: Record<string, true | undefined>;
  load(quiet?: boolean): Promise<void>;
  select(name: string | null): void;
  loadKeys(name: string, force?: boolean): Promise<void>;
  start(name: string, purpose?: SessionPurpose, action?: AwsAction, mfaCode?: string): Promise<boolean>;
  submitMfa(code: string): Promise<boolean>;
  cancelMfa(): void;
  stop(name: string): Promise<void>;
  importKeys(name: string, removePlaintext: boolean): Promise<boolean>;
  rotate(name: string): Promise<boolean>;
  clearFailure(name: string): void;
  /**
   * The fix offered when a session could not be written over plaintext keys: move them into the keychain (the
   * plaintext removed, a backup kept), then start the session that failed, with its MFA code when still fresh.
   */
  importInPlace(name: string): Promise<boolean>;
  onSession(event: EventPayload<'aws.session'>): void;
  /** Main's pushed state (state.changed): the profiles and their sessions, as the truth has them. */
  onState(event: EventPayload<'state.changed'>): void;
}

let loadSeq = 0;
/** The newest state main pushed; a list asked for before it landed is older than it and is dropped. */
let stateRevision = 0;
let stateSeen = 0;
/**
 * The MFA code of a start refused before it reached AWS (plaintext keys in the way), kept only in memory and only
 * for the login that follows the import: a TOTP code lasts about 30 s, so an older one is asked for again.
 */
let pendingCode: { profile: string; code: string; at: number } | undefined;
const CODE_FRESH_MS = 25_000;

const sortProfiles = (profiles: AwsProfileView[]) =>
  [...profiles].sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name));

const toast = (text: string, tone: 'ok' | 'warn' | 'bad' | 'info' = 'info') => useApp.getState().toast(text, tone);

export const selectedAwsProfile = (s: Pick<AwsState, 'profiles' | 'selected'>): AwsProfileView | undefined =>
  s.profiles.find((p) => p.name === s.selected);

export const useAws = create<AwsState>((set, get) => {
  const setBusy = (name: string, action: AwsAction | undefined) =>
    set((s) => ({ busy: { ...s.busy, [name]: action } }));
  const setFailure = (name: string, failure: { action: AwsAction; error: IpcError } | undefined) =>
    set((s) => ({ failures: { ...s.failures, [name]: failure } }));
  // Keep the selection while it still exists; otherwise the default profile, else the first.
  const showProfiles = (profiles: AwsProfileView[]) => {
    const selected = get().selected;
    set({
      status: 'ready',
      error: null,
      profiles,
      selected:
        selected && profiles.some((p) => p.name === selected)
          ? selected
          : ((profiles.find((p) => p.isDefault) ?? profiles[0])?.name ?? null),
    });
  };

  return {
    status: 'idle',
    error: null,
    profiles: [],
    selected: null,
    keys: {},
    busy: {},
    failures: {},
    mfa: null,
    needsMfa: {},

    load: async (quiet = false) => {
      const seq = ++loadSeq;
      const seenBefore = stateSeen;
      if (!quiet || get().status !== 'ready') set({ status: 'loading' });
      const result = await call('aws.list', {});
      if (seq !== loadSeq) return;
      if (!result.ok) {
        set({ status: 'error', error: result.error });
        return;
      }
      // main pushed a newer state while this list was on its way: that one stands.
      if (stateSeen !== seenBefore && get().status === 'ready') return;
      showProfiles(sortProfiles(result.value.profiles));
    },

    select: (name) => {
      if (get().selected === name) return;
      set({ selected: name });
    },

    loadKeys: async (name, force = false) => {
      const known = get().keys[name];
      if (known && known.status !== 'error' && !force) return;
      if (!known || known.status !== 'ready') set((s) => ({ keys: { ...s.keys, [name]: { status: 'loading' } } }));
      const result = await call('aws.keys', { profile: name });
      const load: KeysLoad = result.ok
        ? { status: 'ready', keys: result.value.keys }
        : { status: 'error', error: result.error };
      set((s) => ({ keys: { ...s.keys, [name]: load } }));
    },

    start: async (name, purpose = 'login', action = purpose === 'default' ? 'default' : 'start', mfaCode) => {
      if (get().busy[name]) return false;
      setBusy(name, action);
      setFailure(name, undefined);
      if (pendingCode?.profile === name) pendingCode = undefined;
      const result =
        purpose === 'default'
          ? await call('aws.useDefault', { profile: name, ...(mfaCode && { mfaCode }) })
          : await call('aws.login', { profile: name, ...(mfaCode && { mfaCode }) });
      setBusy(name, undefined);
      const profile = get().profiles.find((p) => p.name === name);
      if (!result.ok) {
        // A refused code may come back as ACCESS_DENIED from STS: it still belongs beside the code field.
        const codeRefused = !!mfaCode && /\bmfa\b|one[- ]time|token code/i.test(result.error.message);
        if (isMfaAsk(result.error, profile) || codeRefused) {
          // A code was sent and refused, or none was sent yet: either way, ask (again) inline.
          set({ mfa: { profile: name, purpose, ...(mfaCode && { error: result.error.message }) } });
          return false;
        }
        if (get().mfa?.profile === name) set({ mfa: null });
        // Refused before AWS saw it (main checks the file first): the code still works for the login after Import.
        if (mfaCode && result.error.code === 'TARGET_UNSAFE')
          pendingCode = { profile: name, code: mfaCode, at: Date.now() };
        setFailure(name, { action, error: result.error });
        return false;
      }
      if (get().mfa?.profile === name) set({ mfa: null });
      set((s) => ({ needsMfa: { ...s.needsMfa, [name]: undefined } }));
      // No session is patched in here: main pushes the state it now derives from the files (state.changed).
      toast(purpose === 'default' ? `${name} is now the default profile` : `Started a session for ${name}`, 'ok');
      void get().load(true);
      return true;
    },

    submitMfa: async (code) => {
      const ask = get().mfa;
      if (!ask) return false;
      return get().start(ask.profile, ask.purpose, ask.purpose === 'default' ? 'default' : 'start', code);
    },

    cancelMfa: () => set({ mfa: null }),

    stop: async (name) => {
      if (get().busy[name]) return;
      setBusy(name, 'stop');
      setFailure(name, undefined);
      const result = await call('aws.logout', { profile: name });
      setBusy(name, undefined);
      if (!result.ok) {
        setFailure(name, { action: 'stop', error: result.error });
        return;
      }
      toast(`Stopped the session for ${name}; its temporary keys are gone from the credentials file`, 'ok');
      void get().load(true);
    },

    importKeys: async (name, removePlaintext) => {
      if (get().busy[name]) return false;
      setBusy(name, 'import');
      setFailure(name, undefined);
      const result = await call('aws.import', { profile: name, removePlaintext });
      setBusy(name, undefined);
      if (!result.ok) {
        setFailure(name, { action: 'import', error: result.error });
        return false;
      }
      const { removedPlaintext, backup } = result.value;
      toast(
        removedPlaintext
          ? `Moved the keys of ${name} into the keychain and removed them from the credentials file${backup ? ` (backup: ${backup})` : ''}`
          : `Copied the keys of ${name} into the keychain; the credentials file still holds them`,
        'ok',
      );
      void get().load(true);
      void get().loadKeys(name, true);
      return true;
    },

    rotate: async (name) => {
      if (get().busy[name]) return false;
      setBusy(name, 'rotate');
      setFailure(name, undefined);
      const result = await call('aws.rotateKey', { profile: name, confirm: true });
      setBusy(name, undefined);
      void get().loadKeys(name, true);
      if (!result.ok) {
        setFailure(name, { action: 'rotate', error: result.error });
        return false;
      }
      const { newKeyIdTail, deletedKeyIdTail } = result.value;
      toast(
        `Rotated the access key of ${name}: now …${newKeyIdTail}${deletedKeyIdTail ? `, …${deletedKeyIdTail} deleted` : ''}`,
        'ok',
      );
      return true;
    },

    clearFailure: (name) => setFailure(name, undefined),

    importInPlace: async (name) => {
      const failed = get().failures[name];
      const purpose: SessionPurpose = failed?.action === 'default' ? 'default' : 'login';
      const code =
        pendingCode?.profile === name && Date.now() - pendingCode.at < CODE_FRESH_MS ? pendingCode.code : undefined;
      pendingCode = undefined;
      if (!(await get().importKeys(name, true))) return false;
      return get().start(
        name,
        purpose,
        failed?.action === 'refresh' ? 'refresh' : purpose === 'default' ? 'default' : 'start',
        code,
      );
    },

    onSession: (event) => {
      // Only what the state does not carry: a session main cannot renew without a new code. The sessions themselves
      // arrive with state.changed.
      const { profile: name, state } = event;
      set((s) => ({ needsMfa: { ...s.needsMfa, [name]: state === 'needs-mfa' ? true : undefined } }));
    },

    onState: (event) => {
      if (event.revision <= stateRevision) return;
      stateRevision = event.revision;
      stateSeen += 1;
      showProfiles(sortProfiles(event.sessions));
    },
  };
});
