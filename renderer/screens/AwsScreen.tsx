import { useEffect, type ReactElement } from 'react';
import { ProfileDetail } from '../aws/ProfileDetail';
import { ProfileList, ProfileListSkeleton } from '../aws/ProfileList';
import { useSecondClock } from '../aws/clock';
import { sessionPhase } from '../aws/looks';
import { ErrorPanel } from '../components/ErrorPanel';
import { Icon } from '../components/icons';
import { EmptyState } from '../components/ui';
import { plural } from '../lib/format';
import { selectedAwsProfile, useAws } from '../state/aws-store';

/** AWS profiles and their sessions: the list on the left, the selected profile on the right. */
export function AwsScreen(): ReactElement {
  const status = useAws((s) => s.status);
  const error = useAws((s) => s.error);
  const profiles = useAws((s) => s.profiles);
  const current = useAws(selectedAwsProfile);

  useEffect(() => {
    void useAws.getState().load(true);
  }, []);

  const firstLoad = (status === 'loading' || status === 'idle') && profiles.length === 0;
  return (
    <div className="page aws-page">
      <header className="page-header">
        <div className="grow">
          <h1>AWS</h1>
          <p className="muted">
            Profiles from <span className="mono">~/.aws/config</span> and{' '}
            <span className="mono">~/.aws/credentials</span>. Start a session to get temporary keys; Latchkey keeps IAM
            user keys in your keychain and refreshes sessions before they expire.
          </p>
        </div>
        <SessionSummary />
        <button
          type="button"
          className="btn btn-sm btn-ghost"
          onClick={() => void useAws.getState().load(true)}
          disabled={status === 'loading'}
          data-testid="aws-reload"
        >
          {status === 'loading' && !firstLoad ? <span className="spinner" /> : <Icon name="refresh" size={13} />}
          Reload
        </button>
      </header>

      <div className="aws-body">
        {status === 'error' && error ? (
          <div className="aws-empty">
            <ErrorPanel
              headingLevel={2}
              error={error}
              context="Reading AWS profiles"
              onRetry={() => void useAws.getState().load()}
            />
          </div>
        ) : firstLoad ? (
          <div className="aws-split">
            <div className="card aws-list-card">
              <ProfileListSkeleton />
            </div>
            <div className="card aws-detail is-placeholder" aria-hidden="true" />
          </div>
        ) : profiles.length === 0 ? (
          <div className="aws-empty">
            <EmptyState icon="cloud" title="No AWS profiles yet" testId="aws-no-profiles">
              <p>
                Latchkey found no profiles in <span className="mono">~/.aws/config</span> or{' '}
                <span className="mono">~/.aws/credentials</span> (or the files named by{' '}
                <span className="mono">AWS_CONFIG_FILE</span> and{' '}
                <span className="mono">AWS_SHARED_CREDENTIALS_FILE</span>). Add one with{' '}
                <span className="mono">aws configure --profile NAME</span>, then reload.
              </p>
            </EmptyState>
          </div>
        ) : (
          <div className="aws-split">
            <div className="card aws-list-card">
              <ProfileList />
            </div>
            {current ? (
              <ProfileDetail key={current.name} profile={current} />
            ) : (
              <div className="card aws-detail is-placeholder" aria-hidden="true" />
            )}
          </div>
        )}
      </div>
    </div>
  );
}

function SessionSummary(): ReactElement | null {
  const profiles = useAws((s) => s.profiles);
  const now = useSecondClock();
  if (profiles.length === 0) return null;
  const live = profiles.filter((p) => {
    const phase = sessionPhase(p.session, now);
    return phase === 'active' || phase === 'expiring';
  }).length;
  return (
    <span className="subtle small aws-summary" role="status">
      {plural(profiles.length, 'profile')} · {live === 0 ? 'no session' : plural(live, 'session')} active
    </span>
  );
}
