import { useId, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { call } from '../api';
import { isCliHint } from '../lib/errors';
import { useApp } from '../state/app-store';
import { projectIdOf } from '../state/project-ids';
import { Icon } from './icons';

/**
 * Asks for one personal secret. The input is uncontrolled so the value never enters React state; it is read once
 * on submit, sent to main (which stores it in the OS keychain and audits it), and the field is cleared.
 */
export function PersonalSecretForm({
  dir,
  name,
  onSaved,
  autoFocus = false,
}: {
  dir: string;
  name: string;
  onSaved: () => void;
  autoFocus?: boolean;
}): ReactElement {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [empty, setEmpty] = useState(true);
  const id = useId();

  // Runs from onSubmit as `void submit(e)`: it shows its own outcome, and call() turns every failure into an
  // envelope, so the promise has nothing left to reject with.
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const field = input.current;
    if (!field || field.value === '') return;
    const value = field.value;
    setBusy(true);
    setError(null);
    const result = await call('secrets.setPersonal', { projectId: projectIdOf(dir), name, value });
    setBusy(false);
    if (!result.ok) {
      const { message, hint } = result.error;
      setError(hint && !isCliHint(hint) ? `${message} ${hint}` : message);
      return;
    }
    field.value = '';
    setEmpty(true);
    useApp.getState().toast(`Saved ${name} to your keychain`, 'ok');
    onSaved();
  };

  return (
    <form className="secret-form" onSubmit={(e) => void submit(e)} noValidate>
      <label className="sr-only" htmlFor={id}>
        Value for {name}
      </label>
      <div className="input-group grow">
        <Icon name="lock" size={14} />
        <input
          ref={input}
          id={id}
          className="input mono"
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          placeholder={`Paste ${name}`}
          data-testid={`personal-secret-${name}`}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => setEmpty(e.currentTarget.value === '')}
          autoFocus={autoFocus}
          disabled={busy}
        />
      </div>
      <button
        type="submit"
        className="btn btn-primary btn-sm"
        disabled={busy || empty}
        data-testid={`personal-secret-save-${name}`}
      >
        {busy ? <span className="spinner" /> : <Icon name="lock" size={13} />}
        Save to keychain
      </button>
      {error ? (
        <p className="field-error secret-form-error" id={`${id}-error`} role="alert">
          <Icon name="error" size={13} />
          {error}
        </p>
      ) : null}
    </form>
  );
}
