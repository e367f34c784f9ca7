import { useEffect, type ReactElement } from 'react';
import { subscribe } from './api';
import { CommandPalette } from './components/CommandPalette';
import { CopyToast } from './components/CopyToast';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { Toasts } from './components/Toasts';
import { isModKey, isTypingTarget } from './lib/keys';
import { ComingSoon } from './screens/ComingSoon';
import { AuditScreen } from './screens/AuditScreen';
import { LoginsScreen } from './screens/LoginsScreen';
import { ProjectsScreen } from './screens/ProjectsScreen';
import { RotationScreen } from './screens/RotationScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { useApp, SCREENS } from './state/app-store';
import { useProfiles } from './state/profile-store';
import { useProjects } from './state/projects-store';
import { installRevealGuards } from './state/reveal-store';
import { useSettings } from './state/settings-store';

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

function useBridgeEvents(): void {
  useEffect(() => {
    const offProgress = subscribe('sync.progress', (p) => useProfiles.getState().onProgress(p));
    const offInvalid = subscribe('plan.invalidated', (p) => {
      useProfiles.getState().onInvalidated(p);
      if (p.reason === 'manifest') void useProjects.getState().loadManifest(p.dir, true);
    });
    return () => {
      offProgress();
      offInvalid();
    };
  }, []);
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

export function App(): ReactElement {
  const screen = useApp((s) => s.screen);
  useTheme();
  useBridgeEvents();
  useGlobalShortcuts();
  useEffect(() => {
    void useSettings.getState().load();
    void useProjects.getState().load();
    return installRevealGuards();
  }, []);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar />
      <main className="main" id="main" tabIndex={-1} data-screen={screen}>
        {screen === 'projects' ? <ProjectsScreen /> : null}
        {screen === 'aws' ? (
          <ComingSoon icon="cloud" title="AWS sessions arrive soon" testId="aws-empty">
            Latchkey will keep your IAM user keys in the OS keychain, start MFA sessions, write the temporary
            credentials to <code>~/.aws/credentials</code> only while you need them, and rotate your own access key
            safely. The status bar will show the active session and when it expires.
          </ComingSoon>
        ) : null}
        {screen === 'logins' ? <LoginsScreen /> : null}
        {screen === 'rotation' ? <RotationScreen /> : null}
        {screen === 'audit' ? <AuditScreen /> : null}
        {screen === 'settings' ? <SettingsScreen /> : null}
      </main>
      <StatusBar />
      <CommandPalette />
      <Toasts />
      <CopyToast />
    </div>
  );
}
