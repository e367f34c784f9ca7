import { call } from '../api';
import { copyExec, syncNow } from '../profile/actions';
import { useApp } from '../state/app-store';
import { useAws } from '../state/aws-store';
import { useClipboardNote } from '../state/clipboard-store';
import { goToOpSettings } from '../state/op-nav';
import { usePalette } from '../state/palette-store';
import { useProfiles } from '../state/profile-store';
import { useProjects } from '../state/projects-store';
import { useSettings } from '../state/settings-store';
import { copyText } from './clipboard';
import { awsProfileEnv, type LoginTarget, type PaletteCommand, type PaletteSnapshot } from './palette-commands';

/** The stores' state as the palette's pure derivation (palette-commands.ts) reads it. */
export function paletteSnapshot(): PaletteSnapshot {
  const app = useApp.getState();
  const projects = useProjects.getState();
  const aws = useAws.getState();
  return {
    screen: app.screen,
    projectDir: app.projectDir,
    profile: app.profile,
    projects: projects.projects,
    manifests: projects.manifests,
    activity: useProfiles.getState().byKey,
    aws: { profiles: aws.profiles, busy: aws.busy },
    logins: usePalette.getState().logins,
    theme: useSettings.getState().settings.theme,
    now: Date.now(),
  };
}

/**
 * What the palette needs and may not have yet, loaded when it opens: the recent projects' manifests (profiles from
 * the files, no plan), the AWS profiles and the shared logins' summaries. Nothing is planned.
 */
export function loadPaletteData(): void {
  const projects = useProjects.getState();
  const loadManifests = () => {
    const { projects: list, manifests } = useProjects.getState();
    for (const p of list ?? [])
      if (p.state !== 'missing' && p.state !== 'no-manifest' && !manifests[p.dir])
        void useProjects.getState().loadManifest(p.dir, true);
  };
  if (projects.projects === null) void projects.load().then(loadManifests);
  else loadManifests();
  if (useAws.getState().status === 'idle') void useAws.getState().load(true);
  void usePalette.getState().loadLogins();
}

/** Shows a profile on the Projects screen, opening its project first when another one is shown. */
async function showProfile(dir: string, profile: string): Promise<void> {
  const app = useApp.getState();
  if (app.projectDir === dir && useProjects.getState().manifests[dir]?.status === 'ready') {
    app.showProject(dir, profile);
    return;
  }
  await useProjects.getState().open(dir, profile);
}

function showAws(profile: string): void {
  useAws.getState().select(profile);
  useApp.getState().go('aws');
}

/** The copy happens in main, as on the Logins screen: the value never reaches the page. */
async function copyLoginField(login: LoginTarget, field: 'password' | 'username'): Promise<void> {
  const result = await call('logins.copy', { vaultId: login.vaultId, itemId: login.itemId, field });
  if (!result.ok) {
    useApp.getState().toast(`Could not copy the ${field} of ${login.title}: ${result.error.message}`, 'bad');
    return;
  }
  useClipboardNote.getState().copied(result.value.field, login.title, result.value.clearsInSeconds);
}

async function openLogin(login: LoginTarget): Promise<void> {
  const result = await call('logins.openUrl', { vaultId: login.vaultId, itemId: login.itemId });
  if (!result.ok)
    useApp.getState().toast(`Could not open the website of ${login.title}: ${result.error.message}`, 'bad');
}

/** Runs a palette command and remembers it as recent. A disabled one does nothing: its reason is on screen. */
export async function runPaletteCommand(command: PaletteCommand): Promise<void> {
  if (command.disabled !== undefined) return;
  usePalette.getState().remember(command.id);
  const app = useApp.getState();
  const a = command.action;
  switch (a.kind) {
    case 'go':
      if (a.screen === 'projects') app.showProject(null);
      else app.go(a.screen);
      return;
    case 'op-settings':
      return goToOpSettings();
    case 'open-folder':
      return useProjects.getState().pickAndOpen();
    case 'open-project':
      return useProjects.getState().open(a.dir);
    case 'open-profile':
      return showProfile(a.dir, a.profile);
    case 'plan':
      await showProfile(a.dir, a.profile);
      useApp.getState().setPanel('plan');
      return useProfiles.getState().runPlan({ dir: a.dir, profile: a.profile });
    case 'sync':
      // As the action bar's Sync: with "confirm before sync" on, the plan is shown first and the write waits for
      // the user's press; a command chosen by name is no reason to skip a review the user asked for.
      await showProfile(a.dir, a.profile);
      return syncNow({ dir: a.dir, profile: a.profile });
    case 'edit-profile':
      await showProfile(a.dir, a.profile);
      return useApp.getState().setPanel('editor');
    case 'copy-exec':
      return copyExec(a.profile);
    case 'aws-show':
      return showAws(a.profile);
    case 'aws-start':
      showAws(a.profile);
      await useAws.getState().start(a.profile);
      return;
    case 'aws-refresh':
      showAws(a.profile);
      await useAws.getState().start(a.profile, 'login', 'refresh');
      return;
    case 'aws-stop':
      showAws(a.profile);
      return useAws.getState().stop(a.profile);
    case 'aws-default':
      showAws(a.profile);
      await useAws.getState().start(a.profile, 'default');
      return;
    case 'aws-copy-env': {
      const ok = await copyText(awsProfileEnv(a.profile));
      app.toast(ok ? `Copied “${awsProfileEnv(a.profile)}”` : 'Could not reach the clipboard', ok ? 'ok' : 'bad');
      return;
    }
    case 'login-copy':
      return copyLoginField(a.login, a.field);
    case 'login-open':
      return openLogin(a.login);
    case 'theme':
      await useSettings.getState().update({ theme: a.theme });
      return;
  }
}
