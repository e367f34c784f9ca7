import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Electron's `app.getName()` for our productName; the userData folder is named after it. */
const APP_FOLDER_NAME = 'Latchkey';

type Env = Record<string, string | undefined>;

/**
 * The app-data folder shared by the app and the CLI: sync state, settings, audit log. No secret values live here.
 * `LATCHKEY_HOME` overrides it (tests, portable setups). Otherwise it is the folder Electron's
 * `app.getPath('userData')` gives for productName "Latchkey", so the CLI finds what the app wrote and vice versa.
 * The Electron side should set userData to this function's result so that the two cannot drift apart.
 */
export function appDataDir(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = nonEmpty(env.LATCHKEY_HOME);
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (override) return p.resolve(override);
  return p.join(systemAppDataDir(env, platform), APP_FOLDER_NAME);
}

/** Electron's `app.getPath('appData')`, per platform. */
function systemAppDataDir(env: Env, platform: NodeJS.Platform): string {
  if (platform === 'win32') {
    const appData = nonEmpty(env.APPDATA);
    if (appData) return appData;
    return path.win32.join(homeDir(env, platform), 'AppData', 'Roaming');
  }
  if (platform === 'darwin') return path.posix.join(homeDir(env, platform), 'Library', 'Application Support');
  // Linux and the other XDG platforms.
  return nonEmpty(env.XDG_CONFIG_HOME) ?? path.posix.join(homeDir(env, platform), '.config');
}

function homeDir(env: Env, platform: NodeJS.Platform): string {
  const fromEnv = platform === 'win32' ? nonEmpty(env.USERPROFILE) : nonEmpty(env.HOME);
  return fromEnv ?? os.homedir();
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value : undefined;
}

/** Creates the app-data folder if needed and keeps it private to the user (0700). Returns its path. */
export async function ensureAppDataDir(
  env: Env = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<string> {
  const dir = appDataDir(env, platform);
  await ensurePrivateDir(dir);
  return dir;
}

/** mkdir -p with 0700, and tighten an existing folder to 0700 (it holds our state and audit log). */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') await fs.chmod(dir, 0o700);
}
