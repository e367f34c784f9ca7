import type { ReactElement } from 'react';
import { useApp } from '../state/app-store';
import { Icon, type IconId } from './icons';

const ICONS: Record<string, IconId> = { ok: 'check', warn: 'warning', bad: 'error', info: 'info' };

/** Toasts carry what happened in words (key names at most), never a value. */
export function Toasts(): ReactElement {
  const toasts = useApp((s) => s.toasts);
  const dismiss = useApp((s) => s.dismissToast);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className="toast" data-tone={t.tone}>
          <span className={`icon-wrap tone-${t.tone}`}>
            <Icon name={ICONS[t.tone] ?? 'info'} size={14} />
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
