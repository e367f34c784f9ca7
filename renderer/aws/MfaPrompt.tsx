import { useId, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { MfaCodeSchema } from '../../contract/ipc';
import { Icon } from '../components/icons';
import { useAws } from '../state/aws-store';

/**
 * The MFA code field, inline where the session was asked for (the AWS detail panel, a readiness row). Six digits,
 * focused at once, Enter submits; a refused code says why and leaves the field ready for the next one.
 */
export function MfaPrompt({
  profile,
  mfaSerial,
  onDone,
  compact = false,
}: {
  profile: string;
  mfaSerial?: string | undefined;
  onDone?: () => void;
  compact?: boolean;
}): ReactElement | null {
  const ask = useAws((s) => (s.mfa?.profile === profile ? s.mfa : null));
  const busy = useAws((s) => !!s.busy[profile]);
  const [code, setCode] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  if (!ask) return null;

  const complete = MfaCodeSchema.safeParse(code).success;
  // Runs from onSubmit as `void submit(e)`: it shows its own outcome, and call() turns every failure into an
  // envelope, so the promise has nothing left to reject with.
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!complete || busy) return;
    const ok = await useAws.getState().submitMfa(code);
    setCode('');
    if (ok) onDone?.();
    // The field was disabled while main checked the code, which dropped the focus: give it back for the next code.
    else requestAnimationFrame(() => input.current?.focus());
  };

  return (
    <form
      className={`aws-mfa ${compact ? 'is-compact' : ''}`}
      onSubmit={(e) => void submit(e)}
      noValidate
      data-testid="aws-mfa"
    >
      <div className="aws-mfa-text">
        <label htmlFor={id} className="aws-mfa-label">
          <Icon name="shield" size={14} />
          MFA code for {profile}
        </label>
        {!compact ? (
          <span className="subtle small">
            {ask.purpose === 'default' ? 'To make it the default, ' : 'To start the session, '}enter the 6-digit code
            from your authenticator
            {mfaSerial ? (
              <>
                {' '}
                (<span className="mono">{mfaSerial.split('/').pop()}</span>)
              </>
            ) : null}
            . Latchkey keeps the session, so you are not asked again until it ends.
          </span>
        ) : null}
      </div>
      <div className="aws-mfa-row">
        <input
          ref={input}
          id={id}
          className="input mono aws-mfa-input"
          type="text"
          inputMode="numeric"
          pattern="[0-9]{6}"
          maxLength={6}
          autoComplete="one-time-code"
          autoFocus
          spellCheck={false}
          placeholder="123456"
          value={code}
          onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              useAws.getState().cancelMfa();
            }
          }}
          aria-invalid={ask.error ? true : undefined}
          aria-describedby={ask.error ? `${id}-error` : undefined}
          disabled={busy}
          data-testid="aws-mfa-code"
        />
        <button
          type="submit"
          className="btn btn-primary btn-sm"
          disabled={!complete || busy}
          data-testid="aws-mfa-submit"
        >
          {busy ? <span className="spinner" /> : <Icon name="check" size={13} />}
          {ask.purpose === 'default' ? 'Use as default' : 'Start session'}
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => useAws.getState().cancelMfa()}
          disabled={busy}
        >
          Cancel
        </button>
      </div>
      {ask.error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          <Icon name="error" size={13} />
          <span>That code was not accepted: {ask.error} Wait for the next code and try again.</span>
        </p>
      ) : null}
    </form>
  );
}
