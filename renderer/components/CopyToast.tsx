import { useEffect, useState, type ReactElement } from 'react';
import { subscribe } from '../api';
import { FIELD_WORDS } from '../lib/logins';
import { subscribeInTurn } from '../lib/subscribe-in-turn';
import { useClipboardNote, type CopyNote } from '../state/clipboard-store';
import { Icon } from './icons';

/**
 * "Password copied — clears in 30 s", counting down, then what main did with the clipboard. It names the field and
 * the login, never the value (which never reached the renderer).
 */
export function CopyToast(): ReactElement | null {
  const note = useClipboardNote((s) => s.note);
  // In a task of its own, not among the first render's effects (lib/subscribe-in-turn.ts).
  useEffect(
    () => subscribeInTurn([() => subscribe('clipboard.cleared', (p) => useClipboardNote.getState().cleared(p.reason))]),
    [],
  );
  if (!note) return null;
  return <CopyNoteView key={note.id} note={note} />;
}

function CopyNoteView({ note }: { note: CopyNote }): ReactElement {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (note.cleared) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [note.cleared]);
  const left = Math.max(0, Math.ceil((note.clearsAt - now) / 1000));
  const pct = Math.min(100, Math.max(0, ((note.clearsAt - now) / (note.seconds * 1000)) * 100));
  const word = FIELD_WORDS[note.field];
  const tone = note.cleared ? (note.cleared === 'timeout' ? 'ok' : 'info') : 'ok';
  const text =
    note.cleared === 'timeout'
      ? 'Clipboard cleared'
      : note.cleared === 'replaced'
        ? 'You copied something else since: Latchkey left the clipboard alone'
        : left > 0
          ? `${word} copied — clears in ${left} s`
          : 'Clearing the clipboard…';
  return (
    <div
      className="copy-toast"
      role="status"
      aria-live="polite"
      data-state={note.cleared ?? 'copied'}
      data-testid="copy-toast"
    >
      <span className={`icon-wrap tone-${tone}`}>
        <Icon name={note.cleared ? (note.cleared === 'timeout' ? 'shield' : 'info') : 'check'} size={14} />
      </span>
      <span className="copy-toast-text">
        <span className="copy-toast-main">{text}</span>
        <span className="subtle small ellipsis">{note.cleared ? `${word} of ${note.title}` : note.title}</span>
      </span>
      <button
        type="button"
        className="btn btn-ghost btn-icon btn-sm"
        aria-label="Dismiss"
        onClick={() => useClipboardNote.getState().dismiss()}
      >
        <Icon name="x" size={13} />
      </button>
      {!note.cleared ? <span className="copy-toast-bar" aria-hidden="true" style={{ width: `${pct}%` }} /> : null}
    </div>
  );
}
