import type { AwsProfileView, LoginSummary, ProjectSummary, Theme } from '../../contract/ipc';
import { THEMES } from '../../contract/ipc';
import type { Plan } from '../../contract/plan';
import type { IconId } from '../components/icons';
import { sessionPhase } from '../aws/looks';
import type { Screen } from '../state/app-store';
import { baseName } from './format';
import { pendingSummary, syncBlocker } from './plan-summary';
import { THEME_LOOKS } from './themes';

/**
 * What the command palette offers, derived from a snapshot of the stores' state (issue 14, item 7). Pure: no store,
 * no IPC, no closures; a command names its action as data, and renderer/lib/commands.ts runs it. Only commands that
 * can work are offered: a known reason for one to fail either leaves it out or shows it disabled with that reason.
 */

export const PALETTE_GROUPS = [
  'Recent',
  'This profile',
  'Actions',
  'Projects',
  'Profiles',
  'AWS profiles',
  'Logins',
  'Go to',
  'Settings',
] as const;
type PaletteGroup = (typeof PALETTE_GROUPS)[number];

interface ProfileTarget {
  dir: string;
  profile: string;
}

export interface LoginTarget {
  vaultId: string;
  itemId: string;
  title: string;
}

type PaletteAction =
  | { kind: 'go'; screen: Screen }
  | { kind: 'op-settings' }
  | { kind: 'open-folder' }
  | { kind: 'open-project'; dir: string }
  | ({ kind: 'open-profile' | 'plan' | 'sync' | 'edit-profile' } & ProfileTarget)
  | { kind: 'copy-exec'; profile: string }
  | { kind: 'aws-start' | 'aws-refresh' | 'aws-stop' | 'aws-default' | 'aws-show' | 'aws-copy-env'; profile: string }
  | { kind: 'login-copy'; login: LoginTarget; field: 'password' | 'username' }
  | { kind: 'login-open'; login: LoginTarget }
  | { kind: 'theme'; theme: Theme };

export interface PaletteCommand {
  /** Stable across openings (recent commands are remembered by it). */
  id: string;
  group: PaletteGroup;
  label: string;
  hint?: string | undefined;
  /** The hint is a command or a path, shown in the monospace font. */
  hintMono?: boolean;
  icon: IconId;
  action: PaletteAction;
  /** Why it cannot run now: shown instead of the hint, and Enter does nothing. */
  disabled?: string;
  /** Listed once the user types: the many per-profile and per-login commands would bury the short list. */
  searchOnly?: boolean;
}

/** What the palette needs of a profile's plan and sync (renderer/state/profile-store.ts ProfileData). */
export interface ProfileActivity {
  plan: { status: 'idle' | 'loading' | 'ready' | 'error'; plan?: Plan | undefined; stale?: unknown };
  sync: { status: 'idle' | 'running' | 'done' | 'error' };
}

type ManifestState =
  | { status: 'loading' | 'none' | 'error' }
  | {
      status: 'ready';
      manifest: { profiles: { name: string; description?: string | undefined; target: string }[] };
      error?: unknown;
    };

export interface PaletteSnapshot {
  screen: Screen;
  projectDir: string | null;
  profile: string | null;
  projects: ProjectSummary[] | null;
  manifests: Record<string, ManifestState | undefined>;
  /** By `${dir}\u0000${profile}`, as profile-store keys them. */
  activity: Record<string, ProfileActivity | undefined>;
  aws: { profiles: AwsProfileView[]; busy: Record<string, string | undefined> };
  /** Shared 1Password logins, when the Connect server answered; summaries only, never a field value. */
  logins: LoginSummary[];
  theme: Theme;
  now: number;
}

export function execCommandFor(profile: string): string {
  return `latchkey exec ${profile} -- `;
}

export function awsProfileEnv(profile: string): string {
  return `export AWS_PROFILE=${profile}`;
}

const SCREEN_COMMANDS: { screen: Screen; label: string; icon: IconId; hint?: string }[] = [
  { screen: 'projects', label: 'Projects', icon: 'folder' },
  { screen: 'aws', label: 'AWS profiles', icon: 'cloud', hint: 'Sessions, default profile, access keys' },
  { screen: 'logins', label: 'Logins', icon: 'user', hint: 'Copy shared 1Password logins' },
  { screen: 'services', label: 'Services', icon: 'layers', hint: "Browse chamber's services and keys in SSM" },
  { screen: 'rotation', label: 'Rotation', icon: 'gauge' },
  { screen: 'audit', label: 'Audit', icon: 'history' },
  { screen: 'settings', label: 'Settings', icon: 'settings' },
];

const activityKey = (dir: string, profile: string) => `${dir}\u0000${profile}`;

/** Why Sync cannot run for this profile now, if a reason is known; undefined when it can. */
function syncUnavailable(activity: ProfileActivity | undefined, manifestBroken: boolean): string | undefined {
  if (manifestBroken) return 'latchkey.yml does not read: fix it first';
  if (activity?.sync.status === 'running') return 'Syncing now';
  const plan = activity?.plan;
  // Only a current plan says what a sync would meet; a stale or missing one is made again by the sync itself.
  if (plan?.status === 'ready' && plan.plan && !plan.stale) {
    const blocked = syncBlocker(plan.plan);
    if (blocked) return `Sync is not possible yet: ${blocked.text}`;
  }
  return undefined;
}

function syncHint(activity: ProfileActivity | undefined, fallback: string): string {
  const plan = activity?.plan;
  if (plan?.status === 'ready' && plan.plan && !plan.stale) return pendingSummary(plan.plan, false, false).text;
  return fallback;
}

function profileCommands(snapshot: PaletteSnapshot): PaletteCommand[] {
  const out: PaletteCommand[] = [];
  const current =
    snapshot.screen === 'projects' && snapshot.projectDir && snapshot.profile
      ? { dir: snapshot.projectDir, profile: snapshot.profile }
      : null;
  for (const project of snapshot.projects ?? []) {
    if (project.state === 'missing') continue;
    const load = snapshot.manifests[project.dir];
    if (load?.status !== 'ready') continue;
    const name = project.name || baseName(project.dir);
    const broken = load.error !== undefined;
    for (const p of load.manifest.profiles) {
      const target = { dir: project.dir, profile: p.name };
      const isCurrent = current?.dir === project.dir && current.profile === p.name;
      const activity = snapshot.activity[activityKey(project.dir, p.name)];
      const cannotSync = syncUnavailable(activity, broken);
      const syncing = activity?.sync.status === 'running';
      const where = `${name} ▸ ${p.name}`;
      // The profile on screen gets the short labels; the same ids, so a recent "Sync dev" is one command.
      const label = (verb: string) => (isCurrent ? `${verb} ${p.name}` : `${verb} ${where}`);
      const group: PaletteGroup = isCurrent ? 'This profile' : 'Profiles';
      if (!isCurrent)
        out.push({
          id: `profile:${project.dir}:${p.name}`,
          group: 'Profiles',
          label: `${name} › ${p.name}`,
          hint: p.description ?? p.target,
          icon: 'layers',
          action: { kind: 'open-profile', ...target },
        });
      out.push(
        {
          id: `sync:${project.dir}:${p.name}`,
          group,
          label: label('Sync'),
          hint: syncHint(activity, p.target),
          hintMono: false,
          icon: 'sync',
          action: { kind: 'sync', ...target },
          ...(cannotSync !== undefined && { disabled: cannotSync }),
          searchOnly: !isCurrent,
        },
        {
          id: `plan:${project.dir}:${p.name}`,
          group,
          label: label('Plan'),
          icon: 'plan',
          action: { kind: 'plan', ...target },
          ...(broken
            ? { disabled: 'latchkey.yml does not read: fix it first' }
            : syncing && { disabled: 'Syncing now' }),
          searchOnly: !isCurrent,
        },
        {
          id: `edit:${project.dir}:${p.name}`,
          group,
          label: isCurrent ? `Edit profile ${p.name}` : `Edit profile ${where}`,
          icon: 'pencil',
          action: { kind: 'edit-profile', ...target },
          ...(broken && { disabled: 'latchkey.yml does not read: fix it first' }),
          searchOnly: !isCurrent,
        },
        {
          id: `exec:${project.dir}:${p.name}`,
          group,
          label: isCurrent ? 'Copy exec command' : `Copy exec command ${where}`,
          hint: execCommandFor(p.name),
          hintMono: true,
          icon: 'terminal',
          action: { kind: 'copy-exec', profile: p.name },
          searchOnly: !isCurrent,
        },
      );
    }
  }
  return out;
}

/** Kinds whose session Latchkey starts itself (GetSessionToken or AssumeRole into the credentials file). */
const STARTABLE_KINDS = new Set<AwsProfileView['kind']>(['keychain-keys', 'role']);

function awsCommands(snapshot: PaletteSnapshot): PaletteCommand[] {
  const out: PaletteCommand[] = [];
  for (const p of snapshot.aws.profiles) {
    const name = p.name;
    out.push({
      id: `aws:show:${name}`,
      group: 'AWS profiles',
      label: `AWS profile ${name}`,
      hint: p.region,
      hintMono: true,
      icon: 'cloud',
      action: { kind: 'aws-show', profile: name },
    });
    if (p.kind === 'unknown') continue; // nothing Latchkey can run for it
    const busy = snapshot.aws.busy[name];
    const busyReason = busy ? `Busy: ${busy}` : undefined;
    const phase = sessionPhase(p.session, snapshot.now);
    const live = phase === 'active' || phase === 'expiring';
    const session = (
      kind: 'aws-start' | 'aws-refresh' | 'aws-stop' | 'aws-default',
      label: string,
    ): PaletteCommand => ({
      id: `${kind}:${name}`,
      group: 'AWS profiles',
      label,
      hint: p.region,
      hintMono: true,
      icon: kind === 'aws-stop' ? 'x' : kind === 'aws-refresh' ? 'refresh' : 'cloud',
      action: { kind, profile: name },
      ...(busyReason && { disabled: busyReason }),
      searchOnly: true,
    });
    if (live) {
      // A credential_process profile's session is fetched by the AWS tools themselves: refreshing it here would
      // write keys into the credentials file. Stopping it (forgetting the cached session) is still right.
      if (p.kind !== 'credential-process') out.push(session('aws-refresh', `Refresh session: ${name}`));
      out.push(session('aws-stop', `Stop session: ${name}`));
    } else if (STARTABLE_KINDS.has(p.kind)) {
      out.push(session('aws-start', `Start session: ${name}`));
    } else if (p.kind === 'file-keys') {
      // Starting would refuse to overwrite the long-lived keys in the same section; the fix is on the AWS screen.
      out.push({
        ...session('aws-start', `Start session: ${name}`),
        disabled: 'Its keys are in plain text: import them into the keychain first',
      });
      out.push({
        id: `aws-import:${name}`,
        group: 'AWS profiles',
        label: `Import keys into the keychain: ${name}`,
        icon: 'lock',
        action: { kind: 'aws-show', profile: name },
        searchOnly: true,
      });
    }
    // sso and credential-process: the AWS tools sign in themselves; Latchkey offers no Start that would fail.
    if (!p.isDefault && (STARTABLE_KINDS.has(p.kind) || (live && p.kind !== 'credential-process')))
      out.push(session('aws-default', `Use as default profile: ${name}`));
    out.push({
      id: `aws-env:${name}`,
      group: 'AWS profiles',
      label: `Copy AWS_PROFILE=${name}`,
      hint: awsProfileEnv(name),
      hintMono: true,
      icon: 'terminal',
      action: { kind: 'aws-copy-env', profile: name },
      searchOnly: true,
    });
  }
  return out;
}

function loginCommands(snapshot: PaletteSnapshot): PaletteCommand[] {
  const out: PaletteCommand[] = [];
  for (const l of snapshot.logins) {
    const login: LoginTarget = { vaultId: l.vaultId, itemId: l.itemId, title: l.title };
    const id = `${l.vaultId}/${l.itemId}`;
    const base = { group: 'Logins' as const, hint: l.vault, searchOnly: true };
    out.push(
      {
        ...base,
        id: `login-password:${id}`,
        label: `Copy password: ${l.title}`,
        icon: 'copy',
        action: { kind: 'login-copy', login, field: 'password' },
      },
      {
        ...base,
        id: `login-username:${id}`,
        label: `Copy username: ${l.title}`,
        icon: 'user',
        action: { kind: 'login-copy', login, field: 'username' },
      },
    );
    if (l.url)
      out.push({
        ...base,
        id: `login-open:${id}`,
        label: `Open website: ${l.title}`,
        icon: 'external',
        action: { kind: 'login-open', login },
      });
  }
  return out;
}

/** Everything the palette can do in this state, in its resting order (before a query ranks it). */
export function derivePaletteCommands(snapshot: PaletteSnapshot): PaletteCommand[] {
  const profiles = profileCommands(snapshot);
  let commands: PaletteCommand[] = profiles.filter((c) => c.group === 'This profile');
  commands.push({
    id: 'act:open',
    group: 'Actions',
    label: 'Open folder…',
    icon: 'folder-plus',
    action: { kind: 'open-folder' },
  });
  for (const p of snapshot.projects ?? []) {
    commands.push({
      id: `project:${p.dir}`,
      group: 'Projects',
      label: p.name || baseName(p.dir),
      hint: p.dir,
      hintMono: true,
      icon: 'folder',
      action: { kind: 'open-project', dir: p.dir },
      ...(p.state === 'missing' && { disabled: 'The folder is no longer there' }),
    });
  }
  commands = commands.concat(
    profiles.filter((c) => c.group !== 'This profile'),
    awsCommands(snapshot),
    loginCommands(snapshot),
  );
  for (const s of SCREEN_COMMANDS)
    commands.push({
      id: `go:${s.screen}`,
      group: 'Go to',
      label: s.label,
      hint: s.hint,
      icon: s.icon,
      action: { kind: 'go', screen: s.screen },
    });
  commands.push({
    id: 'go:op-settings',
    group: 'Settings',
    label: '1Password settings',
    hint: 'Connect server, token, test connection',
    icon: 'lock',
    action: { kind: 'op-settings' },
  });
  for (const t of THEMES) {
    if (t !== snapshot.theme)
      commands.push({
        id: `act:theme:${t}`,
        group: 'Settings',
        label: `Theme: ${t === 'system' ? 'follow the system' : t}`,
        icon: THEME_LOOKS[t].icon,
        action: { kind: 'theme', theme: t },
      });
  }
  return commands;
}
