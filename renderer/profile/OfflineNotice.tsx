import type { ReactElement } from 'react';
import type { Plan } from '../../contract/plan';
import { Icon } from '../components/icons';

/**
 * Sources a plan could not read: which ones and why, in their own words (never a value). Their last-known keys stay
 * in the table, marked; a source never synced has no rows, so this is where it is said.
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
          <span key={`${o.kind}:${o.refs.join(',')}`} className="offline-source">
            <strong>
              {o.kind} {o.refs.join(', ')}
            </strong>{' '}
            is offline: {o.reason}{' '}
          </span>
        ))}
        Its keys show as the last sync left them; nothing can be synced until it answers.
      </span>
      <button type="button" className="btn btn-sm" onClick={onRetry} data-testid="offline-retry">
        <Icon name="refresh" size={13} />
        Try again
      </button>
    </div>
  );
}
