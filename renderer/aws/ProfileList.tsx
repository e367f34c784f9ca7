import { useEffect, useRef, type KeyboardEvent, type ReactElement } from 'react';
import type { AwsProfileView } from '../../contract/ipc';
import { Icon } from '../components/icons';
import { Skeleton } from '../components/ui';
import { useAws } from '../state/aws-store';
import { SessionCountdown } from './Countdown';
import { KIND_LOOKS } from './looks';

const awsOptionId = (name: string) => `aws-opt-${name}`;

/** Every profile in ~/.aws/config and ~/.aws/credentials: a listbox, arrows move, the selection opens beside it. */
export function ProfileList(): ReactElement {
  const profiles = useAws((s) => s.profiles);
  const selected = useAws((s) => s.selected);
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const index = profiles.findIndex((p) => p.name === selected);
    let next = -1;
    if (e.key === 'ArrowDown') next = Math.min(profiles.length - 1, index + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, index - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = profiles.length - 1;
    else return;
    e.preventDefault();
    const p = profiles[next];
    if (p) useAws.getState().select(p.name);
  };

  return (
    <ul
      className="aws-list"
      role="listbox"
      ref={list}
      tabIndex={0}
      aria-label="AWS profiles"
      aria-activedescendant={selected ? awsOptionId(selected) : undefined}
      onKeyDown={onKeyDown}
      data-testid="aws-profiles"
    >
      {profiles.map((p) => (
        <ProfileRow key={p.name} profile={p} selected={p.name === selected} />
      ))}
    </ul>
  );
}

function ProfileRow({ profile: p, selected }: { profile: AwsProfileView; selected: boolean }): ReactElement {
  const kind = KIND_LOOKS[p.kind];
  const needsMfa = useAws((s) => !!s.needsMfa[p.name]);
  const busy = useAws((s) => s.busy[p.name]);
  return (
    <li
      role="option"
      id={awsOptionId(p.name)}
      aria-selected={selected}
      className="aws-row"
      onClick={() => useAws.getState().select(p.name)}
      data-testid={`aws-profile-${p.name}`}
      data-kind={p.kind}
    >
      <span className={`aws-kind-tile kind-${p.kind}`} aria-hidden="true">
        <Icon name={kind.icon} size={16} />
      </span>
      <div className="aws-row-text">
        <span className="aws-row-name">
          <span className="wrap-anywhere" data-identifier="aws-profile">
            {p.name}
          </span>
          {p.isDefault ? <span className="pill aws-default-pill">default</span> : null}
        </span>
        <span className="aws-row-sub">
          <span className="aws-kind-word">{kind.word}</span>
          {p.region ? (
            <>
              <span aria-hidden="true"> · </span>
              <span className="mono aws-region">{p.region}</span>
            </>
          ) : null}
        </span>
      </div>
      <div className="aws-row-meta">
        {p.mfaSerial ? (
          <span className="badge tone-info aws-mfa-badge" title={`MFA device ${p.mfaSerial}`}>
            <Icon name="shield" />
            <span className="badge-word">MFA</span>
          </span>
        ) : null}
        {busy ? <span className="spinner" aria-label="Working" /> : null}
        {needsMfa ? (
          <span className="badge tone-warn" title="The session needs a new MFA code before it expires">
            <Icon name="warning" />
            <span className="badge-word">Code needed</span>
          </span>
        ) : (
          <SessionCountdown session={p.session} testId={`aws-countdown-${p.name}`} />
        )}
      </div>
    </li>
  );
}

export function ProfileListSkeleton(): ReactElement {
  return (
    <ul className="aws-list" aria-busy="true" aria-label="Loading AWS profiles">
      {[58, 44, 66, 50].map((w) => (
        <li key={w} className="aws-row is-skeleton">
          <Skeleton width={32} height={32} />
          <div className="aws-row-text">
            <Skeleton width={`${w}%`} />
            <Skeleton width={`${w - 16}%`} height={10} />
          </div>
        </li>
      ))}
    </ul>
  );
}
