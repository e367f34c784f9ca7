import { useEffect, useId, useRef, type KeyboardEvent, type ReactElement } from 'react';
import type { AwsKeyView } from '../../contract/ipc';
import { Icon } from '../components/icons';

const FOCUSABLE =
  'button:not(:disabled), [href], input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/**
 * "Rotate access key?": says exactly what will happen, in order, before anything does. The focus stays inside
 * (Tab cycles), Esc cancels, and the focus goes back where it was when the dialog closes.
 */
export function RotateDialog({
  profile,
  keys,
  onConfirm,
  onCancel,
}: {
  profile: string;
  keys: AwsKeyView[] | undefined;
  onConfirm: () => void;
  onCancel: () => void;
}): ReactElement {
  const box = useRef<HTMLDivElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const descId = useId();
  const previous = useRef<Element | null>(document.activeElement);
  const active = keys?.filter((k) => k.status === 'Active') ?? [];
  const oldTail = active[0]?.idTail ?? keys?.[0]?.idTail;
  const other = keys && keys.length >= 2 ? keys.find((k) => k.idTail !== oldTail) : undefined;

  useEffect(() => {
    cancel.current?.focus();
    const before = previous.current;
    return () => {
      if (before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
      return;
    }
    if (e.key !== 'Tab' || !box.current) return;
    const items = Array.from(box.current.querySelectorAll<HTMLElement>(FOCUSABLE));
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="scrim" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div
        className="dialog aws-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={descId}
        ref={box}
        onKeyDown={onKeyDown}
        data-testid="aws-rotate-dialog"
      >
        <div className="aws-dialog-head">
          <span className="aws-dialog-icon tone-warn">
            <Icon name="key" size={18} />
          </span>
          <div className="grow">
            <h2 id={titleId}>Rotate the access key of {profile}?</h2>
            <p className="muted" id={descId}>
              Latchkey replaces your own IAM user key
              {oldTail ? (
                <>
                  {' '}
                  <span className="mono">…{oldTail}</span>
                </>
              ) : null}
              , one step at a time:
            </p>
          </div>
        </div>
        <ol className="aws-steps">
          <li>
            <strong>Create</strong> a new access key for your IAM user (CreateAccessKey).
          </li>
          <li>
            <strong>Verify</strong> the new key with GetCallerIdentity, retrying for a few seconds while IAM propagates
            it.
          </li>
          <li>
            <strong>Store</strong> the new key in your OS keychain, in place of the old one.
          </li>
          <li>
            <strong>Delete</strong> the old key
            {oldTail ? (
              <>
                {' '}
                <span className="mono">…{oldTail}</span>
              </>
            ) : null}{' '}
            in IAM. Anything else still using it stops working.
          </li>
        </ol>
        <p className="aws-dialog-note small muted">
          <Icon name="shield" size={13} />
          <span>
            If any step fails, the keychain keeps a key that works and Latchkey tells you exactly what IAM holds. The
            rotation is recorded in the audit log.
          </span>
        </p>
        {other ? (
          <p className="aws-dialog-note small tone-text-warn" role="note" data-testid="aws-rotate-limit">
            <Icon name="warning" size={13} />
            <span>
              This user already has two access keys, the IAM limit, so IAM will refuse a third and nothing will change.
              Delete the key you no longer use (<span className="mono">…{other.idTail}</span>) in the IAM console or
              with <span className="mono">aws iam delete-access-key</span> first.
            </span>
          </p>
        ) : null}
        <div className="aws-dialog-actions">
          <button type="button" className="btn" ref={cancel} onClick={onCancel} data-testid="aws-rotate-cancel">
            Cancel
          </button>
          <button type="button" className="btn btn-primary" onClick={onConfirm} data-testid="aws-rotate-confirm">
            <Icon name="refresh" size={14} />
            Rotate key
          </button>
        </div>
      </div>
    </div>
  );
}
