import type { ReactElement } from 'react';
import type { AwsProfileView } from '../../contract/ipc';
import { Icon } from '../components/icons';
import { useSecondClock } from './clock';
import { PHASE_TONES, formatLeft, sessionPhase, spokenLeft } from './looks';

/**
 * A session's state in a few characters: a dot and the time left ("11h 42m"), green while active, amber under ten
 * minutes, grey without a session. Words go with the colour, for screen readers and colour-blind eyes.
 */
export function SessionCountdown({
  session,
  testId = 'aws-countdown',
  large = false,
}: {
  session: AwsProfileView['session'];
  testId?: string;
  large?: boolean;
}): ReactElement {
  const now = useSecondClock();
  const phase = sessionPhase(session, now);
  const left = session.expiresAt ? Date.parse(session.expiresAt) - now : NaN;
  const tone = PHASE_TONES[phase];
  const text =
    phase === 'none'
      ? 'No session'
      : phase === 'expired'
        ? 'Expired'
        : Number.isNaN(left)
          ? 'Active'
          : formatLeft(left);
  const spoken =
    phase === 'none'
      ? 'No session'
      : phase === 'expired'
        ? 'Session expired'
        : Number.isNaN(left)
          ? 'Session active'
          : `Session expires in ${spokenLeft(left)}`;
  return (
    <span
      className={`aws-countdown tone-text-${tone} ${large ? 'is-large' : ''}`}
      data-phase={phase}
      data-testid={testId}
      role="timer"
      aria-label={spoken}
      title={session.expiresAt ? `Expires at ${new Date(session.expiresAt).toLocaleString()}` : undefined}
    >
      {phase === 'none' ? (
        <span className="aws-dot" aria-hidden="true" />
      ) : (
        <Icon name={phase === 'active' ? 'clock' : phase === 'expiring' ? 'warning' : 'clock'} size={large ? 16 : 13} />
      )}
      <span className="aws-countdown-text" aria-hidden="true">
        {text}
      </span>
    </span>
  );
}
