import { useEffect, useState, type ReactElement } from 'react';
import { AwsStatus } from '../aws/AwsStatus';
import { relativeTime } from '../lib/format';
import { modKeyLabel } from '../lib/keys';
import { useApp } from '../state/app-store';
import { pushedSummary, usePushedProfile } from '../state/main-state';
import { useProfileData } from '../state/profile-store';
import { useProjects } from '../state/projects-store';
import { Icon } from './icons';

/** A clock that re-renders its owner every few seconds, for "2 min ago" labels. */
export function useNow(intervalMs = 10_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

export function StatusBar(): ReactElement {
  const screen = useApp((s) => s.screen);
  const dir = useApp((s) => s.projectDir);
  const profile = useApp((s) => s.profile);
  const project = useProjects((s) => s.projects?.find((p) => p.dir === dir));
  const manifest = useProjects((s) => (dir ? s.manifests[dir] : undefined));
  const ref = screen === 'projects' && dir && profile ? { dir, profile } : null;
  const data = useProfileData(ref);
  const pushed = usePushedProfile(ref);
  const summary = pushedSummary(pushed);
  const now = useNow();
  const view = manifest?.status === 'ready' ? manifest.manifest.profiles.find((p) => p.name === profile) : undefined;
  const aws = manifest?.status === 'ready' ? manifest.manifest.aws : undefined;

  return (
    <footer className="statusbar">
      <AwsStatus />
      {aws?.profile ? (
        <span className="status-item subtle">
          profile <span className="mono">{aws.profile}</span>
          {aws.region ? <span className="mono"> · {aws.region}</span> : null}
        </span>
      ) : null}
      {ref && view ? (
        <span className="status-item">
          <Icon name="file" size={13} />
          <span className="ellipsis">
            {project?.name ?? ''} · {profile} → <span className="mono">{view.target}</span>
          </span>
        </span>
      ) : null}
      <span className="spacer" />
      {ref && data.sync.status === 'running' ? (
        <span className="status-item" role="status">
          <span className="spinner" /> Syncing…
        </span>
      ) : ref && data.plan.status === 'loading' ? (
        <span className="status-item" role="status">
          <span className="spinner" /> Planning…
        </span>
      ) : ref && (summary || pushed?.lastSync) ? (
        // Main's pushed summary, the same the sidebar shows; only "stale" is this window's own (plan.invalidated).
        <span className="status-item subtle" data-testid="status-plan">
          {summary ? <span data-testid="status-plan-summary">{summary.text}</span> : null}
          {summary && pushed?.plan
            ? data.plan.stale
              ? ' · plan is stale'
              : ` · planned ${relativeTime(Date.parse(pushed.plan.plannedAt), now)}`
            : null}
          {pushed?.lastSync ? (
            <span data-testid="status-last-sync">
              {summary ? ' · ' : ''}
              {pushed.lastSync.wrote ? 'wrote' : 'synced, nothing to write'}{' '}
              {relativeTime(Date.parse(pushed.lastSync.at), now)}
            </span>
          ) : null}
        </span>
      ) : null}
      <span className="status-item subtle">
        <kbd>{modKeyLabel}</kbd>
        <kbd>K</kbd> Jump to
      </span>
    </footer>
  );
}
