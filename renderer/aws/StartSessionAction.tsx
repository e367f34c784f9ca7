import type { ReactElement } from 'react';
import { ErrorActionButton } from '../components/ErrorActionButton';
import { Icon } from '../components/icons';
import { errorTodo } from '../lib/errors';
import { useAws } from '../state/aws-store';
import { MfaPrompt } from './MfaPrompt';

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * The readiness checklist's fix for "no AWS session": start it right there, asking for the MFA code inline when
 * main needs one, then let the checklist check again.
 */
export function StartSessionAction({
  profile,
  onDone,
  testId,
}: {
  profile: string;
  onDone: () => void;
  testId?: string;
}): ReactElement {
  const busy = useAws((s) => s.busy[profile]);
  const asking = useAws((s) => s.mfa?.profile === profile);
  const failure = useAws((s) => s.failures[profile]);
  if (asking) return <MfaPrompt profile={profile} onDone={onDone} compact />;
  return (
    <div className="aws-start-action">
      <button
        type="button"
        className="btn btn-sm btn-primary"
        onClick={() =>
          void useAws
            .getState()
            .start(profile)
            .then((ok) => ok && onDone())
        }
        disabled={!!busy}
        data-testid={testId}
      >
        {busy ? <span className="spinner" /> : <Icon name="cloud" size={13} />}
        Start session
      </button>
      {failure ? (
        <>
          <span className="field-error" role="alert">
            <Icon name="error" size={13} />
            <span>
              {sentence(failure.error.message)}{' '}
              {failure.error.action === 'import-aws-keys' && failure.action !== 'import'
                ? 'Import in place moves the keys into your OS keychain (the file keeps a backup), then starts the session.'
                : errorTodo(failure.error)}
            </span>
          </span>
          <ErrorActionButton error={failure.error} awsProfile={profile} />
        </>
      ) : null}
    </div>
  );
}
