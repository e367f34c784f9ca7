import { create } from 'zustand';
import type {
  EventPayload,
  IpcError,
  RotateStep,
  SharedKeyView,
  SharedRotateResult,
  OtherUseView,
} from '../../contract/ipc';
import { call } from '../api';
import { useApp } from './app-store';
import { useProfiles, type ProfileRef } from './profile-store';
import { profileRefForMain } from './project-ids';

/**
 * The key drawer and the shared-key rotation: what is behind a key (never a value), a rotation's confirmation,
 * steps and result, and the outcome of a typed write. A typed value never enters this store: the form holds it
 * until it is sent, then forgets it.
 */

export interface SharedKeyRef {
  ref: ProfileRef;
  key: string;
}

interface Described {
  status: 'loading' | 'ready' | 'error';
  view?: SharedKeyView;
  error?: IpcError;
}

export interface Rotation {
  target: SharedKeyRef;
  phase: 'confirm' | 'running' | 'done' | 'error';
  /** The step main last announced while running. */
  step?: RotateStep;
  result?: SharedRotateResult;
  error?: IpcError;
}

interface WriteOutcome {
  status: 'saving' | 'saved' | 'error';
  target: SharedKeyRef;
  previousVersion?: number;
  version?: number;
  otherUses?: OtherUseView[];
  error?: IpcError;
}

interface SharedSecretsState {
  /** The key whose drawer is open beside the keys table. */
  drawer: SharedKeyRef | null;
  described: Record<string, Described>;
  rotation: Rotation | null;
  write: WriteOutcome | null;
  openDrawer(ref: ProfileRef, key: string): void;
  closeDrawer(): void;
  describe(target: SharedKeyRef): Promise<void>;
  /** Shows the confirmation (it names the impact, so what is behind the key is read first). */
  askRotate(target: SharedKeyRef): void;
  closeRotation(): void;
  confirmRotate(): Promise<void>;
  onProgress(payload: EventPayload<'sharedSecrets.progress'>): void;
  /** Writes `value` over `ifVersion`; the value is sent and not kept. True when it was written. */
  save(target: SharedKeyRef, value: string, ifVersion: number): Promise<boolean>;
  clearWrite(): void;
}

export const sharedKeyId = (t: SharedKeyRef) => `${t.ref.dir}\u0000${t.ref.profile}\u0000${t.key}`;

const sameTarget = (a: SharedKeyRef | null | undefined, b: SharedKeyRef) => !!a && sharedKeyId(a) === sharedKeyId(b);

/** After a change at the source, the profile's plan shows it (the key becomes `change`). */
const replan = (ref: ProfileRef) => void useProfiles.getState().runPlan(ref, { quiet: true });

export const useSharedSecrets = create<SharedSecretsState>((set, get) => ({
  drawer: null,
  described: {},
  rotation: null,
  write: null,
  openDrawer: (ref, key) => {
    const target = { ref, key };
    set({ drawer: target, write: null });
    useApp.getState().setPanel('key');
    void get().describe(target);
  },
  closeDrawer: () => {
    set({ drawer: null, write: null });
    if (useApp.getState().panel === 'key') useApp.getState().setPanel(null);
  },
  describe: async (target) => {
    const id = sharedKeyId(target);
    set((s) => ({ described: { ...s.described, [id]: { ...s.described[id], status: 'loading' } } }));
    const result = await call('sharedSecrets.describe', { ...profileRefForMain(target.ref), key: target.key });
    set((s) => ({
      described: {
        ...s.described,
        [id]: result.ok
          ? { status: 'ready', view: result.value }
          : { status: 'error', error: result.error, ...(s.described[id]?.view && { view: s.described[id].view }) },
      },
    }));
  },
  askRotate: (target) => {
    if (get().rotation?.phase === 'running') return;
    set({ rotation: { target, phase: 'confirm' } });
    void get().describe(target);
  },
  closeRotation: () => {
    if (get().rotation?.phase !== 'running') set({ rotation: null });
  },
  confirmRotate: async () => {
    const rotation = get().rotation;
    if (!rotation || rotation.phase !== 'confirm') return;
    const { target } = rotation;
    set({ rotation: { target, phase: 'running', step: 'read' } });
    const result = await call('sharedSecrets.rotate', { ...profileRefForMain(target.ref), key: target.key });
    set((s) =>
      sameTarget(s.rotation?.target, target)
        ? {
            rotation: result.ok
              ? { target, phase: 'done', result: result.value }
              : { target, phase: 'error', error: result.error },
          }
        : s,
    );
    void get().describe(target);
    if (result.ok) replan(target.ref);
  },
  onProgress: (p) => {
    const rotation = get().rotation;
    if (!rotation || rotation.phase !== 'running') return;
    if (rotation.target.ref.profile !== p.profile || rotation.target.key !== p.key) return;
    set({ rotation: { ...rotation, step: p.step } });
  },
  save: async (target, value, ifVersion) => {
    set({ write: { status: 'saving', target } });
    const result = await call('sharedSecrets.write', {
      ...profileRefForMain(target.ref),
      key: target.key,
      value,
      ifVersion,
    });
    set({
      write: result.ok
        ? {
            status: 'saved',
            target,
            previousVersion: result.value.previousVersion,
            version: result.value.version,
            otherUses: result.value.otherUses,
          }
        : { status: 'error', target, error: result.error },
    });
    // A refusal may mean someone else changed it: the drawer shows the version that is current now.
    void get().describe(target);
    if (result.ok) replan(target.ref);
    return result.ok;
  },
  clearWrite: () => set({ write: null }),
}));
