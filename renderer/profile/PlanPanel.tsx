import { memo, useDeferredValue, useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import type { InvalidationReason } from '../../contract/ipc';
import type { Plan, PlanEntry, PlanFile } from '../../contract/plan';
import { ErrorPanel } from '../components/ErrorPanel';
import { Icon } from '../components/icons';
import { useNow } from '../components/StatusBar';
import { Callout, KeyStatusBadge, ProgressBar, Skeleton } from '../components/ui';
import { takeFocusIfLostAfterPaint } from '../lib/focus';
import { syncBlocker } from '../lib/plan-summary';
import { plural, relativeTime } from '../lib/format';
import { DISPLAY_ORDER, displayStatus, KEY_LOOKS, type KeyDisplayStatus } from '../lib/status';
import { useApp } from '../state/app-store';
import { standingSyncResult, usePushedProfile } from '../state/main-state';
import { useProfiles, type Choice, type ProfileData, type ProfileRef, type Progress } from '../state/profile-store';
import { addToGitignore, keepMine } from './actions';
import { ChangeContext, ChangeTick, changeTestPrefix, FileChangeContext, type ChangeKind } from './ChangeCard';
import { originText } from './KeysTable';
import { OfflineNotice } from './OfflineNotice';
import { SidePanel } from './SidePanel';
import { radioGroupKeys } from '../lib/keys';

const COLLAPSED_BY_DEFAULT = new Set<KeyDisplayStatus>(['in-sync', 'local-only']);
const PAGE = 60;

const PHASE_WORDS: Record<Progress['phase'], string> = {
  resolving: 'Fetching from the sources',
  planning: 'Comparing with the file',
  writing: 'Writing the file',
  done: 'Done',
};

export function PlanPanel({
  refp,
  target,
  data,
  askedElsewhere,
}: {
  refp: ProfileRef;
  target: string;
  data: ProfileData;
  askedElsewhere: ReadonlySet<string>;
}): ReactElement {
  const close = () => useApp.getState().setPanel(null);
  const { plan: planState, sync, progress } = data;
  const plan = planState.plan;
  // The body (a page of change cards per group) renders in React's interruptible background pass, after the panel
  // has painted, and so does each new plan's: rendered with the click that opened the panel, it made a long task of
  // it with a 5,000-key plan (issue 14, item 5). Meanwhile the skeleton, or the plan shown before, stands.
  const shownPlan = useDeferredValue(plan ?? null, null);
  // Until the deferred body has caught up, it shows an earlier plan: dimmed, and the panel says it is busy.
  const catchingUp = shownPlan !== (plan ?? null);
  const running = sync.status === 'running' || planState.status === 'loading';
  const now = useNow(5000);
  const replan = () => void useProfiles.getState().runPlan(refp);
  const standing = standingSyncResult(sync.result, usePushedProfile(refp));

  return (
    <SidePanel
      title="Plan"
      subtitle={
        <>
          <span className="mono">{refp.profile}</span> → <span className="mono">{target}</span>
          {planState.at && planState.status !== 'loading' ? <span> · {relativeTime(planState.at, now)}</span> : null}
        </>
      }
      onClose={close}
      testId="plan-panel"
      busy={running || catchingUp}
      scrollTopKey={sync.status === 'running' || sync.status === 'error'}
      focusKey={running}
      headerExtra={
        <button
          type="button"
          className="btn btn-ghost btn-icon btn-sm"
          aria-label="Plan again"
          onClick={replan}
          disabled={running}
          data-testid="panel-replan"
        >
          <Icon name="refresh" size={14} />
        </button>
      }
      footer={
        plan && planState.status === 'ready' && !sync.error ? (
          <PlanFooter
            plan={plan}
            target={target}
            refp={refp}
            running={running}
            choices={data.choices}
            fileChoices={data.fileChoices}
          />
        ) : undefined
      }
      status={
        // The write is done when the sync answers: its result is not held back behind the re-plan that follows it.
        sync.status === 'done' && standing ? (
          <ResultSummary
            result={standing}
            target={target}
            now={now}
            onDismiss={() => useProfiles.getState().clearSyncResult(refp)}
          />
        ) : running ? (
          <RunProgress progress={progress} syncing={sync.status === 'running'} />
        ) : undefined
      }
    >
      {sync.status === 'error' && sync.error ? (
        <ErrorPanel
          error={sync.error}
          context="Sync"
          dir={refp.dir}
          askedElsewhere={askedElsewhere}
          nothingWritten
          takeFocus
          onRetry={() => void useProfiles.getState().runSync(refp)}
          onResolved={replan}
        />
      ) : null}

      {planState.stale && !running ? <StaleNotice reason={planState.stale} onReplan={replan} /> : null}

      {plan?.offline?.length && !running ? <OfflineNotice offline={plan.offline} onRetry={replan} /> : null}

      {planState.status === 'error' && planState.error && sync.status !== 'error' ? (
        <ErrorPanel
          error={planState.error}
          context="Plan"
          dir={refp.dir}
          askedElsewhere={askedElsewhere}
          nothingWritten
          onRetry={replan}
          onResolved={replan}
        />
      ) : null}

      {shownPlan ? (
        <PlanBody
          plan={shownPlan}
          target={target}
          refp={refp}
          choices={data.choices}
          fileChoices={data.fileChoices}
          dimmed={planState.status === 'loading' || catchingUp}
        />
      ) : plan || planState.status === 'loading' ? (
        <PlanSkeleton />
      ) : null}
    </SidePanel>
  );
}

function RunProgress({ progress, syncing }: { progress?: Progress | undefined; syncing: boolean }): ReactElement {
  const words = progress ? PHASE_WORDS[progress.phase] : syncing ? 'Starting the sync' : 'Planning';
  // Keys and requests as they are done (issue 14, item 5); while a listing still pages, the total is only what was
  // found so far, so the bar does not claim an end it cannot know.
  const listing = progress?.listing === true;
  const counts =
    progress && progress.total > 0
      ? ` · ${progress.done.toLocaleString()} of ${progress.total.toLocaleString()} keys${listing ? ' found so far' : ''}`
      : '';
  const requests = progress?.requests?.sent
    ? ` · ${progress.requests.answered.toLocaleString()} of ${progress.requests.sent.toLocaleString()} requests answered`
    : '';
  return (
    <div className="run-progress" role="status">
      <div className="row small">
        <span className="spinner" />
        <span className="grow">
          {syncing ? 'Syncing: ' : ''}
          {words}
          {counts}
          {requests}
        </span>
      </div>
      <ProgressBar
        done={progress?.done}
        total={listing ? undefined : progress?.total}
        label={syncing ? 'Sync progress' : 'Plan progress'}
      />
    </div>
  );
}

function ResultSummary({
  result,
  target,
  now,
  onDismiss,
}: {
  result: NonNullable<ProfileData['sync']['result']>;
  target: string;
  now: number;
  onDismiss(): void;
}): ReactElement {
  const c = result.plan.counts;
  // Keys and file secrets alike: a file taken from the source or kept counts as one conflict.
  const conflicts = [...result.plan.entries, ...result.plan.files].filter((e) => e.status === 'conflict');
  const tookRemote = conflicts.filter((e) => e.resolution === 'take-remote').length;
  const keptLocal = conflicts.length - tookRemote;
  const parts = [
    c.add ? `${c.add} added` : '',
    c.change ? `${c.change} updated` : '',
    c.remove ? `${c.remove} removed` : '',
    tookRemote ? `${tookRemote} conflict${tookRemote === 1 ? '' : 's'} took the remote value` : '',
    keptLocal ? `${keptLocal} local edit${keptLocal === 1 ? '' : 's'} kept` : '',
  ].filter(Boolean);
  const box = useRef<HTMLDivElement>(null);
  // The Sync now that was pressed is disabled by now: the outcome takes the focus, inside the panel, so Esc closes it.
  // It is pinned under the panel's header, in view: no scroll, and after the frame that shows it (lib/focus.ts).
  useEffect(() => takeFocusIfLostAfterPaint(box.current, box.current?.closest('.side-panel'), { scroll: false }), []);
  return (
    <div
      className="result-summary"
      ref={box}
      tabIndex={-1}
      data-testid="result-summary"
      data-wrote={result.wrote}
      role="status"
    >
      <span className="result-icon tone-ok">
        <Icon name="check" size={15} />
      </span>
      <div className="grow">
        <p className="result-title">
          {result.wrote ? `Wrote ${target}` : `${target} is already up to date`}{' '}
          <span className="subtle small">· {relativeTime(result.at, now)}</span>
        </p>
        <p className="result-text">
          {result.wrote
            ? parts.length
              ? `${parts.join(', ')}.`
              : 'The file was rewritten.'
            : 'Nothing needed to change; the file was not touched.'}
        </p>
      </div>
      <button
        type="button"
        className="btn btn-ghost btn-icon btn-sm"
        aria-label="Dismiss the result"
        onClick={onDismiss}
      >
        <Icon name="x" size={13} />
      </button>
    </div>
  );
}

function StaleNotice({ reason, onReplan }: { reason: InvalidationReason; onReplan(): void }): ReactElement {
  return (
    <Callout
      tone="warn"
      icon="warning"
      title="This plan is out of date"
      testId="stale-notice"
      actions={
        <button type="button" className="btn btn-sm" onClick={onReplan} data-testid="replan">
          <Icon name="refresh" size={13} />
          Re-plan
        </button>
      }
    >
      {reason === 'manifest'
        ? 'latchkey.yml changed on disk since this plan was made.'
        : 'The target file changed on disk since this plan was made.'}
    </Callout>
  );
}

function PlanSkeleton(): ReactElement {
  return (
    <div className="plan-skeleton" aria-hidden="true">
      <Skeleton height={8} />
      <div className="row">
        <Skeleton width={90} />
        <Skeleton width={110} />
        <Skeleton width={70} />
      </div>
      {[0, 1, 2].map((i) => (
        <div key={i} className="plan-group">
          <Skeleton width={140} height={14} />
          <Skeleton width="80%" />
          <Skeleton width="65%" />
        </div>
      ))}
    </div>
  );
}

const STAT_ORDER: KeyDisplayStatus[] = [
  'new',
  'changed-remotely',
  'removed',
  'conflict',
  'edited-locally',
  'error',
  'in-sync',
  'local-only',
];

// Memoised: the panel re-renders on every progress event of a plan or sync, and its body (a page of change cards
// per group) is the same until the plan or the choices change.
const PlanBody = memo(function PlanBody({
  plan,
  target,
  refp,
  choices,
  fileChoices,
  dimmed,
}: {
  plan: Plan;
  target: string;
  refp: ProfileRef;
  choices: Record<string, Choice>;
  fileChoices: Record<string, Choice>;
  dimmed: boolean;
}): ReactElement {
  const groups = useMemo(() => {
    const map = new Map<KeyDisplayStatus, PlanEntry[]>();
    for (const entry of plan.entries) {
      const d = displayStatus(entry);
      let list = map.get(d);
      if (!list) map.set(d, (list = []));
      list.push(entry);
    }
    return map;
  }, [plan]);
  const special = useMemo(() => plan.entries.filter((e) => e.overrides.length > 0 || e.collision), [plan]);

  return (
    <div className={`plan-body ${dimmed ? 'is-dimmed' : ''}`}>
      {plan.entries.length === 0 ? (
        <p className="subtle">
          {plan.files.length === 0 ? 'This profile produces no keys.' : 'This profile produces no keys, only files.'}
        </p>
      ) : (
        <div className="plan-summary">
          <div className="stack-bar" aria-hidden="true">
            {STAT_ORDER.filter((s) => groups.get(s)?.length).map((s) => (
              <span key={s} className={`stack-seg seg-${s}`} style={{ flexGrow: groups.get(s)!.length }} />
            ))}
          </div>
          <ul className="plan-stats" aria-label="Summary">
            {STAT_ORDER.filter((s) => groups.get(s)?.length).map((s) => (
              <li key={s} className="plan-stat">
                <Icon name={KEY_LOOKS[s].icon} size={12} className={`icon tone-text-${KEY_LOOKS[s].tone}`} />
                <span className="plan-stat-num">{groups.get(s)!.length.toLocaleString()}</span>
                <span className="plan-stat-label">{KEY_LOOKS[s].label}</span>
              </li>
            ))}
          </ul>
        </div>
      )}

      {plan.gitignoreNeeded ? (
        <Callout
          tone="warn"
          icon="shield"
          title={`${target} is not ignored by git`}
          testId="gitignore-warning"
          actions={
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => void addToGitignore(refp)}
              data-testid="gitignore-add"
            >
              <Icon name="plus" size={13} />
              Add to .gitignore
            </button>
          }
        >
          A commit would publish its secrets. Add it to the <code>.gitignore</code> beside latchkey.yml.
        </Callout>
      ) : null}

      {plan.warnings.length > 0 ? (
        <Callout
          tone="warn"
          icon="warning"
          title={plan.warnings.length === 1 ? 'Warning' : `${plan.warnings.length} warnings`}
        >
          <ul className="plain-list">
            {plan.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </Callout>
      ) : null}

      {DISPLAY_ORDER.filter((s) => groups.get(s)?.length).map((s) => (
        <PlanGroup key={s} status={s} entries={groups.get(s)!} refp={refp} choices={choices} />
      ))}

      {plan.files.length > 0 ? <FilesGroup files={plan.files} refp={refp} choices={fileChoices} /> : null}

      {special.length > 0 ? <OverridesGroup entries={special} /> : null}
    </div>
  );
});

/**
 * File secrets (`s3:` + `file:`), written with the target: each with its status, and each change reviewed as a
 * key's is (the same ChangeChoice, and FileChangeContext). "Always keep mine" is for keys only (latchkey.local.yml
 * names keys).
 */
function FilesGroup({
  files,
  refp,
  choices,
}: {
  files: PlanFile[];
  refp: ProfileRef;
  choices: Record<string, Choice>;
}): ReactElement {
  const [open, setOpen] = useState(true);
  const listId = 'plan-group-files';
  return (
    <section className="plan-group" data-testid="plan-group-files">
      <button
        type="button"
        className="plan-group-head"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen(!open)}
      >
        <span className="badge tone-muted">
          <Icon name="file" />
          Files
        </span>
        <span className="count">{files.length.toLocaleString()}</span>
        <span className="subtle small ellipsis grow">Written whole, with the target.</span>
        <Icon name={open ? 'chevron-up' : 'chevron-down'} size={14} />
      </button>
      {open ? (
        <ul className="plan-list" id={listId}>
          {files.map((file) => {
            const reviewed = REVIEWED.has(file.status);
            const choice = choiceOf(file, choices[file.path]);
            const unticked = isUnticked(file, choice);
            return (
              <li
                key={file.path}
                className={`plan-item${unticked ? ' is-unticked' : ''}`}
                data-testid={`plan-file-${file.path}`}
                data-status={file.status}
                data-ticked={reviewed && file.status !== 'conflict' ? String(!unticked) : undefined}
              >
                <div className="plan-item-main">
                  <span className="mono plan-name">{file.path}</span>
                  <KeyStatusBadge status={displayStatus(file)} />
                  <span className="plan-origin mono subtle ellipsis">{file.origin.ref}</span>
                </div>
                {file.reason ? <p className="plan-reason">{file.reason}</p> : null}
                {reviewed ? (
                  <ChangeChoice
                    kind="file"
                    name={file.path}
                    status={file.status}
                    choice={choice}
                    onChoose={(c) => useProfiles.getState().setFileChoice(refp, file.path, c)}
                  />
                ) : null}
                {reviewed ? <FileChangeContext file={file} refp={refp} /> : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}

function PlanGroup({
  status,
  entries,
  refp,
  choices,
}: {
  status: KeyDisplayStatus;
  entries: PlanEntry[];
  refp: ProfileRef;
  choices: Record<string, Choice>;
}): ReactElement {
  const [open, setOpen] = useState(!COLLAPSED_BY_DEFAULT.has(status));
  const [shown, setShown] = useState(PAGE);
  const look = KEY_LOOKS[status];
  const listId = `plan-group-${status}`;
  return (
    <section className="plan-group" data-testid={`plan-group-${status}`}>
      <button
        type="button"
        className="plan-group-head"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen(!open)}
      >
        <KeyStatusBadge status={status} />
        <span className="count">{entries.length.toLocaleString()}</span>
        <span className="subtle small grow plan-group-explain">{look.explain}</span>
        <Icon name={open ? 'chevron-up' : 'chevron-down'} size={14} />
      </button>
      {open ? (
        <ul className="plan-list" id={listId}>
          {entries.slice(0, shown).map((e) => (
            <PlanItem key={e.name} entry={e} refp={refp} choice={choiceOf(e, choices[e.name])} />
          ))}
          {entries.length > shown ? (
            <li className="plan-more">
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => setShown(shown + PAGE * 4)}>
                Show {Math.min(PAGE * 4, entries.length - shown).toLocaleString()} more of{' '}
                {entries.length.toLocaleString()}
              </button>
            </li>
          ) : null}
        </ul>
      ) : null}
    </section>
  );
}

/** The changes a person reviews: each shows its context, and each can be left out of the sync. */
const REVIEWED = new Set<PlanEntry['status']>(['add', 'change', 'remove', 'conflict']);

/**
 * A key's or a file's choice: a conflict keeps the local edit unless told otherwise; any other change goes in unless
 * unticked. What the user chose since the plan wins over what the plan was made with.
 */
function choiceOf(change: PlanEntry | PlanFile, chosen: Choice | undefined): Choice {
  if (chosen) return chosen;
  if (change.status === 'conflict') return change.resolution === 'take-remote' ? 'take-remote' : 'keep-local';
  return change.resolution === 'keep-local' ? 'keep-local' : 'take-remote';
}

/** An add, change or removal the user left out of this sync (a conflict is never "unticked": it has two sides). */
function isUnticked(change: PlanEntry | PlanFile, choice: Choice): boolean {
  return REVIEWED.has(change.status) && change.status !== 'conflict' && choice === 'keep-local';
}

/**
 * The one choice a reviewed change offers, for a key and a file alike: a conflict's two sides (Keep local, Take
 * remote) with whatever stands beside them (`beside`), or the tick of an add, change or removal.
 */
function ChangeChoice({
  kind,
  name,
  status,
  choice,
  onChoose,
  beside,
}: {
  kind: ChangeKind;
  name: string;
  status: PlanEntry['status'];
  choice: Choice;
  onChoose(choice: Choice): void;
  beside?: ReactElement;
}): ReactElement | null {
  if (status !== 'conflict') {
    return <ChangeTick kind={kind} name={name} status={status} choice={choice} onChoose={onChoose} />;
  }
  return (
    <div className="conflict-actions">
      <ResolveChoice
        subject={name}
        testId={`${changeTestPrefix(kind)}conflict-${name}`}
        choice={choice}
        onChoose={onChoose}
      />
      {beside}
    </div>
  );
}

function PlanItem({ entry, refp, choice }: { entry: PlanEntry; refp: ProfileRef; choice: Choice }): ReactElement {
  const reviewed = REVIEWED.has(entry.status);
  const unticked = isUnticked(entry, choice);
  const name = entry.name;
  return (
    <li
      className={`plan-item${unticked ? ' is-unticked' : ''}`}
      data-testid={`plan-entry-${entry.name}`}
      data-ticked={reviewed && entry.status !== 'conflict' ? String(!unticked) : undefined}
    >
      <div className="plan-item-main">
        <span className="mono plan-name">{entry.name}</span>
        <span className="plan-origin mono subtle ellipsis">{originText(entry.origin)}</span>
      </div>
      {entry.reason ? <p className="plan-reason">{entry.reason}</p> : null}
      {reviewed ? (
        <ChangeChoice
          kind="key"
          name={name}
          status={entry.status}
          choice={choice}
          onChoose={(c) => useProfiles.getState().setChoice(refp, name, c)}
          beside={
            // Not a third choice for this sync: it changes what the plan is, so it stands beside the two.
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              title="Keep your value from now on (latchkey.local.yml, never committed)"
              onClick={() => void keepMine(refp, name)}
              data-testid={`conflict-${name}-keep-always`}
            >
              Always keep mine
            </button>
          }
        />
      ) : null}
      {reviewed ? <ChangeContext entry={entry} refp={refp} /> : null}
    </li>
  );
}

/** Keep local or Take remote for one conflict (a key or a file), as a radio group. */
function ResolveChoice({
  subject,
  testId,
  choice,
  onChoose,
}: {
  subject: string;
  testId: string;
  choice: Choice;
  onChoose(choice: Choice): void;
}): ReactElement {
  return (
    <div
      className="segmented conflict-choice"
      role="radiogroup"
      aria-label={`Resolve ${subject}`}
      onKeyDown={radioGroupKeys}
    >
      <button
        type="button"
        role="radio"
        aria-checked={choice === 'keep-local'}
        tabIndex={choice === 'keep-local' ? 0 : -1}
        onClick={() => onChoose('keep-local')}
        data-testid={`${testId}-keep-local`}
      >
        <Icon name="pencil" size={13} />
        Keep local
      </button>
      <button
        type="button"
        role="radio"
        aria-checked={choice === 'take-remote'}
        tabIndex={choice === 'take-remote' ? 0 : -1}
        onClick={() => onChoose('take-remote')}
        data-testid={`${testId}-take-remote`}
      >
        <Icon name="arrow-down" size={13} />
        Take remote
      </button>
    </div>
  );
}

function OverridesGroup({ entries }: { entries: PlanEntry[] }): ReactElement {
  const [open, setOpen] = useState(true);
  const [shown, setShown] = useState(PAGE);
  return (
    <section className="plan-group" data-testid="plan-group-overrides">
      <button type="button" className="plan-group-head" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="badge tone-muted">
          <Icon name="layers" />
          Overrides &amp; collisions
        </span>
        <span className="count">{entries.length.toLocaleString()}</span>
        <span className="subtle small ellipsis grow">Later sources win over earlier ones.</span>
        <Icon name={open ? 'chevron-up' : 'chevron-down'} size={14} />
      </button>
      {open ? (
        <ul className="plan-list">
          {entries.slice(0, shown).map((e) => (
            <li key={e.name} className="plan-item">
              <div className="plan-item-main">
                <span className="mono plan-name">{e.name}</span>
                <span className="plan-origin mono subtle ellipsis">from {originText(e.origin)}</span>
              </div>
              {e.overrides.map((o) => (
                <p key={o.id} className="plan-override">
                  <Icon name="layers" size={12} />
                  overrides <span className="mono">{originText(o)}</span>{' '}
                  <span className="subtle">(source {o.sourceIndex + 1})</span>
                </p>
              ))}
              {e.collision ? (
                <p className="plan-collision">
                  <Icon name="warning" size={12} />
                  <span>
                    <strong>Collision:</strong> {e.collision}
                  </span>
                </p>
              ) : null}
            </li>
          ))}
          {entries.length > shown ? (
            <li className="plan-more">
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => setShown(shown + PAGE * 4)}>
                Show more
              </button>
            </li>
          ) : null}
        </ul>
      ) : null}
    </section>
  );
}

function PlanFooter({
  plan,
  target,
  refp,
  running,
  choices,
  fileChoices,
}: {
  plan: Plan;
  target: string;
  refp: ProfileRef;
  running: boolean;
  choices: Record<string, Choice>;
  fileChoices: Record<string, Choice>;
}): ReactElement {
  const c = plan.counts;
  const errors = c.error ?? 0;
  const conflicts = c.conflict ?? 0;
  const choiceFor = (change: PlanEntry | PlanFile) =>
    choiceOf(change, 'path' in change ? fileChoices[change.path] : choices[change.name]);
  const changes = [...plan.entries, ...plan.files];
  const changeCount = changes.filter((e) => REVIEWED.has(e.status) && e.status !== 'conflict');
  const ticked = changeCount.filter((e) => choiceFor(e) !== 'keep-local').length;
  const takesRemote = changes.some((e) => e.status === 'conflict' && choiceFor(e) === 'take-remote');
  // The plan was made with the choices of its time; a tick since then may add what it would write.
  const writes = plan.writes || takesRemote || ticked > 0;
  const blocked = syncBlocker(plan);
  let text: string;
  if (errors > 0) text = `${plural(errors, 'key')} with errors: fix ${errors === 1 ? 'it' : 'them'} before syncing.`;
  else if (blocked) text = `${blocked.text}: nothing can be synced until that is resolved.`;
  else if (!writes) text = 'Nothing to write: the file matches.';
  else
    text = `${ticked < changeCount.length ? `${ticked.toLocaleString()} of ` : ''}${plural(changeCount.length, 'change')}${conflicts ? `, ${plural(conflicts, 'conflict')}` : ''} to write to ${target}.`;
  return (
    <div className="plan-foot">
      <span
        className={`small ${errors ? 'tone-text-bad' : blocked ? 'tone-text-warn' : 'muted'}`}
        data-testid="panel-sync-reason"
      >
        {text}
      </span>
      <span className="spacer" />
      <button
        type="button"
        className="btn btn-primary"
        disabled={running || blocked !== undefined || !writes}
        onClick={() => void useProfiles.getState().runSync(refp)}
        data-testid="panel-sync"
      >
        <Icon name="sync" size={14} />
        Sync now
      </button>
    </div>
  );
}
