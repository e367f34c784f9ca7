import { create } from 'zustand';
import type { IpcError, ManifestView, MethodInput, ProfileDraft, ProjectSummary } from '../../contract/ipc';
import { call } from '../api';
import { useApp } from './app-store';
import { profileKey, useProfiles } from './profile-store';
import { projectIdOf, rememberProjectId } from './project-ids';

type ManifestLoad =
  | { status: 'loading' }
  /**
   * `error`: the file on disk no longer reads (an edit in progress broke it); `manifest` is the last version that
   * did, kept on screen under an error banner rather than replacing the whole view (issue 14, item 11).
   */
  | { status: 'ready'; manifest: ManifestView; error?: IpcError }
  | { status: 'none' }
  | { status: 'error'; error: IpcError };

interface ProjectsState {
  /** null while the first list is loading. */
  projects: ProjectSummary[] | null;
  listError: IpcError | null;
  opening: boolean;
  manifests: Record<string, ManifestLoad>;
  load(): Promise<void>;
  pickAndOpen(): Promise<void>;
  open(dir: string, profile?: string | null): Promise<void>;
  forget(dir: string): Promise<void>;
  loadManifest(dir: string, quiet?: boolean): Promise<void>;
  create(dir: string, input: Omit<MethodInput<'manifest.create'>, 'projectId'>): Promise<IpcError | null>;
  writeProfile(dir: string, previousName: string | undefined, profile: ProfileDraft): Promise<IpcError | null>;
}

/** How long an opening waits for the profile's cached picture before it shows the profile without it. */
const FIRST_PICTURE_WAIT_MS = 120;

/** The chosen profile while the manifest still has it, else the first one. */
function profileToShow(manifest: ManifestView): string | null {
  const chosen = useApp.getState().profile;
  const names = manifest.profiles.map((p) => p.name);
  return chosen && names.includes(chosen) ? chosen : (names[0] ?? null);
}

/**
 * Opening a project: the profile's cached picture is asked for with the manifest in hand, and the profile is shown
 * once its first rows are in (or after a short wait). Shown first, the view painted a skeleton of the table, and
 * only then asked for the picture: a render, a layout and a paint more before the table (issue 14, item 5).
 */
async function firstPictureOf(dir: string, manifest: ManifestView): Promise<void> {
  const profile = useApp.getState().projectDir === dir ? profileToShow(manifest) : null;
  if (!profile) return;
  const ref = { dir, profile };
  const current = useProfiles.getState().byKey[profileKey(ref)];
  if (current && current.plan.status !== 'idle') return; // the view has its plan under way (ProfileView's effect)
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, FIRST_PICTURE_WAIT_MS)));
  await Promise.race([useProfiles.getState().showCachedHead(ref), waited]);
  clearTimeout(timer);
}

/** A known project is updated where it stands (the sidebar does not jump around); a new one goes first. */
function upsert(list: ProjectSummary[] | null, project: ProjectSummary): ProjectSummary[] {
  const current = list ?? [];
  return current.some((p) => p.dir === project.dir)
    ? current.map((p) => (p.dir === project.dir ? project : p))
    : [project, ...current];
}

export const useProjects = create<ProjectsState>((set, get) => ({
  projects: null,
  listError: null,
  opening: false,
  manifests: {},

  load: async () => {
    const result = await call('projects.list', {});
    if (result.ok) {
      for (const p of result.value.projects) rememberProjectId(p.dir, p.id);
      set({ projects: result.value.projects, listError: null });
    } else set({ projects: get().projects ?? [], listError: result.error });
  },

  pickAndOpen: async () => {
    set({ opening: true });
    const picked = await call('projects.pick', {});
    set({ opening: false });
    if (!picked.ok) return useApp.getState().toast(picked.error.message, 'bad');
    const chosen = picked.value.picked;
    if (!chosen) return;
    rememberProjectId(chosen.dir, chosen.projectId);
    await get().open(chosen.dir);
  },

  open: async (dir, profile = null) => {
    useApp.getState().showProject(dir, profile);
    set({ opening: true });
    const result = await call('projects.open', { projectId: projectIdOf(dir) });
    set({ opening: false });
    if (!result.ok) {
      set((s) => ({ manifests: { ...s.manifests, [dir]: { status: 'error', error: result.error } } }));
      return;
    }
    const project = result.value.project;
    rememberProjectId(project.dir, project.id);
    set((s) => ({ projects: upsert(s.projects, project) }));
    // The folder may have been picked under another spelling (trailing slash, symlink): follow main's answer.
    if (project.dir !== dir) useApp.getState().showProject(project.dir, profile);
    if (project.state === 'no-manifest')
      set((s) => ({ manifests: { ...s.manifests, [project.dir]: { status: 'none' } } }));
    else if (project.state !== 'missing') await get().loadManifest(project.dir);
  },

  forget: async (dir) => {
    const result = await call('projects.forget', { projectId: projectIdOf(dir) });
    if (!result.ok) return useApp.getState().toast(result.error.message, 'bad');
    set((s) => ({ projects: (s.projects ?? []).filter((p) => p.dir !== dir) }));
    if (useApp.getState().projectDir === dir) useApp.getState().showProject(null);
  },

  loadManifest: async (dir, quiet = false) => {
    if (!quiet || !get().manifests[dir]) set((s) => ({ manifests: { ...s.manifests, [dir]: { status: 'loading' } } }));
    const result = await call('manifest.read', { projectId: projectIdOf(dir) });
    const before = get().manifests[dir];
    let load: ManifestLoad;
    if (result.ok) load = { status: 'ready', manifest: result.value.manifest };
    else if (result.error.code === 'MANIFEST_NOT_FOUND') load = { status: 'none' };
    else if (result.error.code === 'MANIFEST_INVALID' && before?.status === 'ready')
      load = { status: 'ready', manifest: before.manifest, error: result.error };
    else load = { status: 'error', error: result.error };
    if (load.status === 'ready' && before?.status !== 'ready') await firstPictureOf(dir, load.manifest);
    set((s) => ({ manifests: { ...s.manifests, [dir]: load } }));
    const app = useApp.getState();
    // Land on the first profile, or stay on the chosen one while it still exists.
    if (load.status === 'ready' && app.projectDir === dir) app.selectProfile(profileToShow(load.manifest));
    const state: ProjectSummary['state'] =
      load.status === 'ready' && !load.error ? 'ok' : load.status === 'none' ? 'no-manifest' : 'invalid';
    set((s) => ({
      projects: s.projects?.map((p) => (p.dir === dir && p.state !== 'missing' ? { ...p, state } : p)) ?? null,
    }));
  },

  create: async (dir, input) => {
    const result = await call('manifest.create', { projectId: projectIdOf(dir), ...input });
    if (!result.ok) return result.error;
    const manifest = result.value.manifest;
    set((s) => ({
      manifests: { ...s.manifests, [dir]: { status: 'ready', manifest } },
      projects:
        s.projects?.map((p) => (p.dir === dir ? { ...p, state: 'ok', manifestPath: manifest.path } : p)) ?? null,
    }));
    useApp.getState().showProject(dir, manifest.profiles[0]?.name ?? null);
    return null;
  },

  writeProfile: async (dir, previousName, profile) => {
    const result = await call('manifest.writeProfile', { projectId: projectIdOf(dir), previousName, profile });
    if (!result.ok) return result.error;
    set((s) => ({ manifests: { ...s.manifests, [dir]: { status: 'ready', manifest: result.value.manifest } } }));
    return null;
  },
}));
