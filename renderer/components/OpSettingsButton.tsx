import type { ReactElement } from 'react';
import { goToOpSettings } from '../state/op-nav';
import { Icon } from './icons';

/** The readiness checklist's fix for `configure-op`: go set up the 1Password connection. */
export function OpSettingsButton({ testId }: { testId?: string }): ReactElement {
  return (
    <button type="button" className="btn btn-sm" onClick={goToOpSettings} data-testid={testId}>
      <Icon name="settings" size={13} />
      Set up 1Password
    </button>
  );
}
