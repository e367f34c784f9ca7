import type { Settings } from '../../contract/ipc';
import { loadSettings, updateSettings, type SettingsPatch } from '../core/settings';
import { recordAudit } from './audit-trail';
import type { AppDeps } from './deps';

export function readSettings(deps: AppDeps): Promise<Settings> {
  return loadSettings(deps.runtime.appDir);
}

/** Saves a partial update; the audit names the settings that changed, and nothing when none did. */
export async function changeSettings(deps: AppDeps, patch: SettingsPatch): Promise<Settings> {
  const { settings, changed } = await updateSettings(deps.runtime.appDir, patch);
  if (changed.length > 0) await recordAudit(deps, { action: 'settings.change', keys: changed, outcome: 'ok' });
  return settings;
}
