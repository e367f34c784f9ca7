import { type ReactElement } from 'react';
import type { ChangeSide, PlanEntry, SourceMeta } from '../../contract/plan';
import { HideCountdown } from '../components/HideCountdown';
import { Icon } from '../components/icons';
import { useNow } from '../components/StatusBar';
import { relativeTime } from '../lib/format';
import { knownUser } from '../lib/services';
import type { Choice, ProfileRef } from '../state/profile-store';
import { useProfiles } from '../state/profile-store';
import { revealId, sidesPendingId, useReveal } from '../state/reveal-store';
import { useSettings } from '../state/settings-store';
import { openAtKey } from './actions';

/**
 * One change of the plan in the style of a code review (issue 14, item 3): whether it goes into this sync (a
 * checkbox, for an add, change or removal; a conflict has its own two choices), where each side comes from
 * (version, who, when), and each side's length and keyed fingerprint, so two sides can be told apart without
 * seeing them. The values themselves come only on "Compare values", for the reveal's time, side by side.
 */

const VERBS: Partial<Record<PlanEntry['status'], string>> = {
  add: 'Add to the file',
  change: 'Update in the file',
  remove: 'Remove from the file',
};

/** Whether this change goes into the sync; unticked, the file keeps what it has for this key. */
export function ChangeTick({
  entry,
  refp,
  choice,
}: {
  entry: PlanEntry;
  refp: ProfileRef;
  choice: Choice;
}): ReactElement | null {
  const verb = VERBS[entry.status];
  if (!verb) return null;
  const ticked = choice !== 'keep-local';
  return (
    <label className="change-tick">
      <input
        type="checkbox"
        checked={ticked}
        onChange={(e) =>
          useProfiles.getState().setChoice(refp, entry.name, e.currentTarget.checked ? 'take-remote' : 'keep-local')
        }
        aria-label={`${verb}: ${entry.name}`}
        data-testid={`change-${entry.name}-tick`}
      />
      <span className={ticked ? '' : 'subtle'}>{ticked ? verb : 'Left as it is in the file'}</span>
    </label>
  );
}

export function ChangeContext({ entry, refp }: { entry: PlanEntry; refp: ProfileRef }): ReactElement {
  const now = useNow(30_000);
  const { context, meta, name } = entry;
  const id = revealId(refp, name);
  const sides = useReveal((s) => s.sides[id]);
  const pending = useReveal((s) => s.pending[sidesPendingId(id)] === true);
  const hasLocal = context?.local !== undefined;
  const hasRemote = entry.status !== 'remove';
  return (
    <div className="change-context" data-testid={`change-context-${name}`}>
      <ul className="change-sides" aria-label={`What each side of ${name} is`}>
        {hasLocal ? (
          <SideLine label="This file" testId={`change-${name}-local`} side={context?.local} />
        ) : (
          <li className="change-side subtle" data-testid={`change-${name}-local`}>
            <span className="change-side-label">This file</span> not in the file
          </li>
        )}
        {hasRemote ? (
          <SideLine label="Source" testId={`change-${name}-remote`} side={context?.remote} meta={meta} now={now} />
        ) : null}
        {context?.synced ? (
          <SideLine
            label="Last synced"
            testId={`change-${name}-synced`}
            side={context.synced}
            meta={{
              ...(context.synced.version !== undefined && { version: context.synced.version }),
              ...(context.synced.chamberVersion !== undefined && { chamberVersion: context.synced.chamberVersion }),
              ...(context.synced.syncedAt !== undefined && { modifiedAt: context.synced.syncedAt }),
            }}
            now={now}
          />
        ) : null}
      </ul>
      <div className="change-actions">
        {sides ? null : (
          <button
            type="button"
            className="btn btn-ghost btn-sm change-reveal"
            disabled={pending}
            onClick={() =>
              void useReveal.getState().revealSides(refp, name, useSettings.getState().settings.revealSeconds)
            }
            aria-label={`Compare values: ${name}`}
            data-testid={`change-${name}-reveal`}
          >
            {pending ? <span className="spinner" /> : <Icon name="eye" size={13} />}
            Compare values
          </button>
        )}
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => void openAtKey(refp, name)}
          aria-label={`Open in editor: ${name}`}
          data-testid={`change-${name}-open`}
        >
          <Icon name="external" size={13} />
          Open in editor
        </button>
      </div>
      {sides ? (
        <div className="change-compare" data-testid={`change-${name}-compare`}>
          <div className="change-compare-head">
            <strong className="small">Values</strong>
            <HideCountdown until={sides.expiresAt} />
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={() => useReveal.getState().hideSides(id)}
              data-testid={`change-${name}-hide`}
            >
              <Icon name="eye-off" size={13} />
              Hide
            </button>
          </div>
          <div className="change-compare-cols">
            <RevealedSide label="This file" value={sides.local} testId={`change-${name}-local-value`} />
            <RevealedSide label="Source" value={sides.remote} testId={`change-${name}-remote-value`} />
          </div>
        </div>
      ) : null}
    </div>
  );
}

function SideLine({
  label,
  testId,
  side,
  meta,
  now,
}: {
  label: string;
  testId: string;
  side: ChangeSide | { fingerprint: string } | undefined;
  meta?: SourceMeta | undefined;
  now?: number;
}): ReactElement {
  const version = meta ? versionText(meta) : undefined;
  return (
    <li className="change-side" data-testid={testId}>
      <span className="change-side-label">{label}</span>
      {version ? <span data-field="version">{version}</span> : null}
      {knownUser(meta?.modifiedBy) ? (
        <span data-field="by" className="change-by">
          by {knownUser(meta?.modifiedBy)}
        </span>
      ) : null}
      {meta?.modifiedAt && now !== undefined ? (
        <time data-field="when" dateTime={meta.modifiedAt} title={meta.modifiedAt}>
          {relativeTime(meta.modifiedAt, now)}
        </time>
      ) : null}
      {side && 'length' in side ? (
        <span data-field="length">
          {side.length.toLocaleString()} {side.length === 1 ? 'character' : 'characters'}
        </span>
      ) : null}
      {side ? (
        <code data-field="fingerprint" className="change-fingerprint" title="Keyed fingerprint (not the value)">
          {side.fingerprint}
        </code>
      ) : null}
    </li>
  );
}

function RevealedSide({
  label,
  value,
  testId,
}: {
  label: string;
  value: string | undefined;
  testId: string;
}): ReactElement {
  return (
    <div className="change-compare-col">
      <span className="small subtle">{label}</span>
      {value === undefined ? (
        <span className="small subtle" data-testid={testId}>
          (no line)
        </span>
      ) : (
        <span className="mono change-value" data-testid={testId}>
          {value}
        </span>
      )}
    </div>
  );
}

/** SSM's and 1Password's versions are counters (v7); chamber's own counter is said apart; anything else as is. */
function versionText(meta: SourceMeta): string | undefined {
  const parts: string[] = [];
  if (meta.version !== undefined) parts.push(/^\d+$/.test(meta.version) ? `v${meta.version}` : meta.version);
  if (meta.chamberVersion !== undefined) parts.push(`chamber v${meta.chamberVersion}`);
  return parts.length ? parts.join(' · ') : undefined;
}
