import { useEffect, useId, useRef, type KeyboardEvent, type ReactElement } from 'react';
import { ErrorPanel } from '../components/ErrorPanel';
import { Icon } from '../components/icons';
import { EmptyState } from '../components/ui';
import { isModKey, isTypingTarget } from '../lib/keys';
import { LOGIN_SHORTCUTS } from '../lib/logins';
import { plural } from '../lib/format';
import { LoginDetail } from '../logins/LoginDetail';
import { LoginList, LoginListSkeleton, optionId } from '../logins/LoginList';
import { installLoginRevealGuards, selectedLogin, useLogins } from '../state/logins-store';
import { goToOpSettings } from '../state/op-nav';

/** Main answers NEEDS_INPUT while no Connect server or token is set: that is "not connected", not a failure. */
const notConnected = (code: string | undefined) => code === 'NEEDS_INPUT';

export function LoginsScreen(): ReactElement {
  const query = useLogins((s) => s.query);
  const status = useLogins((s) => s.status);
  const error = useLogins((s) => s.error);
  const logins = useLogins((s) => s.logins);
  const answered = useLogins((s) => s.answered);
  const current = useLogins(selectedLogin);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();

  useEffect(() => {
    void useLogins.getState().search();
    return installLoginRevealGuards();
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const store = useLogins.getState();
    const inSearch = e.target === input.current;
    if (isModKey(e) && !e.altKey && !e.shiftKey) {
      const key = e.key.toLowerCase();
      const field = key === 'u' || key === 'b' ? 'username' : key === 't' ? 'otp' : null;
      if (field) {
        e.preventDefault();
        e.stopPropagation();
        void store.copy(field);
      }
      return;
    }
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (isTypingTarget(e.target) && !inSearch) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      store.move(e.key === 'ArrowDown' ? 1 : -1);
    } else if ((e.key === 'PageDown' || e.key === 'PageUp') && inSearch) {
      e.preventDefault();
      store.move(e.key === 'PageDown' ? 10 : -10);
    } else if (e.key === 'Enter' && inSearch) {
      e.preventDefault();
      void store.copy('password');
    } else if (e.key === 'Escape' && inSearch && store.query) {
      e.preventDefault();
      store.setQuery('');
    } else if (!inSearch && e.key.length === 1 && input.current) {
      // Type to search from anywhere on the screen: the keystroke lands in the box.
      input.current.focus();
    }
  };

  const connected = !(status === 'error' && notConnected(error?.code));
  const firstLoad = status === 'loading' && logins.length === 0;
  return (
    <div className="page logins-page" onKeyDown={onKeyDown}>
      <header className="page-header">
        <div className="grow">
          <h1>Logins</h1>
          <p className="muted">
            Shared logins from 1Password. Copy a username, password or one-time code; the value goes to the clipboard,
            never onto the screen.
          </p>
        </div>
        <button type="button" className="btn btn-sm btn-ghost" onClick={goToOpSettings} data-testid="logins-settings">
          <Icon name="settings" size={13} />
          1Password settings
        </button>
      </header>

      <div className="logins-toolbar">
        <div className="input-group logins-search">
          <Icon name="search" size={15} />
          <input
            ref={input}
            autoFocus
            className="input"
            type="search"
            role="combobox"
            aria-label="Search logins"
            aria-expanded={logins.length > 0}
            aria-controls={listId}
            aria-activedescendant={current ? optionId(current) : undefined}
            aria-autocomplete="list"
            placeholder="Type to search logins by title or website…"
            value={query}
            onChange={(e) => useLogins.getState().setQuery(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            disabled={!connected}
            data-testid="logins-search"
          />
          <span className="input-suffix">
            {status === 'loading' ? <span className="spinner" aria-label="Searching" /> : null}
          </span>
        </div>
        <span className="subtle small logins-count" role="status" aria-live="polite">
          {status === 'ready'
            ? answered.trim()
              ? `${plural(logins.length, 'login')} match “${answered.trim()}”`
              : plural(logins.length, 'login')
            : ''}
        </span>
        <KeyLegend />
      </div>

      <div className="logins-body">
        {!connected ? (
          <div className="logins-empty">
            <EmptyState
              icon="lock"
              title="Connect 1Password to see shared logins"
              testId="logins-not-connected"
              actions={
                <button type="button" className="btn btn-primary" onClick={goToOpSettings} data-testid="logins-connect">
                  <Icon name="settings" size={14} />
                  Set up 1Password Connect
                </button>
              }
            >
              <p>
                Latchkey reads logins through your organisation’s 1Password Connect server. Add its address and an
                access token in Settings.
              </p>
              {error ? <p className="subtle small">{error.message}</p> : null}
            </EmptyState>
          </div>
        ) : status === 'error' && error ? (
          <div className="logins-empty">
            <ErrorPanel
              headingLevel={2}
              error={error}
              context="Searching logins"
              onRetry={() => void useLogins.getState().search()}
              actions={
                <button type="button" className="btn btn-sm" onClick={goToOpSettings}>
                  <Icon name="settings" size={13} />
                  1Password settings
                </button>
              }
            />
          </div>
        ) : firstLoad || status === 'idle' ? (
          <div className="logins-split">
            <div className="card logins-list-card">
              <LoginListSkeleton />
            </div>
            <div className="card login-detail is-placeholder" aria-hidden="true" />
          </div>
        ) : logins.length === 0 ? (
          <div className="logins-empty">
            <EmptyState
              icon="search"
              title={answered.trim() ? `No logins match “${answered.trim()}”` : 'No logins in reach'}
              testId="logins-no-results"
            >
              <p>
                {answered.trim()
                  ? 'Search looks at titles and websites in every vault the token can read. Try fewer letters, or another word.'
                  : 'The vaults this Connect token can read hold no login items.'}
              </p>
            </EmptyState>
          </div>
        ) : (
          <div className="logins-split">
            <div className="card logins-list-card">
              <LoginList listId={listId} />
            </div>
            {current ? <LoginDetail key={`${current.vaultId}/${current.itemId}`} login={current} /> : null}
          </div>
        )}
      </div>
    </div>
  );
}

function KeyLegend(): ReactElement {
  return (
    <ul className="logins-keys subtle small" aria-label="Keyboard shortcuts">
      <li>
        <kbd>↑</kbd>
        <kbd>↓</kbd> move
      </li>
      <li>
        <kbd>{LOGIN_SHORTCUTS.password}</kbd> password
      </li>
      <li>
        <kbd>{LOGIN_SHORTCUTS.username}</kbd> username
      </li>
      <li>
        <kbd>{LOGIN_SHORTCUTS.otp}</kbd> code
      </li>
    </ul>
  );
}
