import type { ReactElement } from 'react';
import { useApp } from '../state/app-store';
import { TONE_ICONS } from '../lib/status';
import { Icon } from './icons';

/** Toasts carry what happened in words (key names at most), never a value. */
export function Toasts(): ReactElement {
  const toasts = useApp((s) => s.toasts);
  const dismiss = useApp((s) => s.dismissToast);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className="toast" data-tone={t.tone}>
          <span className={`icon-wrap tone-${t.tone}`}>
            <Icon name={t.tone === 'info' ? 'info' : TONE_ICONS[t.tone]} size={14} />
          </span>
          <span className="toast-text">{t.text}</span>
          <button
            type="button"
            className="btn btn-ghost btn-icon btn-sm"
            aria-label="Dismiss"
            onClick={() => dismiss(t.id)}
          >
            <Icon name="x" size={13} />
          </button>
        </div>
      ))}
    </div>
  );
}
