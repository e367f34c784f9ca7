import { useState, type ReactElement } from 'react';
import type { ErrorAction } from '../../contract/errors';
import type { IpcError } from '../../contract/ipc';
import { call } from '../api';
import { ACTION_LOOKS, errorAction } from '../lib/errors';
import { useApp } from '../state/app-store';
import { useAws } from '../state/aws-store';
import { goToOpSettings } from '../state/op-nav';
import { projectIdOf } from '../state/project-ids';
import { Icon, type IconId } from './icons';

const ACTION_ICONS: Record<ErrorAction, IconId> = {
  'open-op-settings': 'settings',
  'import-aws-keys': 'lock',
  'unlock-keychain': 'lock',
  'open-manifest': 'external',
};

/** The AWS screen's Import button, brought into view with the focus on it (after the screen has rendered). */
function showImport(profile: string | undefined): void {
  if (profile) useAws.getState().select(profile);
  useApp.getState().go('aws');
  requestAnimationFrame(() => {
    const button = document.querySelector<HTMLElement>('[data-testid="aws-import"]');
    button?.scrollIntoView({ block: 'center' });
    button?.focus();
  });
}

/**
 * The in-app fix for an error, as one button (issue 14, item 8: the app told people to run CLI commands next to
 * the form that does it). Nothing when the error has no action, or when the action needs what the caller lacks
 * (a retry, a project).
 */
export function ErrorActionButton({
  error,
  onRetry,
  dir,
  awsProfile,
}: {
  error: IpcError;
  /** Unlock and try again: the keychain asks to be unlocked when it is read again. */
  onRetry?: (() => void) | undefined;
  /** The project whose latchkey.yml to open. */
  dir?: string | undefined;
  /** The AWS profile whose keys to import. */
  awsProfile?: string | undefined;
}): ReactElement | null {
  const [failed, setFailed] = useState(false);
  // A session that could not be written over plaintext keys: the fix is right here (issue 14, found 2).
  const inPlace = useAws(
    (s) =>
      !!awsProfile &&
      s.failures[awsProfile]?.error === error &&
      s.failures[awsProfile]?.action !== 'import' &&
      s.failures[awsProfile]?.action !== 'rotate',
  );
  const busy = useAws((s) => (awsProfile ? !!s.busy[awsProfile] : false));
  const action = errorAction(error);
  if (!action) return null;
  if (inPlace && awsProfile && action === 'import-aws-keys') {
    return (
      <button
        type="button"
        className="btn btn-sm btn-primary"
        onClick={() => void useAws.getState().importInPlace(awsProfile)}
        disabled={busy}
        data-testid="error-action-import-in-place"
      >
        {busy ? <span className="spinner" /> : <Icon name={ACTION_ICONS[action]} size={13} />}
        Import in place
      </button>
    );
  }
  let run: (() => void) | undefined;
  if (action === 'open-op-settings') run = goToOpSettings;
  else if (action === 'import-aws-keys') run = () => showImport(awsProfile);
  else if (action === 'unlock-keychain') run = onRetry;
  else if (dir && projectIdOf(dir))
    run = () =>
      void call('manifest.openInEditor', { projectId: projectIdOf(dir) }).then((result) => setFailed(!result.ok));
  if (!run) return null;
  return (
    <>
      <button type="button" className="btn btn-sm" onClick={run} data-testid={`error-action-${action}`}>
        <Icon name={ACTION_ICONS[action]} size={13} />
        {ACTION_LOOKS[action].label}
      </button>
      {failed ? (
        <span className="field-error small" role="status">
          No app on this computer opened latchkey.yml.
        </span>
      ) : null}
    </>
  );
}
