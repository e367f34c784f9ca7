import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LatchkeyError } from '../../../main/core/errors';
import { DEFAULT_SETTINGS } from '../../../contract/ipc';
import { loadSettings, settingsPath, updateSettings } from '../../../main/core/settings';

let appDir: string;
beforeEach(async () => {
  appDir = path.join(await mkdtemp(path.join(tmpdir(), 'latchkey-settings-')), 'home');
});
afterEach(async () => {
  await rm(path.dirname(appDir), { recursive: true, force: true });
});

describe('settings', () => {
  it('starts from the defaults, with no file written', async () => {
    expect(await loadSettings(appDir)).toEqual({
      theme: 'system',
      revealSeconds: 15,
      clipboardClearSeconds: 30,
      confirmBeforeSync: true,
      editorCommand: '',
      // Desktop notifications are opt-in.
      notifications: false,
    });
    expect(DEFAULT_SETTINGS.revealSeconds).toBe(15);
    await expect(stat(settingsPath(appDir))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('saves a partial update in a private folder as 0600 JSON, and says which settings changed', async () => {
    const first = await updateSettings(appDir, { theme: 'dark', revealSeconds: 15 });
    expect(first.changed).toEqual(['theme']);
    expect(first.settings).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    expect((await stat(settingsPath(appDir))).mode & 0o777).toBe(0o600);
    expect((await stat(appDir)).mode & 0o777).toBe(0o700);
    expect(await loadSettings(appDir)).toEqual(first.settings);

    const second = await updateSettings(appDir, { confirmBeforeSync: false, revealSeconds: 20 });
    expect(second.changed.sort()).toEqual(['confirmBeforeSync', 'revealSeconds']);
    expect(await loadSettings(appDir)).toEqual({
      ...DEFAULT_SETTINGS,
      theme: 'dark',
      confirmBeforeSync: false,
      revealSeconds: 20,
    });
  });

  it('writes nothing when nothing changes', async () => {
    const result = await updateSettings(appDir, { theme: 'system' });
    expect(result.changed).toEqual([]);
    await expect(stat(settingsPath(appDir))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses an invalid value by name, keeping the file as it was', async () => {
    await updateSettings(appDir, { theme: 'light' });
    const before = await readFile(settingsPath(appDir), 'utf8');
    const error = await updateSettings(appDir, { revealSeconds: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LatchkeyError);
    expect((error as LatchkeyError).code).toBe('INVALID_INPUT');
    expect((error as LatchkeyError).message).toContain('revealSeconds');
    expect(await readFile(settingsPath(appDir), 'utf8')).toBe(before);
  });

  it('falls back per setting when the file is hand-edited or corrupt', async () => {
    await updateSettings(appDir, { theme: 'dark' });
    await writeFile(
      settingsPath(appDir),
      JSON.stringify({ theme: 'dark', revealSeconds: 'soon', extra: 'ignored', clipboardClearSeconds: 45 }),
    );
    expect(await loadSettings(appDir)).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', clipboardClearSeconds: 45 });
    await writeFile(settingsPath(appDir), '{ not json');
    expect(await loadSettings(appDir)).toEqual(DEFAULT_SETTINGS);
    await writeFile(settingsPath(appDir), '[1,2]');
    expect(await loadSettings(appDir)).toEqual(DEFAULT_SETTINGS);
  });

  it('serializes concurrent updates so that none is lost', async () => {
    await Promise.all([
      updateSettings(appDir, { theme: 'dark' }),
      updateSettings(appDir, { revealSeconds: 30 }),
      updateSettings(appDir, { clipboardClearSeconds: 60 }),
      updateSettings(appDir, { confirmBeforeSync: false }),
      updateSettings(appDir, { notifications: true }),
    ]);
    expect(await loadSettings(appDir)).toEqual({
      theme: 'dark',
      revealSeconds: 30,
      clipboardClearSeconds: 60,
      confirmBeforeSync: false,
      editorCommand: '',
      notifications: true,
    });
  });
});
