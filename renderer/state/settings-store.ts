import { create } from 'zustand';
import { DEFAULT_SETTINGS, type IpcError, type Settings } from '../../contract/ipc';
import { call } from '../api';

interface SettingsState {
  settings: Settings;
  loaded: boolean;
  error: IpcError | null;
  saving: boolean;
  load(): Promise<void>;
  update(patch: Partial<Settings>): Promise<boolean>;
}

export const useSettings = create<SettingsState>((set, get) => ({
  settings: DEFAULT_SETTINGS,
  loaded: false,
  error: null,
  saving: false,
  load: async () => {
    const result = await call('settings.get', {});
    if (result.ok) set({ settings: result.value.settings, loaded: true, error: null });
    else set({ loaded: true, error: result.error });
  },
  update: async (patch) => {
    const before = get().settings;
    set({ settings: { ...before, ...patch }, saving: true });
    const result = await call('settings.set', { settings: patch });
    if (result.ok) {
      set({ settings: result.value.settings, saving: false, error: null });
      return true;
    }
    set({ settings: before, saving: false, error: result.error });
    return false;
  },
}));
