import type { ProjectSummary } from '../../contract/ipc';
import { LatchkeyError } from '../core/errors';
import { prunePlanCaches } from '../core/plan-cache';
import {
  forgetProject,
  isFolder,
  listProjectEntries,
  recordProject,
  summarizeProject,
  type ProjectEntry,
} from '../core/projects';
import type { ChangeSignal } from './changes';
import type { AppDeps } from './deps';
import type { ProjectRegistry, RegisteredProject } from './project-registry';
import type { ProjectWatch } from './project-watch';

export interface ProjectsDeps extends AppDeps {
  registry: ProjectRegistry;
  projectWatch?: ProjectWatch;
  /** Told after the list of projects (or what it shows) may have changed. */
  changed: ChangeSignal;
}

/** A recent entry as the window sees it: its summary, under the id the registry gives it. */
async function summaryOf(deps: ProjectsDeps, entry: ProjectEntry): Promise<ProjectSummary> {
  const [{ projectId }, summary] = await Promise.all([deps.registry.admitRecorded(entry.dir), summarizeProject(entry)]);
  return { id: projectId, ...summary };
}

/** The recent projects, most recent first, each with its state (ok, no-manifest, invalid, missing). */
export async function listProjects(deps: ProjectsDeps): Promise<ProjectSummary[]> {
  const entries = await listProjectEntries(deps.runtime.appDir);
  return Promise.all(entries.map((entry) => summaryOf(deps, entry)));
}

/** The projects a "recent" list offers: those whose folder is still there. */
export async function recentProjects(deps: ProjectsDeps): Promise<(RegisteredProject & { name: string })[]> {
  const projects = await listProjects(deps);
  return projects.filter((p) => p.state !== 'missing').map((p) => ({ projectId: p.id, dir: p.dir, name: p.name }));
}

/** Lets in a folder the user chose main-side (the native dialog, the command line): see project-registry.ts. */
export function admitChosenFolder(deps: ProjectsDeps, dir: string): Promise<RegisteredProject> {
  return deps.registry.admitChosen(dir);
}

/**
 * Opens a registered folder and remembers it; its state says whether the UI shows profiles or the guided form
 * (no-manifest).
 */
export async function openProject(deps: ProjectsDeps, projectId: string): Promise<ProjectSummary> {
  const folder = deps.registry.folderOf(projectId);
  if (!(await isFolder(folder))) {
    throw new LatchkeyError(
      'INVALID_INPUT',
      `${folder} is not a folder`,
      'It may have been moved or deleted: pick it again.',
    );
  }
  const entry = await recordProject(deps.runtime.appDir, folder);
  await pruneForgottenPictures(deps);
  const summary = await summarizeProject(entry);
  deps.changed.notify();
  return { id: projectId, ...summary };
}

/** Removes the folder from the recent list and from the registry: the window must be given it again. */
export async function forgetProjectFolder(deps: ProjectsDeps, projectId: string): Promise<void> {
  const folder = deps.registry.folderOf(projectId);
  await forgetProject(deps.runtime.appDir, folder);
  await pruneForgottenPictures(deps);
  deps.registry.drop(projectId);
  deps.projectWatch?.unwatchDir(folder);
  deps.changed.notify();
}

/** Opening can push the oldest project off the list and forgetting removes one: their cached plans go with them. */
async function pruneForgottenPictures(deps: ProjectsDeps): Promise<void> {
  const entries = await listProjectEntries(deps.runtime.appDir);
  await prunePlanCaches(
    deps.runtime.appDir,
    entries.map((entry) => entry.dir),
  );
}
