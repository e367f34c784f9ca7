import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import type { ProjectSummary } from '../../contract/ipc';
import { errorCode, writeFileAtomic } from './atomic-write';
import { LatchkeyError } from './errors';
import { loadManifest, MANIFEST_FILE_NAMES } from './manifest';
import { ensurePrivateDir } from './paths';
import { serialized } from './serial-queue';

/** The recent-projects list the app shows on its start screen: folders and when they were opened. No secrets. */
const PROJECTS_FILE = 'projects.json';
export const MAX_RECENT_PROJECTS = 50;

const ProjectEntrySchema = z.object({ dir: z.string().min(1), lastOpened: z.string() });
const RegistrySchema = z.object({ version: z.literal(1), projects: z.array(ProjectEntrySchema) });
export type ProjectEntry = z.infer<typeof ProjectEntrySchema>;

export function projectsPath(appDir: string): string {
  return path.join(appDir, PROJECTS_FILE);
}

/** Most recently opened first. A missing or unreadable registry is an empty one: it only remembers folders. */
export async function listProjectEntries(appDir: string): Promise<ProjectEntry[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(projectsPath(appDir), 'utf8'));
  } catch (error) {
    if (errorCode(error) && errorCode(error) !== 'ENOENT') {
      throw new LatchkeyError('WRITE_FAILED', `Cannot read ${projectsPath(appDir)} (${errorCode(error)})`);
    }
    return [];
  }
  const parsed = RegistrySchema.safeParse(raw);
  if (!parsed.success) return [];
  return [...parsed.data.projects].sort((a, b) => b.lastOpened.localeCompare(a.lastOpened));
}

const queues = new Map<string, Promise<unknown>>();

/** Puts `dir` at the top of the list (absolute paths only), keeping the list short. */
export function recordProject(appDir: string, dir: string, now: Date = new Date()): Promise<ProjectEntry> {
  const entry = { dir: path.resolve(dir), lastOpened: now.toISOString() };
  return serialized(queues, appDir, async () => {
    const others = (await listProjectEntries(appDir)).filter((p) => p.dir !== entry.dir);
    await saveEntries(appDir, [entry, ...others].slice(0, MAX_RECENT_PROJECTS));
    return entry;
  });
}

/** Removes `dir` from the list; true when it was there. The folder itself is never touched. */
export function forgetProject(appDir: string, dir: string): Promise<boolean> {
  const abs = path.resolve(dir);
  return serialized(queues, appDir, async () => {
    const entries = await listProjectEntries(appDir);
    const kept = entries.filter((p) => p.dir !== abs);
    if (kept.length === entries.length) return false;
    await saveEntries(appDir, kept);
    return true;
  });
}

async function saveEntries(appDir: string, projects: ProjectEntry[]): Promise<void> {
  await ensurePrivateDir(appDir);
  const data: z.infer<typeof RegistrySchema> = { version: 1, projects };
  await writeFileAtomic(projectsPath(appDir), `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
}

/** What the start screen shows for one folder (the app adds the id): still there, a manifest, does it parse. */
export async function summarizeProject(entry: ProjectEntry): Promise<Omit<ProjectSummary, 'id'>> {
  const base = { dir: entry.dir, name: path.basename(entry.dir) || entry.dir, lastOpened: entry.lastOpened };
  if (!(await isFolder(entry.dir))) return { ...base, manifestPath: null, state: 'missing' };
  const manifestPath = await firstManifestFile(entry.dir);
  if (!manifestPath) return { ...base, manifestPath: null, state: 'no-manifest' };
  try {
    await loadManifest({ dir: entry.dir });
    return { ...base, manifestPath, state: 'ok' };
  } catch (error) {
    if (error instanceof LatchkeyError && error.code === 'MANIFEST_NOT_FOUND')
      return { ...base, manifestPath: null, state: 'no-manifest' };
    if (error instanceof LatchkeyError) return { ...base, manifestPath, state: 'invalid' };
    throw error;
  }
}

async function firstManifestFile(dir: string): Promise<string | null> {
  for (const name of MANIFEST_FILE_NAMES) {
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat?.isFile()) return file;
  }
  return null;
}

export async function isFolder(dir: string): Promise<boolean> {
  const stat = await fs.stat(dir).catch(() => undefined);
  return stat?.isDirectory() ?? false;
}
