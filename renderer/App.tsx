import { useEffect, useRef, type ReactElement } from 'react';
import type { MenuCommand } from '../contract/ipc';
import { call, subscribe } from './api';
import { CommandPalette } from './components/CommandPalette';
import { CopyToast } from './components/CopyToast';
import { RotateSharedDialog } from './components/RotateSharedDialog';
import { Sidebar, SIDEBAR_SHORTCUT } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { Toasts } from './components/Toasts';
import { focusNewPage } from './lib/focus';
import { isModKey, isTypingTarget } from './lib/keys';
import { subscribeInTurn } from './lib/subscribe-in-turn';
import { AuditScreen } from './screens/AuditScreen';
import { AwsScreen } from './screens/AwsScreen';
import { LoginsScreen } from './screens/LoginsScreen';
import { ProjectsScreen } from './screens/ProjectsScreen';
import { RotationScreen } from './screens/RotationScreen';
import { ServicesScreen } from './screens/ServicesScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { useApp, SCREENS } from './state/app-store';
import { useAws } from './state/aws-store';
import { useMainState } from './state/main-state';
import { useProfiles } from './state/profile-store';
import { rememberProjectId } from './state/project-ids';
import { useProjects } from './state/projects-store';
import { installRevealGuards } from './state/reveal-store';
import { useSettings } from './state/settings-store';
import { useSharedSecrets } from './state/shared-secrets-store';

function useTheme(): void {
  const theme = useSettings((s) => s.settings.theme);
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      document.documentElement.dataset.theme = theme === 'system' ? (media.matches ? 'dark' : 'light') : theme;
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}

/** Subscribes to main's events, then runs `thenRun` (the window's first requests), so no answer's push is missed. */
function useBridgeEvents(thenRun: () => void): void {
  useEffect(() => {
    // The one state model: the AWS screen, the status bar, the sidebar and the checklist render main's pushed state.
    // Made here, in the effect: a window without its bridge fails as it starts (the dead screen of issue 9), not later.
    const offState = subscribe('state.changed', (p) => {
      useAws.getState().onState(p);
      useMainState.getState().onState(p);
    });
    // The rest one a task (lib/subscribe-in-turn.ts): each is a synchronous crossing of the bridge.
    const offRest = subscribeInTurn(
      [
        () => subscribe('sync.progress', (p) => useProfiles.getState().onProgress(p)),
        () =>
          subscribe('plan.invalidated', (p) => {
            useProfiles.getState().onInvalidated(p);
            if (p.reason === 'manifest') void useProjects.getState().loadManifest(p.dir, true);
          }),
        () => subscribe('aws.session', (p) => useAws.getState().onSession(p)),
        () => subscribe('sharedSecrets.progress', (p) => useSharedSecrets.getState().onProgress(p)),
        () => subscribe('menu.command', runMenuCommand),
      ],
      thenRun,
    );
    return () => {
      offRest();
      offState();
    };
  }, [thenRun]);
}

/**
 * File ▸ Open Folder… shows main's picker; File ▸ Open Recent and the command line name a folder main registered; a
 * desktop notification's click names its screen.
 */
function runMenuCommand(command: MenuCommand): void {
  if (command.command === 'open-folder') return void useProjects.getState().pickAndOpen();
  if (command.command === 'show-screen') return useApp.getState().go(command.screen);
  rememberProjectId(command.dir, command.projectId);
  void useProjects.getState().open(command.dir);
}

/** What main kept for the window until it listened: a folder named on the command line as the window started. */
async function runPendingMenuCommands(): Promise<void> {
  const pending = await call('menu.pending', {});
  if (pending.ok) pending.value.commands.forEach(runMenuCommand);
}

/**
 * The window's first requests: settings, recent projects, the running AWS sessions (for the status bar), and the
 * menu commands that came before it listened.
 */
function loadOnStart(): void {
  void runPendingMenuCommands();
  void useSettings.getState().load();
  void useProjects.getState().load();
  void useAws.getState().load();
}

function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const app = useApp.getState();
      if (isModKey(e) && !e.altKey && !e.shiftKey) {
        const key = e.key.toLowerCase();
        if (key === 'k') {
          e.preventDefault();
          app.setPalette(!app.paletteOpen);
          return;
        }
        if (key === 'o') {
          e.preventDefault();
          void useProjects.getState().pickAndOpen();
          return;
        }
        if (key === SIDEBAR_SHORTCUT.key) {
          e.preventDefault();
          app.toggleSidebar();
          return;
        }
        const n = Number(e.key);
        if (n >= 1 && n <= SCREENS.length) {
          e.preventDefault();
          const screen = SCREENS[n - 1]!;
          if (screen === 'projects') app.showProject(null);
          else app.go(screen);
        }
        return;
      }
      if (e.key === '/' && !isTypingTarget(e.target) && !app.paletteOpen) {
        const filter = document.querySelector<HTMLInputElement>('[data-testid="filter-input"]');
        if (filter) {
          e.preventDefault();
          filter.focus();
          filter.select();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** Moves the focus into the page whenever the screen or the project shown changes (not on the first paint). */
function useFocusOnNavigation(main: React.RefObject<HTMLElement | null>): void {
  const place = useApp((s) => `${s.screen}\u0000${s.projectDir ?? ''}`);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    // After the new page has rendered its header.
    const frame = requestAnimationFrame(() => focusNewPage(main.current));
    return () => cancelAnimationFrame(frame);
  }, [place, main]);
}

export function App(): ReactElement {
  const screen = useApp((s) => s.screen);
  const rotation = useSharedSecrets((s) => s.rotation);
  const main = useRef<HTMLElement>(null);
  useFocusOnNavigation(main);
  useTheme();
  // The status bar shows the running sessions from the start, not only once the AWS screen was opened.
  useBridgeEvents(loadOnStart);
  useGlobalShortcuts();
  useEffect(() => installRevealGuards(), []);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar />
      <main className="main" id="main" tabIndex={-1} data-screen={screen} ref={main}>
        {screen === 'projects' ? <ProjectsScreen /> : null}
        {screen === 'aws' ? <AwsScreen /> : null}
        {screen === 'logins' ? <LoginsScreen /> : null}
        {screen === 'services' ? <ServicesScreen /> : null}
        {screen === 'rotation' ? <RotationScreen /> : null}
        {screen === 'audit' ? <AuditScreen /> : null}
        {screen === 'settings' ? <SettingsScreen /> : null}
      </main>
      <StatusBar />
      <CommandPalette />
      <Toasts />
      <CopyToast />
      {rotation ? <RotateSharedDialog key={rotation.target.key} rotation={rotation} /> : null}
    </div>
  );
}
