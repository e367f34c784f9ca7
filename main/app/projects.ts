import type { ProjectSummary } from '../../contract/ipc';
import { LatchkeyError } from '../core/errors';
import { forgetProject, isFolder, listProjectEntries, recordProject, summarizeProject } from '../core/projects';
import type { ChangeSignal } from './changes';
import type { AppDeps } from './deps';
import { projectFolder, type AppProjectRef } from './project-lookup';
import type { ProjectWatch } from './project-watch';

export interface ProjectsDeps extends AppDeps {
  projectWatch?: ProjectWatch;
  /** Told after the list of projects (or what it shows) may have changed. */
  changed: ChangeSignal;
}

/** The recent projects, most recent first, each with its state (ok, no-manifest, invalid, missing). */
export async function listProjects(deps: AppDeps): Promise<ProjectSummary[]> {
  const entries = await listProjectEntries(deps.runtime.appDir);
  return Promise.all(entries.map(summarizeProject));
}

/** The projects a "recent" list offers: those whose folder is still there. */
export async function recentProjects(deps: AppDeps): Promise<{ dir: string; name: string }[]> {
  const projects = await listProjects(deps);
  return projects.filter((p) => p.state !== 'missing').map((p) => ({ dir: p.dir, name: p.name }));
}

/** Remembers the folder; its state says whether the UI shows profiles or the guided form (no-manifest). */
export async function openProject(deps: ProjectsDeps, project: AppProjectRef): Promise<ProjectSummary> {
  const folder = projectFolder(project);
  if (!(await isFolder(folder))) {
    throw new LatchkeyError(
      'INVALID_INPUT',
      `${folder} is not a folder`,
      'It may have been moved or deleted: pick it again.',
    );
  }
  const entry = await recordProject(deps.runtime.appDir, folder);
  const summary = await summarizeProject(entry);
  deps.changed.notify();
  return summary;
}

export async function forgetProjectFolder(deps: ProjectsDeps, project: AppProjectRef): Promise<void> {
  await forgetProject(deps.runtime.appDir, projectFolder(project));
  deps.projectWatch?.unwatchDir(project.dir);
  deps.changed.notify();
}
