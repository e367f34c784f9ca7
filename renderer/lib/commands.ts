import { THEMES } from '../../contract/ipc';
import type { IconId } from '../components/icons';
import { useApp, type Screen } from '../state/app-store';
import { useAws } from '../state/aws-store';
import { useProfiles } from '../state/profile-store';
import { useProjects } from '../state/projects-store';
import { goToOpSettings } from '../state/op-nav';
import { useSettings } from '../state/settings-store';
import { copyText } from './clipboard';
import { THEME_LOOKS } from './themes';
import { baseName } from './format';

export interface Command {
  id: string;
  group: 'Go to' | 'Projects' | 'Profiles' | 'Actions';
  label: string;
  hint?: string | undefined;
  /** The hint is a command or a path, shown in the monospace font. */
  hintMono?: boolean;
  icon: IconId;
  run(): void;
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

export function execCommandFor(profile: string): string {
  return `latchkey exec ${profile} -- `;
}

/** Everything the palette can do right now, built from the stores when it opens. */
export function buildCommands(): Command[] {
  const app = useApp.getState();
  const projects = useProjects.getState();
  const commands: Command[] = [];
  const ref =
    app.screen === 'projects' && app.projectDir && app.profile ? { dir: app.projectDir, profile: app.profile } : null;

  if (ref) {
    commands.push(
      {
        id: 'act:plan',
        group: 'Actions',
        label: `Plan ${ref.profile}`,
        icon: 'plan',
        run: () => {
          app.setPanel('plan');
          void useProfiles.getState().runPlan(ref);
        },
      },
      {
        id: 'act:sync',
        group: 'Actions',
        label: `Sync ${ref.profile}`,
        icon: 'sync',
        run: () => {
          app.setPanel('plan');
          void useProfiles.getState().runSync(ref);
        },
      },
      {
        id: 'act:edit',
        group: 'Actions',
        label: `Edit profile ${ref.profile}`,
        icon: 'pencil',
        run: () => app.setPanel('editor'),
      },
      {
        id: 'act:exec',
        group: 'Actions',
        label: 'Copy exec command',
        hint: execCommandFor(ref.profile),
        hintMono: true,
        icon: 'terminal',
        run: () =>
          void copyText(execCommandFor(ref.profile)).then((ok) =>
            app.toast(ok ? 'Copied the exec command' : 'Could not copy', ok ? 'ok' : 'bad'),
          ),
      },
    );
  }
  commands.push({
    id: 'act:open',
    group: 'Actions',
    label: 'Open folder…',
    icon: 'folder-plus',
    run: () => void projects.pickAndOpen(),
  });
  for (const p of useAws.getState().profiles) {
    if (p.kind === 'unknown') continue;
    commands.push({
      id: `aws:start:${p.name}`,
      group: 'Actions',
      label: `Start session: ${p.name}`,
      hint: p.region,
      hintMono: true,
      icon: 'cloud',
      run: () => {
        useAws.getState().select(p.name);
        app.go('aws');
        void useAws.getState().start(p.name);
      },
    });
  }
  const theme = useSettings.getState().settings.theme;
  for (const t of THEMES) {
    if (t !== theme)
      commands.push({
        id: `act:theme:${t}`,
        group: 'Actions',
        label: `Theme: ${t === 'system' ? 'follow the system' : t}`,
        icon: THEME_LOOKS[t].icon,
        run: () => void useSettings.getState().update({ theme: t }),
      });
  }

  for (const s of SCREEN_COMMANDS)
    commands.push({
      id: `go:${s.screen}`,
      group: 'Go to',
      label: s.label,
      hint: s.hint,
      icon: s.icon,
      run: () => (s.screen === 'projects' ? app.showProject(null) : app.go(s.screen)),
    });
  commands.push({
    id: 'go:op-settings',
    group: 'Go to',
    label: '1Password settings',
    hint: 'Connect server, token, test connection',
    icon: 'lock',
    run: goToOpSettings,
  });

  for (const p of projects.projects ?? []) {
    commands.push({
      id: `project:${p.dir}`,
      group: 'Projects',
      label: p.name || baseName(p.dir),
      hint: p.dir,
      hintMono: true,
      icon: 'folder',
      run: () => void projects.open(p.dir),
    });
    const load = projects.manifests[p.dir];
    if (load?.status === 'ready') {
      for (const pr of load.manifest.profiles) {
        commands.push({
          id: `profile:${p.dir}:${pr.name}`,
          group: 'Profiles',
          label: `${p.name} › ${pr.name}`,
          hint: pr.description ?? pr.target,
          icon: 'layers',
          run: () =>
            useApp.getState().projectDir === p.dir
              ? (app.go('projects'), app.selectProfile(pr.name))
              : void projects.open(p.dir, pr.name),
        });
      }
    }
  }
  return commands;
}

/** Every word must appear in the label or hint; labels that start with the query rank first. */
export function matchCommands(commands: Command[], query: string): Command[] {
  const q = query.trim().toLowerCase();
  if (!q) return commands;
  const words = q.split(/\s+/);
  const scored: { c: Command; score: number }[] = [];
  for (const c of commands) {
    const label = c.label.toLowerCase();
    const text = `${label} ${c.group.toLowerCase()} ${(c.hint ?? '').toLowerCase()}`;
    if (!words.every((w) => text.includes(w))) continue;
    scored.push({ c, score: label.startsWith(q) ? 0 : label.includes(q) ? 1 : 2 });
  }
  return scored.sort((a, b) => a.score - b.score).map((s) => s.c);
}
