import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../contract/ipc/settings';
import { errorCode, writeFileAtomic } from './atomic-write';
import { LatchkeyError } from './errors';
import { ensurePrivateDir } from './paths';
import { serialized } from './serial-queue';

/** The app's preferences, in the app-data folder next to the state and the audit log. Never a secret value. */
const SETTINGS_FILE = 'settings.json';

const SETTING_NAMES = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];

export function settingsPath(appDir: string): string {
  return path.join(appDir, SETTINGS_FILE);
}

/**
 * The saved settings over the defaults. A setting that is missing or no longer valid (an older or hand-edited
 * file) falls back to its default on its own, so one bad field does not reset the others.
 */
export async function loadSettings(appDir: string): Promise<Settings> {
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(settingsPath(appDir), 'utf8'));
  } catch (error) {
    // Missing is the normal first run; unreadable JSON is treated the same: settings are only preferences.
    if (errorCode(error) && errorCode(error) !== 'ENOENT') {
      throw new LatchkeyError('WRITE_FAILED', `Cannot read ${settingsPath(appDir)} (${errorCode(error)})`);
    }
    return { ...DEFAULT_SETTINGS };
  }
  const saved = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const name of SETTING_NAMES) {
    const field = SettingsSchema.shape[name].safeParse(saved[name]);
    if (field.success) settings[name] = field.data;
  }
  return settings as Settings;
}

export interface SettingsUpdate {
  settings: Settings;
  /** Names of the settings whose value changed: what the audit trail records. */
  changed: (keyof Settings)[];
}

const queues = new Map<string, Promise<unknown>>();

/** Applies a partial update, validated as a whole, and writes the file (0600, atomically) when anything changed. */
/** Settings to change; one left out or undefined keeps its value (the IPC input's optional fields may be either). */
export type SettingsPatch = { [K in keyof Settings]?: Settings[K] | undefined };

export function updateSettings(appDir: string, patch: SettingsPatch): Promise<SettingsUpdate> {
  return serialized(queues, appDir, async () => {
    const current = await loadSettings(appDir);
    const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    const parsed = SettingsSchema.safeParse({ ...current, ...defined });
    if (!parsed.success) {
      const names = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? '(root)')))];
      throw new LatchkeyError('INVALID_INPUT', `Invalid setting${names.length === 1 ? '' : 's'}: ${names.join(', ')}`);
    }
    const next = parsed.data;
    const changed = SETTING_NAMES.filter((name) => next[name] !== current[name]);
    if (changed.length > 0) {
      await ensurePrivateDir(appDir);
      await writeFileAtomic(settingsPath(appDir), `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    }
    return { settings: next, changed };
  });
}
