import { type ReactElement, type ReactNode } from 'react';
import type { LoginField, LoginSummary } from '../../contract/ipc';
import { Icon } from '../components/icons';
import { Skeleton } from '../components/ui';
import { relativeTime } from '../lib/format';
import { LOGIN_SHORTCUTS, hostOf, loginKey } from '../lib/logins';
import { useLogins } from '../state/logins-store';
import { LoginAvatar } from './LoginList';
import { HideCountdown } from '../components/HideCountdown';

const MASK = '••••••••••';

/** The selected login: what it is, and the copy, reveal and open actions. Field values never come here unasked. */
export function LoginDetail({ login }: { login: LoginSummary }): ReactElement {
  const key = loginKey(login);
  const details = useLogins((s) => s.details[key]);
  const ready = details?.status === 'ready' ? details.login : undefined;
  const urls = ready?.urls ?? (login.url ? [login.url] : []);
  const canOpen = urls.some((u) => u.startsWith('https://'));

  return (
    <section className="login-detail card" aria-label={`Login ${login.title}`} data-testid="login-detail">
      <header className="login-detail-head">
        <LoginAvatar title={login.title} large />
        <div className="login-detail-title">
          <h2 className="wrap-anywhere" data-identifier="login-title">
            {login.title}
          </h2>
          <span className="subtle small row-inline">
            <Icon name="lock" size={12} />
            {login.vault}
            {login.updatedAt ? <span> · changed {relativeTime(login.updatedAt)}</span> : null}
          </span>
        </div>
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => void useLogins.getState().openUrl()}
          disabled={!canOpen}
          title={
            canOpen
              ? `Open ${hostOf(urls.find((u) => u.startsWith('https://')))} in your browser`
              : 'This login has no https website'
          }
          data-testid="login-open"
        >
          <Icon name="external" size={13} />
          Open
        </button>
      </header>

      {details?.status === 'error' ? (
        <p className="login-detail-error small" role="alert">
          <Icon name="error" size={13} /> Could not load this login: {details.error.message}
        </p>
      ) : null}

      <dl className="login-fields">
        <Field label="Username" loading={!ready && details?.status !== 'error'}>
          {ready ? (
            <span className="login-field-value">{ready.username ?? <span className="subtle">None</span>}</span>
          ) : null}
          <CopyButton
            field="username"
            label="Copy username"
            disabled={ready ? !ready.username : false}
            testId="login-copy-username"
          />
        </Field>
        <Field label="Password" loading={false}>
          <PasswordValue itemKey={key} disabled={ready ? !ready.hasPassword : false} />
          <CopyButton
            field="password"
            label="Copy password"
            primary
            disabled={ready ? !ready.hasPassword : false}
            testId="login-copy-password"
          />
        </Field>
        <Field label="One-time code" loading={!ready && details?.status !== 'error'}>
          {ready ? (
            <span className="login-field-value">
              {ready.hasOtp ? <span className="login-mask">••• •••</span> : <span className="subtle">None</span>}
            </span>
          ) : null}
          <CopyButton field="otp" label="Copy code" disabled={ready ? !ready.hasOtp : false} testId="login-copy-otp" />
        </Field>
        <Field label={urls.length > 1 ? 'Websites' : 'Website'} loading={false}>
          <span className="login-field-value login-urls">
            {urls.length === 0 ? (
              <span className="subtle">None</span>
            ) : (
              urls.map((u) => (
                <span key={u} className="mono ellipsis">
                  {u}
                </span>
              ))
            )}
          </span>
        </Field>
      </dl>

      <p className="login-detail-foot subtle small">
        <Icon name="shield" size={13} />
        Latchkey copies in the background and clears the clipboard if it still holds the value. Every copy and reveal is
        recorded in the audit log.
      </p>
    </section>
  );
}

function Field({ label, loading, children }: { label: string; loading: boolean; children: ReactNode }): ReactElement {
  return (
    <div className="login-field">
      <dt>{label}</dt>
      <dd>
        {loading ? <Skeleton width="45%" className="login-field-value" /> : null}
        {children}
      </dd>
    </div>
  );
}

function CopyButton({
  field,
  label,
  primary = false,
  disabled,
  testId,
}: {
  field: LoginField;
  label: string;
  primary?: boolean;
  disabled: boolean;
  testId: string;
}): ReactElement {
  const copying = useLogins((s) => s.copying === field);
  return (
    <button
      type="button"
      className={`btn btn-sm ${primary ? 'btn-primary' : ''} login-copy`}
      onClick={() => void useLogins.getState().copy(field)}
      disabled={disabled || copying}
      aria-keyshortcuts={field === 'password' ? 'Enter' : undefined}
      data-testid={testId}
    >
      {copying ? <span className="spinner" /> : <Icon name="copy" size={13} />}
      {label}
      <kbd className="kbd-hint">{LOGIN_SHORTCUTS[field]}</kbd>
    </button>
  );
}

function PasswordValue({ itemKey, disabled }: { itemKey: string; disabled: boolean }): ReactElement {
  const revealed = useLogins((s) => (s.revealed?.key === itemKey ? s.revealed : null));
  const pending = useLogins((s) => s.revealPending);
  if (revealed) {
    return (
      <span className="login-field-value login-revealed">
        <span className="mono login-secret" data-testid="login-value">
          {revealed.value}
        </span>
        <HideCountdown until={revealed.expiresAt} />
        <button
          type="button"
          className="btn btn-ghost btn-icon btn-sm"
          aria-label="Hide the password"
          onClick={() => useLogins.getState().hide()}
          data-testid="login-hide"
        >
          <Icon name="eye-off" size={14} />
        </button>
      </span>
    );
  }
  return (
    <span className="login-field-value">
      <span className="login-mask" aria-label="Hidden password">
        {MASK}
      </span>
      <button
        type="button"
        className="btn btn-ghost btn-sm"
        onClick={() => void useLogins.getState().reveal()}
        disabled={disabled || pending}
        data-testid="login-reveal"
      >
        {pending ? <span className="spinner" /> : <Icon name="eye" size={14} />}
        Reveal
      </button>
    </span>
  );
}
