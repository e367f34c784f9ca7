import { useEffect, useRef, type KeyboardEvent, type ReactElement } from 'react';
import type { ManifestView } from '../../contract/ipc';
import { ErrorPanel } from '../components/ErrorPanel';
import { Icon } from '../components/icons';
import { MiddleText } from '../components/MiddleText';
import { ProfileBadge } from '../components/ProfileBadge';
import { EmptyState, Skeleton, SkeletonLines } from '../components/ui';
import { baseName } from '../lib/format';
import { ProfileEditor } from '../profile/ProfileEditor';
import { ProfileView } from '../profile/ProfileView';
import { useApp } from '../state/app-store';
import { useProjects } from '../state/projects-store';
import { CreateManifestForm } from './CreateManifestForm';

export function ProjectScreen({ dir }: { dir: string }): ReactElement {
  const project = useProjects((s) => s.projects?.find((p) => p.dir === dir));
  const load = useProjects((s) => s.manifests[dir]);
  const profile = useApp((s) => s.profile);
  const name = project?.name ?? baseName(dir);

  useEffect(() => {
    // Reached without going through open() (a fresh start on a remembered project): load it now.
    if (!useProjects.getState().manifests[dir] && !useProjects.getState().opening)
      void useProjects.getState().open(dir, useApp.getState().profile);
  }, [dir]);

  const manifest = load?.status === 'ready' ? load.manifest : undefined;

  return (
    <div className="page page-project">
      <header className="project-header">
        <div className="project-title-row">
          <nav className="breadcrumb" aria-label="Breadcrumb">
            <button type="button" className="crumb" onClick={() => useApp.getState().showProject(null)}>
              Projects
            </button>
            <Icon name="chevron-right" size={13} />
            {/* The project's name is the page's one h1: a screen reader's heading list starts where the page does. */}
            <h1 className="crumb-current" aria-current="page">
              {name}
            </h1>
          </nav>
          <MiddleText
            text={manifest?.path ?? dir}
            identifier="project-path"
            className="project-header-path mono subtle"
          />
          <span className="spacer" />
          {manifest && manifest.profiles.length > 0 ? (
            <button
              type="button"
              className="btn btn-sm btn-ghost"
              onClick={() => useApp.getState().setPanel('new-profile')}
              data-testid="new-profile"
            >
              <Icon name="plus" size={14} />
              New profile
            </button>
          ) : null}
        </div>
        {manifest && manifest.profiles.length > 0 ? (
          <ProfileTabs dir={dir} manifest={manifest} active={profile} />
        ) : null}
      </header>

      {load?.status === 'ready' && load.error ? (
        <div className="manifest-banner" data-testid="manifest-banner">
          <ErrorPanel
            headingLevel={2}
            error={load.error}
            dir={dir}
            onRetry={() => void useProjects.getState().loadManifest(dir, true)}
            actions={<span className="subtle small">Below: the profiles as they were before this change.</span>}
          />
        </div>
      ) : null}

      {project?.state === 'missing' ? (
        <div className="page-body">
          <div className="card">
            <EmptyState
              icon="warning"
              title="This folder is gone"
              actions={
                <button type="button" className="btn" onClick={() => void useProjects.getState().forget(dir)}>
                  Forget it
                </button>
              }
            >
              <p>
                <span className="mono">{dir}</span> was moved or deleted. Open it from its new place, or forget it.
              </p>
            </EmptyState>
          </div>
        </div>
      ) : !load || load.status === 'loading' ? (
        <div className="page-body" aria-busy="true">
          <div className="card pad">
            <Skeleton width={220} height={16} />
            <div className="spacer-12" />
            <SkeletonLines lines={4} label="Loading the manifest" />
          </div>
        </div>
      ) : load.status === 'none' ? (
        <div className="page-body">
          <CreateManifestForm dir={dir} name={name} />
        </div>
      ) : load.status === 'error' ? (
        <div className="page-body">
          <ErrorPanel
            headingLevel={2}
            error={load.error}
            dir={dir}
            onRetry={() => void useProjects.getState().loadManifest(dir)}
          />
        </div>
      ) : load.manifest.profiles.length === 0 ? (
        <div className="page-body">
          <div className="card pad">
            <h2>Add the first profile</h2>
            <p className="muted">
              This latchkey.yml defines no profiles yet. A profile says which secrets go into which file.
            </p>
            <ProfileEditor dir={dir} manifest={load.manifest} mode="new" inline />
          </div>
        </div>
      ) : profile && load.manifest.profiles.some((p) => p.name === profile) ? (
        <ProfileView
          key={profile}
          dir={dir}
          manifest={load.manifest}
          profile={load.manifest.profiles.find((p) => p.name === profile)!}
        />
      ) : (
        <div className="page-body">
          <SkeletonLines lines={3} />
        </div>
      )}
    </div>
  );
}

function ProfileTabs({
  dir,
  manifest,
  active,
}: {
  dir: string;
  manifest: ManifestView;
  active: string | null;
}): ReactElement {
  const select = useApp((s) => s.selectProfile);
  const list = useRef<HTMLDivElement>(null);
  const names = manifest.profiles.map((p) => p.name);

  const onKeyDown = (e: KeyboardEvent) => {
    const i = names.indexOf(active ?? '');
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % names.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + names.length) % names.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = names.length - 1;
    if (next < 0) return;
    e.preventDefault();
    select(names[next]!);
    list.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]')[next]?.focus();
  };

  return (
    <div className="tabs" role="tablist" aria-label="Profiles" ref={list} onKeyDown={onKeyDown}>
      {manifest.profiles.map((p) => (
        <button
          key={p.name}
          type="button"
          role="tab"
          className="tab"
          id={`tab-${p.name}`}
          aria-selected={p.name === active}
          aria-controls="profile-panel"
          tabIndex={p.name === active ? 0 : -1}
          onClick={() => select(p.name)}
          data-testid={`profile-tab-${p.name}`}
        >
          <Icon name="layers" size={14} />
          {p.name}
          <ProfileBadge refp={{ dir, profile: p.name }} testId={`profile-tab-state-${p.name}`} />
        </button>
      ))}
    </div>
  );
}
