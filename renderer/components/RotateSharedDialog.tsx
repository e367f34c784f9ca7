import { useEffect, useRef, type ReactElement } from 'react';
import { ROTATE_STEPS } from '../../contract/ipc';
import { impactText, otherUseText, policyText, ROTATE_STEP_LABELS } from '../lib/shared-secrets';
import { syncNow } from '../profile/actions';
import { useApp } from '../state/app-store';
import { sharedKeyId, useSharedSecrets, type Rotation } from '../state/shared-secrets-store';
import { DialogShell } from './DialogShell';
import { ErrorPanel } from './ErrorPanel';
import { Icon } from './icons';
import { SkeletonLines } from './ui';

/** The steps a rotation without a re-sync goes through (the dialog offers the sync afterwards). */
const SHOWN_STEPS = ROTATE_STEPS.filter((s) => s !== 'sync');

/**
 * "Rotate DB_PASSWORD?": names the parameter, the generator policy and the impact (the other profiles that read
 * it) before anything happens; then the steps as main reports them, and the outcome with a Sync now offer. The
 * focus stays inside, Esc closes it (not while the write runs), and the focus goes back where it was.
 */
export function RotateSharedDialog({ rotation }: { rotation: Rotation }): ReactElement {
  const { target, phase } = rotation;
  const described = useSharedSecrets((s) => s.described[sharedKeyId(target)]);
  const first = useRef<HTMLButtonElement>(null);
  const close = () => useSharedSecrets.getState().closeRotation();
  const view = described?.view;

  // Each phase has its own buttons: the first of them takes the focus, so Esc and Tab keep working.
  useEffect(() => {
    if (phase !== 'running') first.current?.focus();
  }, [phase]);

  const syncProfile = () => {
    close();
    const app = useApp.getState();
    if (app.screen !== 'projects' || app.projectDir !== target.ref.dir || app.profile !== target.ref.profile)
      app.showProject(target.ref.dir, target.ref.profile);
    syncNow(target.ref);
  };

  return (
    <DialogShell
      icon="refresh"
      title={
        <>
          {phase === 'done' ? 'Rotated ' : 'Rotate '}
          <span className="mono">{target.key}</span>
          {phase === 'done' ? '' : '?'}
        </>
      }
      description={view ? impactText(view.parameter, view.otherUses) : `Reading what is behind ${target.key}…`}
      descriptionTestId="rotate-impact"
      onClose={close}
      testId="rotate-shared-dialog"
      phase={phase}
      busy={phase === 'running'}
    >
      {phase === 'confirm' ? (
        described?.status === 'error' && described.error ? (
          <ErrorPanel error={described.error} context="Rotate" />
        ) : view ? (
          <>
            <p className="small" data-testid="rotate-policy">
              <strong>New value:</strong> {policyText(view.policy)}, from the system’s secure random generator. It is
              written over version {view.version}, so a change someone made meanwhile is never overwritten.
            </p>
            {view.otherUses.length > 0 ? (
              <p className="aws-dialog-note small tone-text-warn" role="note">
                <Icon name="warning" size={13} />
                <span>
                  {view.otherUses.length === 1 ? 'That profile needs' : 'Those profiles need'} a sync afterwards to get
                  the new value.
                </span>
              </p>
            ) : null}
          </>
        ) : (
          <SkeletonLines lines={2} label="Reading the parameter" />
        )
      ) : null}

      {phase === 'running' || phase === 'done' ? <StepList rotation={rotation} /> : null}

      {phase === 'done' && rotation.result ? (
        <div role="status" data-testid="rotate-result">
          <p className="small">
            <Icon name="check-circle" size={13} /> {rotation.result.parameter} is at version {rotation.result.version}{' '}
            (was {rotation.result.previousVersion}). This profile’s file still holds the old value until it syncs.
          </p>
          {rotation.result.otherUses.length > 0 ? (
            <p className="small muted" data-testid="rotate-others">
              Also sync: {rotation.result.otherUses.map(otherUseText).join(', ')}.
            </p>
          ) : null}
        </div>
      ) : null}

      {phase === 'error' && rotation.error ? <ErrorPanel error={rotation.error} context="Rotate" takeFocus /> : null}

      <div className="aws-dialog-actions">
        {phase === 'confirm' ? (
          <>
            <button type="button" className="btn" ref={first} onClick={close} data-testid="rotate-cancel">
              Cancel
            </button>
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => void useSharedSecrets.getState().confirmRotate()}
              disabled={!view || described?.status === 'loading'}
              data-testid="rotate-confirm"
            >
              <Icon name="refresh" size={14} />
              Rotate now
            </button>
          </>
        ) : phase === 'running' ? (
          <button type="button" className="btn" disabled>
            <span className="spinner" /> Rotating…
          </button>
        ) : phase === 'done' ? (
          <>
            <button type="button" className="btn" ref={first} onClick={close} data-testid="rotate-close">
              Close
            </button>
            <button type="button" className="btn btn-primary" onClick={syncProfile} data-testid="rotate-sync-now">
              <Icon name="sync" size={14} />
              Sync {target.ref.profile} now
            </button>
          </>
        ) : (
          <button type="button" className="btn" ref={first} onClick={close} data-testid="rotate-close">
            Close
          </button>
        )}
      </div>
    </DialogShell>
  );
}

function StepList({ rotation }: { rotation: Rotation }): ReactElement {
  const at =
    rotation.phase === 'done' ? SHOWN_STEPS.length : SHOWN_STEPS.findIndex((s) => s === (rotation.step ?? 'read'));
  const state = (i: number): 'done' | 'current' | 'pending' => (i < at ? 'done' : i === at ? 'current' : 'pending');
  const stepWord: Record<ReturnType<typeof state>, string> = { done: 'done', current: 'in progress', pending: 'to do' };
  return (
    <ol className="aws-steps rotate-steps" aria-label="Rotation steps" data-testid="rotate-steps">
      {SHOWN_STEPS.map((step, i) => (
        <li
          key={step}
          data-state={state(i)}
          data-step={step}
          aria-current={state(i) === 'current' ? 'step' : undefined}
        >
          {state(i) === 'current' ? <span className="spinner" /> : null}
          {ROTATE_STEP_LABELS[step]}
          <span className="sr-only"> ({stepWord[state(i)]})</span>
        </li>
      ))}
    </ol>
  );
}
