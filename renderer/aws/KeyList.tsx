import type { ReactElement } from 'react';
import { ErrorPanel } from '../components/ErrorPanel';
import { Badge, Skeleton } from '../components/ui';
import { formatAge, relativeTime } from '../lib/format';
import { ROTATION_LOOKS } from '../lib/status';
import { useAws } from '../state/aws-store';

/** The IAM user's access keys: the id's last four characters (never the whole id), age against policy, last use. */
export function KeyList({ profile }: { profile: string }): ReactElement {
  const load = useAws((s) => s.keys[profile]);
  if (!load || load.status === 'loading') {
    return (
      <ul className="aws-keys" aria-busy="true" aria-label="Loading access keys" data-testid="aws-keys">
        {[0, 1].map((i) => (
          <li key={i} className="aws-key">
            <Skeleton width={70} />
            <Skeleton width="60%" />
          </li>
        ))}
      </ul>
    );
  }
  if (load.status === 'error') {
    return (
      <div data-testid="aws-keys">
        <ErrorPanel
          error={load.error}
          context="Listing access keys"
          onRetry={() => void useAws.getState().loadKeys(profile, true)}
        />
      </div>
    );
  }
  if (load.keys.length === 0) {
    return (
      <p className="subtle small aws-keys-empty" data-testid="aws-keys">
        IAM lists no access keys for this user.
      </p>
    );
  }
  return (
    <ul className="aws-keys" aria-label="Access keys" data-testid="aws-keys">
      {load.keys.map((k) => {
        const look = ROTATION_LOOKS[k.rotation.status];
        return (
          <li key={k.idTail} className="aws-key" data-testid={`aws-key-${k.idTail}`}>
            <div className="aws-key-id">
              <span className="mono aws-key-tail" aria-label={`Access key ending in ${k.idTail.split('').join(' ')}`}>
                …{k.idTail}
              </span>
              <span className={`pill ${k.status === 'Active' ? '' : 'aws-key-inactive'}`}>{k.status}</span>
            </div>
            <div className="aws-key-facts">
              <span className="aws-key-age">
                <span className="subtle">Age</span> {formatAge(k.rotation.ageDays)}
                <Badge look={look} className="aws-key-badge" />
                <span className="subtle small">of {k.rotation.maxAgeDays} d</span>
              </span>
              <span className="aws-key-used subtle small">
                {k.lastUsedAt ? (
                  <>
                    Last used {relativeTime(k.lastUsedAt)}
                    {k.lastUsedService ? (
                      <>
                        {' '}
                        · <span className="mono">{k.lastUsedService}</span>
                      </>
                    ) : null}
                  </>
                ) : (
                  'Never used'
                )}
              </span>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
