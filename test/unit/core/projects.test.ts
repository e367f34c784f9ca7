import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  forgetProject,
  listProjectEntries,
  MAX_RECENT_PROJECTS,
  projectsPath,
  recordProject,
  summarizeProject,
} from '../../../main/core/projects';

let root: string;
let appDir: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'latchkey-projects-'));
  appDir = path.join(root, 'home');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function folder(name: string, manifest?: string): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  if (manifest !== undefined) await writeFile(path.join(dir, 'latchkey.yml'), manifest);
  return dir;
}

describe('recent projects', () => {
  it('lists the most recently opened first, once each, in a 0600 file', async () => {
    const a = await folder('a');
    const b = await folder('b');
    await recordProject(appDir, a, new Date('2026-01-01T00:00:00Z'));
    await recordProject(appDir, b, new Date('2026-01-02T00:00:00Z'));
    await recordProject(appDir, a, new Date('2026-01-03T00:00:00Z'));
    expect(await listProjectEntries(appDir)).toEqual([
      { dir: a, lastOpened: '2026-01-03T00:00:00.000Z' },
      { dir: b, lastOpened: '2026-01-02T00:00:00.000Z' },
    ]);
    expect((await stat(projectsPath(appDir))).mode & 0o777).toBe(0o600);
  });

  it('forgets a folder without touching it', async () => {
    const a = await folder('a', 'version: 1\n');
    await recordProject(appDir, a);
    expect(await forgetProject(appDir, a)).toBe(true);
    expect(await forgetProject(appDir, a)).toBe(false);
    expect(await listProjectEntries(appDir)).toEqual([]);
    expect((await stat(path.join(a, 'latchkey.yml'))).isFile()).toBe(true);
  });

  it('keeps the list short', async () => {
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < MAX_RECENT_PROJECTS + 5; i++)
      await recordProject(appDir, path.join(root, `p${i}`), new Date(base + i * 1000));
    const entries = await listProjectEntries(appDir);
    expect(entries).toHaveLength(MAX_RECENT_PROJECTS);
    expect(entries[0]!.dir).toBe(path.join(root, `p${MAX_RECENT_PROJECTS + 4}`));
  });

  it('records concurrent opens without losing one', async () => {
    const dirs = await Promise.all(['a', 'b', 'c', 'd'].map((n) => folder(n)));
    await Promise.all(dirs.map((d) => recordProject(appDir, d)));
    expect((await listProjectEntries(appDir)).map((e) => e.dir).sort()).toEqual([...dirs].sort());
  });

  it('treats a corrupt registry as empty and then replaces it', async () => {
    await mkdir(appDir, { recursive: true });
    await writeFile(projectsPath(appDir), '{"version": 2, "projects": "nope"}');
    expect(await listProjectEntries(appDir)).toEqual([]);
    const a = await folder('a');
    await recordProject(appDir, a);
    expect((await listProjectEntries(appDir)).map((e) => e.dir)).toEqual([a]);
  });
});

describe('summarizeProject', () => {
  const lastOpened = '2026-01-01T00:00:00.000Z';
  const valid = 'version: 1\nprofiles:\n  dev:\n    sources:\n      - set: { A: b }\n';

  it('tells ok, no-manifest, invalid and missing apart', async () => {
    const ok = await folder('ok', valid);
    const empty = await folder('empty');
    const broken = await folder('broken', 'version: 1\nprofiles: [\n');
    expect(await summarizeProject({ dir: ok, lastOpened })).toEqual({
      dir: ok,
      name: 'ok',
      manifestPath: path.join(ok, 'latchkey.yml'),
      lastOpened,
      state: 'ok',
    });
    expect(await summarizeProject({ dir: empty, lastOpened })).toMatchObject({
      name: 'empty',
      manifestPath: null,
      state: 'no-manifest',
    });
    expect(await summarizeProject({ dir: broken, lastOpened })).toMatchObject({
      manifestPath: path.join(broken, 'latchkey.yml'),
      state: 'invalid',
    });
    expect(await summarizeProject({ dir: path.join(root, 'gone'), lastOpened })).toMatchObject({
      manifestPath: null,
      state: 'missing',
    });
  });

  it('does not look above the folder for a manifest', async () => {
    await writeFile(path.join(root, 'latchkey.yml'), valid);
    const child = await folder('child');
    expect(await summarizeProject({ dir: child, lastOpened })).toMatchObject({ state: 'no-manifest' });
  });
});
