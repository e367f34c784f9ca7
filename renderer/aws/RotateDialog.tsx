import { useEffect, useRef, type ReactElement } from 'react';
import type { AwsKeyView } from '../../contract/ipc';
import { DialogShell } from '../components/DialogShell';
import { Icon } from '../components/icons';

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
  const cancel = useRef<HTMLButtonElement>(null);
  const active = keys?.filter((k) => k.status === 'Active') ?? [];
  const oldTail = active[0]?.idTail ?? keys?.[0]?.idTail;
  const other = keys && keys.length >= 2 ? keys.find((k) => k.idTail !== oldTail) : undefined;

  useEffect(() => cancel.current?.focus(), []);

  return (
    <DialogShell
      icon="key"
      title={<>Rotate the access key of {profile}?</>}
      description={
        <>
          Latchkey replaces your own IAM user key
          {oldTail ? (
            <>
              {' '}
              <span className="mono">…{oldTail}</span>
            </>
          ) : null}
          , one step at a time:
        </>
      }
      onClose={onCancel}
      testId="aws-rotate-dialog"
    >
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
            Delete the key you no longer use (<span className="mono">…{other.idTail}</span>) in the IAM console or with{' '}
            <span className="mono">aws iam delete-access-key</span> first.
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
    </DialogShell>
  );
}
