import { useEffect, useRef, type ReactElement } from 'react';
import type { LoginSummary } from '../../contract/ipc';
import { Icon } from '../components/icons';
import { Skeleton } from '../components/ui';
import { relativeTime } from '../lib/format';
import { hostOf, loginKey } from '../lib/logins';
import { useLogins } from '../state/logins-store';

export const optionId = (l: LoginSummary) => `login-opt-${l.itemId}`;

/** The results as a listbox driven from the search box (aria-activedescendant): the focus never leaves the input. */
export function LoginList({ listId }: { listId: string }): ReactElement {
  const logins = useLogins((s) => s.logins);
  const selected = useLogins((s) => s.selected);
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selected, logins]);

  return (
    <ul className="login-list" role="listbox" id={listId} ref={list} aria-label="Logins" data-testid="logins-list">
      {logins.map((l, i) => (
        <LoginRow key={loginKey(l)} login={l} index={i} selected={i === selected} />
      ))}
    </ul>
  );
}

function LoginRow({ login, index, selected }: { login: LoginSummary; index: number; selected: boolean }): ReactElement {
  const details = useLogins((s) => s.details[loginKey(login)]);
  const username = details?.status === 'ready' ? details.login.username : undefined;
  const host = hostOf(login.url);
  return (
    <li
      role="option"
      id={optionId(login)}
      aria-selected={selected}
      className="login-row"
      onMouseDown={(e) => e.preventDefault() /* keep the focus in the search box */}
      onClick={() => useLogins.getState().select(index)}
      onDoubleClick={() => void useLogins.getState().copy('password')}
      data-testid={`login-row-${login.itemId}`}
    >
      <LoginAvatar title={login.title} />
      <div className="login-row-text">
        <span className="login-title wrap-anywhere" data-identifier="login">
          {login.title}
        </span>
        <span className="login-sub ellipsis">
          {username ? <span className="login-username">{username}</span> : null}
          {username && host ? <span aria-hidden="true"> · </span> : null}
          {host ? <span className="login-host mono">{host}</span> : null}
          {!username && !host ? <span className="subtle">No website</span> : null}
        </span>
      </div>
      <div className="login-row-meta">
        <span className="login-vault pill" title={`Vault ${login.vault}`}>
          <Icon name="lock" size={11} />
          <span className="ellipsis">{login.vault}</span>
        </span>
        {login.updatedAt ? <span className="login-changed subtle small">{relativeTime(login.updatedAt)}</span> : null}
      </div>
    </li>
  );
}

export function LoginAvatar({ title, large = false }: { title: string; large?: boolean }): ReactElement {
  const letter = (title.trim()[0] ?? '?').toUpperCase();
  return (
    <span className={`login-avatar ${large ? 'is-large' : ''}`} aria-hidden="true">
      {letter}
    </span>
  );
}

export function LoginListSkeleton(): ReactElement {
  return (
    <ul className="login-list" aria-busy="true" aria-label="Loading logins">
      {[62, 48, 70, 55, 40].map((w) => (
        <li key={w} className="login-row is-skeleton">
          <Skeleton width={32} height={32} />
          <div className="login-row-text">
            <Skeleton width={`${w}%`} />
            <Skeleton width={`${w - 18}%`} height={10} />
          </div>
        </li>
      ))}
    </ul>
  );
}
