import { useId, type ReactElement } from 'react';
import { Icon } from '../components/icons';
import { shortcut } from '../lib/keys';
import { execCommandFor } from '../lib/palette-commands';
import { pendingSummary, syncBlocker } from '../lib/plan-summary';
import type { ProfileData, ProfileRef } from '../state/profile-store';
import { copyExec, planNow, syncNow } from './actions';

/** The profile's sticky action bar: Plan, Sync, and the `latchkey exec` command for terminals. */
export function ActionBar({ refp, data }: { refp: ProfileRef; data: ProfileData }): ReactElement {
  const planning = data.plan.status === 'loading';
  const syncing = data.sync.status === 'running';
  const summary = pendingSummary(data.plan.plan, data.plan.status === 'error', Boolean(data.plan.stale));
  // A plan that cannot be written keeps Sync disabled, and the summary beside it says why ("1 key needs input").
  const blocked = data.plan.plan ? syncBlocker(data.plan.plan) : undefined;
  const summaryId = useId();
  return (
    <div className="action-bar" role="toolbar" aria-label="Profile actions">
      <span className={`action-summary tone-text-${summary.tone}`} id={summaryId} data-testid="action-summary">
        <Icon
          name={
            summary.tone === 'ok'
              ? 'check-circle'
              : summary.tone === 'bad'
                ? 'error'
                : summary.tone === 'warn'
                  ? 'diff'
                  : 'info'
          }
          size={15}
        />
        <span>{summary.text}</span>
        {data.plan.stale ? (
          <span className="badge tone-warn">
            <Icon name="warning" />
            Stale
          </span>
        ) : null}
      </span>
      <span className="spacer" />
      <button
        type="button"
        className="btn btn-ghost"
        onClick={() => void copyExec(refp.profile)}
        data-testid="copy-exec"
        aria-label={`Copy exec command: ${execCommandFor(refp.profile).trim()}`}
      >
        <Icon name="terminal" size={14} />
        <span className="wide-only">Copy exec command</span>
      </button>
      <button
        type="button"
        className="btn"
        onClick={() => planNow(refp)}
        disabled={planning || syncing}
        data-testid="plan-button"
      >
        {planning && !syncing ? <span className="spinner" /> : <Icon name="plan" size={14} />}
        Plan
        <span className="kbd-hint">{shortcut('P')}</span>
      </button>
      <button
        type="button"
        className="btn btn-primary"
        onClick={() => syncNow(refp)}
        disabled={syncing || blocked !== undefined}
        aria-describedby={blocked ? summaryId : undefined}
        title={blocked ? `Sync is not possible yet: ${blocked.text}` : undefined}
        data-testid="sync-button"
      >
        {syncing ? <span className="spinner" /> : <Icon name="sync" size={14} />}
        {syncing ? 'Syncing…' : 'Sync'}
        <span className="kbd-hint">{shortcut('S')}</span>
      </button>
    </div>
  );
}
