import type { Theme } from '../../contract/ipc';
import type { IconId } from '../components/icons';

/** Each theme in the app's words, in the order Settings offers them. */
export const THEME_LOOKS: Record<Theme, { label: string; icon: IconId }> = {
  system: { label: 'System', icon: 'monitor' },
  light: { label: 'Light', icon: 'sun' },
  dark: { label: 'Dark', icon: 'moon' },
};
