import type { ReactElement } from 'react';
import { Icon } from '../components/icons';
import { useApp } from '../state/app-store';
import { useAws } from '../state/aws-store';
import { useSecondClock } from './clock';
import { PHASE_TONES, formatLeft, sessionPhase, spokenLeft } from './looks';

function openAws(profile?: string): void {
  if (profile) useAws.getState().select(profile);
  useApp.getState().go('aws');
}

/**
 * The status bar's AWS slot: the live session that ends first, its countdown, and how many more run; amber under
 * ten minutes. A session main cannot renew without a new MFA code adds a prompt to open the AWS screen.
 */
export function AwsStatus(): ReactElement {
  const profiles = useAws((s) => s.profiles);
  const needsMfa = useAws((s) => s.needsMfa);
  const now = useSecondClock();
  const live = profiles
    .map((p) => ({
      p,
      phase: sessionPhase(p.session, now),
      ends: p.session.expiresAt ? Date.parse(p.session.expiresAt) : Infinity,
    }))
    .filter((x) => x.phase === 'active' || x.phase === 'expiring')
    .sort((a, b) => a.ends - b.ends);
  const asking = profiles.find((p) => needsMfa[p.name]);
  const first = live[0];

  return (
    <>
      {first ? (
        <button
          type="button"
          className={`status-item status-button aws-status tone-text-${PHASE_TONES[first.phase]}`}
          onClick={() => openAws(first.p.name)}
          title={live
            .map((x) => `${x.p.name}${Number.isFinite(x.ends) ? ` · ${formatLeft(x.ends - now)}` : ''}`)
            .join('\n')}
          data-testid="status-aws-session"
          data-phase={first.phase}
        >
          <span className="status-dot" aria-hidden="true" />
          <Icon name="cloud" size={13} />
          {/* The accessible name is built from the text (not an aria-label that differs from what is shown): the
              short visible forms are hidden from the screen reader and spoken words stand beside them. */}
          <span className="sr-only">AWS session </span>
          <span className="aws-status-name">{first.p.name}</span>
          {Number.isFinite(first.ends) ? (
            <>
              <span className="aws-status-left" aria-hidden="true">
                · {formatLeft(first.ends - now)}
              </span>
              <span className="sr-only">, expires in {spokenLeft(first.ends - now)}</span>
            </>
          ) : null}
          {live.length > 1 ? (
            <>
              <span className="count" aria-hidden="true">
                +{live.length - 1}
              </span>
              <span className="sr-only">, and {live.length - 1} more</span>
            </>
          ) : null}
          <span className="sr-only">. Open AWS.</span>
        </button>
      ) : (
        <button
          type="button"
          className="status-item status-button"
          onClick={() => openAws()}
          data-testid="status-aws-session"
          data-phase="none"
        >
          <span className="status-dot tone-muted" aria-hidden="true" />
          <Icon name="cloud" size={13} />
          No AWS session
        </button>
      )}
      {asking ? (
        <button
          type="button"
          className="status-item status-button aws-status-ask tone-text-warn"
          onClick={() => openAws(asking.name)}
          data-testid="status-aws-needs-mfa"
        >
          <Icon name="shield" size={13} />
          {asking.name} needs an MFA code · Open AWS
        </button>
      ) : null}
    </>
  );
}
