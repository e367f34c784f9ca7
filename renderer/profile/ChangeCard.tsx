import { type ReactElement } from 'react';
import {
  FILE_REVEAL_MAX_BYTES,
  type ChangeContext as ChangeContextData,
  type ChangeSide,
  type FileCompare,
  type PlanEntry,
  type PlanFile,
  type SourceMeta,
} from '../../contract/plan';
import { HideCountdown } from '../components/HideCountdown';
import { Icon } from '../components/icons';
import { useNow } from '../components/StatusBar';
import { relativeTime } from '../lib/format';
import { userLabel } from '../lib/services';
import type { Choice, ProfileRef } from '../state/profile-store';
import { fileRevealName, revealId, sidesPendingId, useReveal } from '../state/reveal-store';
import { useSettings } from '../state/settings-store';
import { openAtKey, openFileSecret } from './actions';

/**
 * One change of the plan in the style of a code review (issue 14, item 3): whether it goes into this sync (a
 * checkbox, for an add, change or removal; a conflict has its own two choices), where each side comes from
 * (version, who, when), and each side's length and keyed fingerprint, so two sides can be told apart without
 * seeing them. The values themselves come only on "Compare values", for the reveal's time, side by side.
 */

/** What a ticked change does, and what an unticked one leaves, for a key's line and for a file secret. */
const VERBS: Record<ChangeKind, Partial<Record<PlanEntry['status'], { ticked: string; unticked: string }>>> = {
  key: {
    add: { ticked: 'Add to the file', unticked: 'Left as it is in the file' },
    change: { ticked: 'Update in the file', unticked: 'Left as it is in the file' },
    remove: { ticked: 'Remove from the file', unticked: 'Left as it is in the file' },
  },
  file: {
    add: { ticked: 'Write the file', unticked: 'Not written' },
    change: { ticked: 'Replace the file', unticked: 'Left as it is' },
  },
};

/** A key of the target, or a file secret (by its path as latchkey.yml writes it): their ids never meet. */
export type ChangeKind = 'key' | 'file';

/** The test id prefix of a change's controls: a file's path can never stand for a key's name. */
export const changeTestPrefix = (kind: ChangeKind) => (kind === 'file' ? 'file-' : '');

/** Whether this change goes into the sync; unticked, the file keeps what it has (a key's line, or a whole file). */
export function ChangeTick({
  kind,
  name,
  status,
  choice,
  onChoose,
}: {
  kind: ChangeKind;
  name: string;
  status: PlanEntry['status'];
  choice: Choice;
  onChoose(choice: Choice): void;
}): ReactElement | null {
  const verb = VERBS[kind][status];
  if (!verb) return null;
  const ticked = choice !== 'keep-local';
  return (
    <label className="change-tick">
      <input
        type="checkbox"
        checked={ticked}
        onChange={(e) => onChoose(e.currentTarget.checked ? 'take-remote' : 'keep-local')}
        aria-label={`${verb.ticked}: ${name}`}
        data-testid={`${changeTestPrefix(kind)}change-${name}-tick`}
      />
      <span className={ticked ? '' : 'subtle'}>{ticked ? verb.ticked : verb.unticked}</span>
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
        {context?.synced ? <SyncedLine synced={context.synced} testId={`change-${name}-synced`} now={now} /> : null}
      </ul>
      <div className="change-actions">
        {sides ? null : (
          <CompareButton
            label="Compare values"
            subject={name}
            pending={pending}
            testId={`change-${name}-reveal`}
            onClick={(seconds) => void useReveal.getState().revealSides(refp, name, seconds)}
          />
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
        <ComparedSides
          title="Values"
          sides={sides}
          onHide={() => useReveal.getState().hideSides(id)}
          testPrefix={`change-${name}`}
          absent="(no line)"
        />
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
  unit = 'character',
}: {
  label: string;
  testId: string;
  side: ChangeSide | { fingerprint: string } | undefined;
  meta?: SourceMeta | undefined;
  now?: number;
  /** A key's value is measured in characters, a file's in bytes. */
  unit?: 'character' | 'byte';
}): ReactElement {
  const version = meta ? versionText(meta) : undefined;
  const by = userLabel(meta?.modifiedBy);
  return (
    <li className="change-side" data-testid={testId}>
      <span className="change-side-label">{label}</span>
      {version ? (
        <span data-field="version" className="change-version">
          {version}
        </span>
      ) : null}
      {by ? (
        <span data-field="by" className="change-by" title={by.full}>
          by {by.short}
        </span>
      ) : null}
      {meta?.modifiedAt && now !== undefined ? (
        <time data-field="when" dateTime={meta.modifiedAt} title={meta.modifiedAt}>
          {relativeTime(meta.modifiedAt, now)}
        </time>
      ) : null}
      {side && 'length' in side ? (
        <span data-field="length">
          {side.length.toLocaleString()} {side.length === 1 ? unit : `${unit}s`}
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
  absent = '(no line)',
}: {
  label: string;
  value: string | undefined;
  testId: string;
  absent?: string;
}): ReactElement {
  return (
    <div className="change-compare-col">
      <span className="small subtle">{label}</span>
      {value === undefined ? (
        <span className="small subtle" data-testid={testId}>
          {absent}
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

/** What Latchkey wrote last time: its version, when it was synced, and its fingerprint. */
function SyncedLine({
  synced,
  testId,
  now,
}: {
  synced: NonNullable<ChangeContextData['synced']>;
  testId: string;
  now: number;
}): ReactElement {
  return <SideLine label="Last synced" testId={testId} side={synced} meta={syncedMeta(synced)} now={now} />;
}

/** The last synced side's version, and when it was synced, as a side line shows them. */
function syncedMeta(synced: NonNullable<ChangeContextData['synced']>): SourceMeta {
  return {
    ...(synced.version !== undefined && { version: synced.version }),
    ...(synced.chamberVersion !== undefined && { chamberVersion: synced.chamberVersion }),
    ...(synced.syncedAt !== undefined && { modifiedAt: synced.syncedAt }),
  };
}

/** Why a file's contents cannot be compared here (FILE_COMPARE), in words. */
const NOT_COMPARED: Record<Exclude<FileCompare, 'text'>, string> = {
  binary: 'Not text: its contents cannot be shown here.',
  'too-large': `Larger than ${FILE_REVEAL_MAX_BYTES / 1024} KB: its contents are not shown here.`,
};

/**
 * A file secret's change, as a key's (issue 14, item 3): each side's byte length and keyed fingerprint, the
 * object's version and age, the last synced record; "Compare contents" only for small text (else why not), and
 * "Open file" for the file on disk. Never its content until the user asks.
 */
export function FileChangeContext({ file, refp }: { file: PlanFile; refp: ProfileRef }): ReactElement {
  const now = useNow(30_000);
  const { context, meta, path } = file;
  const id = revealId(refp, fileRevealName(path));
  const sides = useReveal((s) => s.sides[id]);
  const pending = useReveal((s) => s.pending[sidesPendingId(id)] === true);
  const onDisk = context ? context.local !== undefined : file.status !== 'add';
  const t = `file-change-${path}`;
  return (
    <div className="change-context" data-testid={`${t}-context`}>
      <ul className="change-sides" aria-label={`What each side of ${path} is`}>
        {context?.local ? (
          <SideLine label="This file" testId={`${t}-local`} side={context.local} unit="byte" />
        ) : (
          <li className="change-side subtle" data-testid={`${t}-local`}>
            <span className="change-side-label">This file</span> {onDisk ? 'on disk' : 'not on disk yet'}
          </li>
        )}
        <SideLine label="Source" testId={`${t}-remote`} side={context?.remote} meta={meta} now={now} unit="byte" />
        {context?.synced ? <SyncedLine synced={context.synced} testId={`${t}-synced`} now={now} /> : null}
      </ul>
      <div className="change-actions">
        {file.compare === 'text' ? (
          sides ? null : (
            <CompareButton
              label="Compare contents"
              subject={path}
              pending={pending}
              testId={`${t}-reveal`}
              onClick={(seconds) => void useReveal.getState().revealFileSides(refp, path, seconds)}
            />
          )
        ) : file.compare ? (
          <span className="small subtle change-not-compared" data-testid={`${t}-no-compare`}>
            {NOT_COMPARED[file.compare]}
          </span>
        ) : null}
        {onDisk ? (
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => void openFileSecret(refp, path)}
            aria-label={`Open file: ${path}`}
            data-testid={`${t}-open`}
          >
            <Icon name="external" size={13} />
            Open file
          </button>
        ) : null}
      </div>
      {sides ? (
        <ComparedSides
          title="Contents"
          sides={sides}
          onHide={() => useReveal.getState().hideSides(id)}
          testPrefix={t}
          absent={{ local: '(no file)', remote: '(no object)' }}
        />
      ) : null}
    </div>
  );
}

/** "Compare values" or "Compare contents": asks for both sides, for the reveal time set in Settings. */
function CompareButton({
  label,
  subject,
  pending,
  testId,
  onClick,
}: {
  label: string;
  subject: string;
  pending: boolean;
  testId: string;
  onClick(seconds: number): void;
}): ReactElement {
  return (
    <button
      type="button"
      className="btn btn-ghost btn-sm change-reveal"
      disabled={pending}
      onClick={() => onClick(useSettings.getState().settings.revealSeconds)}
      aria-label={`${label}: ${subject}`}
      data-testid={testId}
    >
      {pending ? <span className="spinner" /> : <Icon name="eye" size={13} />}
      {label}
    </button>
  );
}

/** Both revealed sides side by side, with the time left and Hide; a side without a value says so (`absent`). */
function ComparedSides({
  title,
  sides,
  onHide,
  testPrefix,
  absent,
}: {
  title: string;
  sides: { local?: string | undefined; remote?: string | undefined; expiresAt: number };
  onHide(): void;
  testPrefix: string;
  absent: string | { local: string; remote: string };
}): ReactElement {
  const missing = typeof absent === 'string' ? { local: absent, remote: absent } : absent;
  return (
    <div className="change-compare" data-testid={`${testPrefix}-compare`}>
      <div className="change-compare-head">
        <strong className="small">{title}</strong>
        <HideCountdown until={sides.expiresAt} />
        <button type="button" className="btn btn-ghost btn-sm" onClick={onHide} data-testid={`${testPrefix}-hide`}>
          <Icon name="eye-off" size={13} />
          Hide
        </button>
      </div>
      <div className="change-compare-cols">
        <RevealedSide
          label="This file"
          value={sides.local}
          testId={`${testPrefix}-local-value`}
          absent={missing.local}
        />
        <RevealedSide
          label="Source"
          value={sides.remote}
          testId={`${testPrefix}-remote-value`}
          absent={missing.remote}
        />
      </div>
    </div>
  );
}
