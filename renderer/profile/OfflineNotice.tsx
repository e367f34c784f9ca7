import type { ReactElement } from 'react';
import type { Plan } from '../../contract/plan';
import { ErrorActionButton } from '../components/ErrorActionButton';
import { Icon } from '../components/icons';

type UnreadableSource = NonNullable<Plan['offline']>[number];

/** Why a source could not be read, in words: offline, refused, or not there (the plan's error code). */
function unreadableWords(code: UnreadableSource['code']): string {
  if (code === 'ACCESS_DENIED') return 'refused access';
  if (code === 'SOURCE_NOT_FOUND') return 'was not found';
  return 'is offline';
}

/**
 * Sources a plan could not read: which ones and why, in their own words (never a value), with the in-app fix where
 * there is one. Their last-known keys stay in the table, marked; a source never synced has no rows, so this is
 * where it is said.
 */
export function OfflineNotice({
  offline,
  onRetry,
}: {
  offline: NonNullable<Plan['offline']>;
  onRetry: () => void;
}): ReactElement {
  return (
    <div className="stale-bar" role="status" data-testid="offline-notice">
      <Icon name="cloud" size={14} />
      <span className="grow">
        {offline.map((o) => (
          <span key={`${o.kind}:${o.refs.join(',')}`} className="offline-source" data-code={o.code}>
            <strong>
              {o.kind} {o.refs.join(', ')}
            </strong>{' '}
            {unreadableWords(o.code)}: {o.reason}{' '}
          </span>
        ))}
        Its keys show as the last sync left them; nothing can be synced until it answers.
      </span>
      {offline.map((o) =>
        o.action ? (
          <ErrorActionButton
            key={`action:${o.kind}:${o.refs.join(',')}`}
            error={{ code: o.code ?? 'SOURCE_FAILED', message: o.reason, action: o.action }}
            onRetry={onRetry}
          />
        ) : null,
      )}
      <button type="button" className="btn btn-sm" onClick={onRetry} data-testid="offline-retry">
        <Icon name="refresh" size={13} />
        Try again
      </button>
    </div>
  );
}
