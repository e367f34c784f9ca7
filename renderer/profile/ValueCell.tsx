import { type ReactElement } from 'react';
import { Icon } from '../components/icons';
import type { ProfileRef } from '../state/profile-store';
import { revealId, useReveal } from '../state/reveal-store';
import { useSettings } from '../state/settings-store';
import { HideCountdown } from '../components/HideCountdown';

const MASK = '••••••••';

/**
 * The masked value and its Reveal button. The mask has a fixed length so it says nothing about the value. A
 * revealed value is shown here only: no title, no tooltip, no aria-live, and it goes away on its own.
 */
export function ValueCell({
  refp,
  name,
  disabled,
  tabbable,
}: {
  refp: ProfileRef;
  name: string;
  disabled: boolean;
  tabbable: boolean;
}): ReactElement {
  const id = revealId(refp, name);
  const revealed = useReveal((s) => s.values[id]);
  const pending = useReveal((s) => s.pending[id] === true);

  if (revealed) {
    return (
      <div className="value-cell is-revealed">
        <span className="value-text mono" data-testid={`value-${name}`}>
          {revealed.value}
        </span>
        <HideCountdown until={revealed.expiresAt} />
        <button
          type="button"
          className="btn btn-ghost btn-icon btn-sm"
          aria-label={`Hide ${name}`}
          onClick={() => useReveal.getState().hide(id)}
          data-testid={`hide-${name}`}
          tabIndex={tabbable ? 0 : -1}
        >
          <Icon name="eye-off" size={14} />
        </button>
      </div>
    );
  }
  return (
    <div className="value-cell">
      <span className="value-mask" aria-label="Hidden value">
        {MASK}
      </span>
      <button
        type="button"
        className="btn btn-ghost btn-sm reveal-btn"
        aria-label={`Reveal ${name}`}
        // Narrow layouts show the eye alone: the tooltip names what it does for pointer users.
        title={`Reveal ${name}`}
        disabled={disabled || pending}
        onClick={() => void useReveal.getState().reveal(refp, name, useSettings.getState().settings.revealSeconds)}
        data-testid={`reveal-${name}`}
        tabIndex={tabbable ? 0 : -1}
      >
        {pending ? <span className="spinner" /> : <Icon name="eye" size={14} />}
        <span className="reveal-word">Reveal</span>
      </button>
    </div>
  );
}
