import { create } from 'zustand';
import type { EventPayload, IpcError, RotationScanView } from '../../contract/ipc';
import { call } from '../api';

/** The Rotation worklist as the window keeps it: the last scan (or the partial one under way), never a value. */
interface RotationState {
  scan: RotationScanView | null;
  scanning: boolean;
  progress: { done: number; total: number } | null;
  error: IpcError | null;
  run(): Promise<void>;
  onProgress(payload: EventPayload<'rotation.progress'>): void;
}

export const useRotation = create<RotationState>((set, get) => ({
  scan: null,
  scanning: false,
  progress: null,
  error: null,
  run: async () => {
    if (get().scanning) return;
    set({ scanning: true, error: null, progress: null });
    const result = await call('rotation.scan', {});
    if (result.ok) set({ scan: result.value, scanning: false, progress: null });
    // A failed scan keeps the last rows: they are still the best the window knows.
    else set({ scanning: false, progress: null, error: result.error });
  },
  onProgress: ({ done, total, ...partial }) => {
    if (!get().scanning) return;
    set({ scan: partial, progress: { done, total } });
  },
}));
