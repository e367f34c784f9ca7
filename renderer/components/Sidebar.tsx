import type { ReactElement } from 'react';
import { baseName } from '../lib/format';
import { modKeyLabel } from '../lib/keys';
import { useApp, type Screen } from '../state/app-store';
import { useProjects } from '../state/projects-store';
import { Icon, LogoMark, type IconId } from './icons';
import { MiddleText } from './MiddleText';
import { ProfileBadge } from './ProfileBadge';

const NAV: { screen: Screen; label: string; icon: IconId; soon?: boolean }[] = [
  { screen: 'aws', label: 'AWS', icon: 'cloud' },
  { screen: 'logins', label: 'Logins', icon: 'user' },
  { screen: 'services', label: 'Services', icon: 'layers' },
  { screen: 'rotation', label: 'Rotation', icon: 'gauge' },
  { screen: 'audit', label: 'Audit', icon: 'history' },
];

const MAX_PROJECTS = 8;

/** The sidebar's show/hide-labels shortcut, with the key as people type it. */
export const SIDEBAR_SHORTCUT = { key: '\\', label: `${modKeyLabel}+\\` };

export function Sidebar(): ReactElement {
  const screen = useApp((s) => s.screen);
  const projectDir = useApp((s) => s.projectDir);
  const profile = useApp((s) => s.profile);
  const go = useApp((s) => s.go);
  const showProject = useApp((s) => s.showProject);
  const selectProfile = useApp((s) => s.selectProfile);
  const setPalette = useApp((s) => s.setPalette);
  const projects = useProjects((s) => s.projects);
  const manifests = useProjects((s) => s.manifests);
  const open = useProjects((s) => s.open);
  const collapsed = useApp((s) => s.sidebarCollapsed);
  const toggleSidebar = useApp((s) => s.toggleSidebar);
  // Collapsed, the labels are only read out: the tooltip shows them on screen.
  const tip = (label: string) => (collapsed ? label : undefined);

  const onProjects = screen === 'projects';
  return (
    <nav className="sidebar" aria-label="Main" data-collapsed={collapsed || undefined} data-testid="sidebar">
      <div className="brand">
        <LogoMark />
        <span className="brand-name">Latchkey</span>
        <button
          type="button"
          className="btn btn-ghost btn-icon btn-sm sidebar-toggle"
          aria-label="Sidebar labels"
          aria-expanded={!collapsed}
          aria-controls="sidebar-nav"
          title={`${collapsed ? 'Show' : 'Hide'} the sidebar's labels (${SIDEBAR_SHORTCUT.label})`}
          onClick={toggleSidebar}
          data-testid="sidebar-toggle"
        >
          <Icon name="sidebar" size={15} />
        </button>
      </div>

      <button
        type="button"
        className="search-trigger"
        onClick={() => setPalette(true)}
        title={tip(`Jump to… (${modKeyLabel}+K)`)}
        data-testid="palette-trigger"
      >
        <Icon name="search" size={14} />
        <span className="grow nav-label">Jump to…</span>
        <kbd>{modKeyLabel}</kbd>
        <kbd>K</kbd>
      </button>

      <ul className="nav" role="list" id="sidebar-nav">
        <li>
          <button
            type="button"
            className="nav-item"
            aria-current={onProjects && !projectDir ? 'page' : undefined}
            onClick={() => showProject(null)}
            title={tip('Projects')}
            data-testid="sidebar-projects"
          >
            <Icon name="folder" />
            <span className="grow nav-label">Projects</span>
            {projects && projects.length > 0 ? <span className="count">{projects.length}</span> : null}
          </button>
          {projects && projects.length > 0 && !collapsed ? (
            <ul className="nav-sub" role="list" aria-label="Recent projects">
              {projects.slice(0, MAX_PROJECTS).map((p) => {
                const active = onProjects && projectDir === p.dir;
                const load = manifests[p.dir];
                const profiles = active && load?.status === 'ready' ? load.manifest.profiles : [];
                return (
                  <li key={p.dir}>
                    <button
                      type="button"
                      className="nav-item nav-project"
                      aria-current={active && !profile ? 'page' : undefined}
                      data-active={active || undefined}
                      onClick={() => void open(p.dir)}
                      data-testid={`sidebar-project-${p.name}`}
                    >
                      <span className={`project-dot state-${p.state}`} aria-hidden="true" />
                      <MiddleText text={p.name || baseName(p.dir)} identifier="project" />
                    </button>
                    {profiles.length > 0 ? (
                      <ul className="nav-profiles" role="list" aria-label={`Profiles of ${p.name}`}>
                        {profiles.map((pr) => (
                          <li key={pr.name}>
                            <button
                              type="button"
                              className="nav-item nav-profile"
                              aria-current={profile === pr.name ? 'page' : undefined}
                              onClick={() => selectProfile(pr.name)}
                              data-testid={`sidebar-profile-${pr.name}`}
                            >
                              <MiddleText text={pr.name} identifier="profile" />
                              <ProfileBadge
                                refp={{ dir: p.dir, profile: pr.name }}
                                testId={`sidebar-profile-state-${pr.name}`}
                              />
                            </button>
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          ) : null}
        </li>
        {NAV.map((item) => (
          <li key={item.screen}>
            <button
              type="button"
              className="nav-item"
              aria-current={screen === item.screen ? 'page' : undefined}
              onClick={() => go(item.screen)}
              title={tip(item.label)}
              data-testid={`sidebar-${item.screen}`}
            >
              <Icon name={item.icon} />
              <span className="grow nav-label">{item.label}</span>
              {item.soon ? <span className="nav-soon">Soon</span> : null}
            </button>
          </li>
        ))}
      </ul>

      <div className="spacer" />

      <ul className="nav" role="list">
        <li>
          <button
            type="button"
            className="nav-item"
            aria-current={screen === 'settings' ? 'page' : undefined}
            onClick={() => go('settings')}
            title={tip('Settings')}
            data-testid="sidebar-settings"
          >
            <Icon name="settings" />
            <span className="grow nav-label">Settings</span>
          </button>
        </li>
      </ul>
    </nav>
  );
}
