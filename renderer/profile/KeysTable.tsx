import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import type { KeyStatus, Origin } from '../../contract/plan';
import { Icon } from '../components/icons';
import { MiddleText } from '../components/MiddleText';
import { PersonalSecretForm } from '../components/PersonalSecretForm';
import { Badge, KeyStatusBadge, Skeleton } from '../components/ui';
import { formatAge } from '../lib/format';
import type { KeyRow } from '../lib/rows';
import { afterLayoutOptions } from '../lib/virtual-after-layout';
import { ROTATION_LOOKS } from '../lib/status';
import { useProfiles, type ProfileRef } from '../state/profile-store';
import { revealId, useReveal } from '../state/reveal-store';
import { useSettings } from '../state/settings-store';
import { useSharedSecrets } from '../state/shared-secrets-store';
import { ValueCell } from './ValueCell';

const ROW_HEIGHT = 40;
/** A row with its fix under it (a personal secret to set): measured once shown, this is only the first guess. */
const FIX_ROW_HEIGHT = 88;
const COLUMNS = ['Name', 'Source', 'Status', 'Age', 'Value'] as const;
/**
 * Where the table's rows start, at the least, from the top of the window: the project's header, its action bar and
 * the table's own header take 288 px at 1440×900, more when a notice or the checklist shows. Drawn for the whole
 * window, a big profile's first render had 23 rows where 13 fit, in the task that opens it (issue 14, item 5).
 */
const ROWS_START_AT_LEAST_PX = 280;

export function originText(origin: Origin | undefined): string {
  if (!origin) return 'not from a source';
  const key = origin.sourceKey && origin.sourceKey !== origin.ref ? ` › ${origin.sourceKey}` : '';
  return `${origin.kind} ${origin.ref}${key}`;
}

/** The source's own key name, only when it says more than the variable name does (chamber's rule: `db-host` → DB_HOST). */
function showSourceKey(origin: Origin, name: string): boolean {
  if (!origin.sourceKey || origin.sourceKey === origin.ref) return false;
  return (
    origin.sourceKey
      .trim()
      .replace(/[-.\s]/g, '_')
      .toUpperCase() !== name
  );
}

/** Reveal asks the sources: keys they do not produce (errors, local-only, removed) have nothing to show. */
function canReveal(status: KeyStatus): boolean {
  return (
    status !== 'error' &&
    status !== 'local-only' &&
    status !== 'remove' &&
    status !== 'needs-input' &&
    status !== 'keychain-locked' &&
    status !== 'source-offline' &&
    status !== 'local-override'
  );
}

interface Props {
  refp: ProfileRef;
  rows: KeyRow[];
  /** A short description of the whole table for assistive tech ("Keys of dev"). */
  label: string;
  /** The filter text these rows answer; exposed as data-filter so tests and benchmarks can wait for it. */
  filter: string;
}

/**
 * The keys of a profile, virtualized: only the rows in view exist in the DOM, so 5,000 keys render and filter as
 * fast as 50. Keyboard: ↑/↓, Page Up/Down, Home/End move between rows; Enter reveals or hides the value; Tab
 * reaches the row's buttons (Details opens the key drawer, Reveal shows the value).
 */
// Memoised: the profile view re-renders on every progress event of a plan or sync (up to 20 a second), and the rows
// it hands down are the same until a new plan or filter; redrawing the table each time cost a task each.
export const KeysTable = memo(function KeysTable({ refp, rows, label, filter }: Props): ReactElement {
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const focusPending = useRef(false);
  const virtualizer = useVirtualizer({
    count: rows.length,
    estimateSize: (i) => (rows[i] && hasFix(rows[i].entry.status) ? FIX_ROW_HEIGHT : ROW_HEIGHT),
    overscan: 10,
    getItemKey: (i) => rows[i]?.entry.name ?? i,
    // Drawn in its first render, measured only in the frame's own layout: the opening's task stays short.
    ...afterLayoutOptions<HTMLDivElement, Element>(() => scroller.current, ROWS_START_AT_LEAST_PX),
  });

  // Stay inside the list when the filter shrinks it.
  const activeIndex = Math.min(active, Math.max(0, rows.length - 1));

  useEffect(() => {
    if (!focusPending.current) return;
    // A far jump (End, Page Down) renders the target row a frame later: keep trying until it exists.
    const row = scroller.current?.querySelector<HTMLElement>(`[data-index="${activeIndex}"]`);
    if (!row) return;
    focusPending.current = false;
    row.focus({ preventScroll: true });
  });

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, index));
    setActive(next);
    focusPending.current = true;
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // Keys typed into a row's own form (a personal secret) are the form's, not the table's.
    if ((e.target as HTMLElement).closest('form')) return;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const fromRow = (e.target as HTMLElement).getAttribute('role') === 'row';
    switch (e.key) {
      case 'ArrowDown':
        moveTo(activeIndex + 1);
        break;
      case 'ArrowUp':
        moveTo(activeIndex - 1);
        break;
      case 'PageDown':
        moveTo(activeIndex + page);
        break;
      case 'PageUp':
        moveTo(activeIndex - page);
        break;
      case 'Home':
        if (!fromRow) return;
        moveTo(0);
        break;
      case 'End':
        if (!fromRow) return;
        moveTo(rows.length - 1);
        break;
      case 'Enter':
      case ' ': {
        if (!fromRow) return;
        const row = rows[activeIndex];
        if (!row || !canReveal(row.entry.status)) return;
        const reveal = useReveal.getState();
        const id = revealId(refp, row.entry.name);
        if (reveal.values[id]) reveal.hide(id);
        else void reveal.reveal(refp, row.entry.name, useSettings.getState().settings.revealSeconds);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  };

  const items = virtualizer.getVirtualItems();
  return (
    <div
      className="keys-table"
      role="grid"
      aria-label={label}
      aria-rowcount={rows.length + 1}
      aria-colcount={COLUMNS.length}
      data-testid="keys-table"
      data-count={rows.length}
      data-filter={filter}
    >
      <div role="rowgroup" className="kt-head">
        <div role="row" aria-rowindex={1} className="kt-row kt-header">
          {COLUMNS.map((c, i) => (
            <div key={c} role="columnheader" aria-colindex={i + 1} className={`kt-cell kt-col-${c.toLowerCase()}`}>
              <span className="kt-head-label">{c}</span>
            </div>
          ))}
        </div>
      </div>
      <div className="kt-body" ref={scroller} role="rowgroup" onKeyDown={onKeyDown}>
        <div className="kt-spacer" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <KeyRowView
                key={item.key}
                row={row}
                index={item.index}
                top={item.start}
                refp={refp}
                active={item.index === activeIndex}
                onFocusRow={setActive}
                measure={hasFix(row.entry.status) ? virtualizer.measureElement : undefined}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
});

const KeyRowView = memo(function KeyRowView({
  row,
  index,
  top,
  refp,
  active,
  onFocusRow,
  measure,
}: {
  row: KeyRow;
  index: number;
  top: number;
  refp: ProfileRef;
  active: boolean;
  onFocusRow(i: number): void;
  /** The virtualizer's measuring ref, for the rows whose height their fix decides. */
  measure?: ((element: Element | null) => void) | undefined;
}): ReactElement {
  const { entry } = row;
  const revealed = useReveal((s) => revealId(refp, entry.name) in s.values);
  const origin = entry.origin;
  const rotation = entry.rotation;
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-index={index}
      ref={measure}
      className={`kt-row status-${row.display}${revealed ? ' is-revealed' : ''}${measure ? ' has-fix' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      tabIndex={active ? 0 : -1}
      onFocus={(e) => e.target === e.currentTarget && onFocusRow(index)}
      onMouseDown={() => onFocusRow(index)}
      data-testid={`key-row-${entry.name}`}
      data-status={entry.status}
    >
      <div role="gridcell" aria-colindex={1} className="kt-cell kt-col-name">
        <MiddleText text={entry.name} identifier="key" className="key-name mono" />
        {entry.overrides.length > 0 ? (
          <span className="pill pill-override" title={`Overrides ${entry.overrides.map(originText).join('; ')}`}>
            <Icon name="layers" size={11} />
            {entry.overrides.length}
            <span className="sr-only"> overridden source{entry.overrides.length === 1 ? '' : 's'}</span>
          </span>
        ) : null}
        {entry.collision ? (
          <span className="collision-mark tone-warn" title={entry.collision}>
            <Icon name="warning" size={13} />
            <span className="sr-only">Collision: {entry.collision}</span>
          </span>
        ) : null}
        <button
          type="button"
          className="btn btn-ghost btn-icon btn-sm key-details-btn"
          aria-label={`Details of ${entry.name}`}
          title={`Details of ${entry.name}`}
          onClick={() => useSharedSecrets.getState().openDrawer(refp, entry.name)}
          data-testid={`key-details-${entry.name}`}
          tabIndex={active ? 0 : -1}
        >
          <Icon name="history" size={14} />
        </button>
      </div>
      {revealed ? (
        // While a value is shown, it gets the width of the row: long URLs and keys stay readable for their few seconds.
        <div role="gridcell" aria-colindex={2} aria-colspan={4} className="kt-cell kt-col-revealed">
          <ValueCell refp={refp} name={entry.name} disabled={false} tabbable={active} />
        </div>
      ) : (
        <>
          <div role="gridcell" aria-colindex={2} className="kt-cell kt-col-source">
            {origin ? (
              <>
                <span className={`kind-tag kind-${origin.kind}`}>{origin.kind}</span>
                <MiddleText
                  text={showSourceKey(origin, entry.name) ? `${origin.ref} › ${origin.sourceKey}` : origin.ref}
                  identifier="source"
                  className="source-ref mono"
                />
              </>
            ) : (
              <span className="subtle small">
                {entry.status === 'local-only'
                  ? 'only in the file'
                  : entry.status === 'remove'
                    ? 'no longer produced'
                    : '—'}
              </span>
            )}
          </div>
          <div role="gridcell" aria-colindex={3} className="kt-cell kt-col-status">
            <KeyStatusBadge status={row.display} />
          </div>
          <div role="gridcell" aria-colindex={4} className="kt-cell kt-col-age">
            <span className="age-text">{formatAge(row.age)}</span>
            {rotation && rotation.status !== 'ok' ? (
              <Badge look={ROTATION_LOOKS[rotation.status]} className="badge-plain" />
            ) : null}
          </div>
          <div role="gridcell" aria-colindex={5} className="kt-cell kt-col-value">
            <ValueCell refp={refp} name={entry.name} disabled={!canReveal(entry.status)} tabbable={active} />
          </div>
        </>
      )}
      {entry.status === 'needs-input' ? <SetSecretFix refp={refp} name={entry.name} /> : null}
      {entry.status === 'keychain-locked' ? <UnlockFix refp={refp} name={entry.name} /> : null}
      {entry.status === 'source-offline' ? <OfflineFix refp={refp} name={entry.name} reason={entry.reason} /> : null}
    </div>
  );
});

/** Rows that carry their own fix under them, so one missing input never hides the rest of the table. */
function hasFix(status: KeyStatus): boolean {
  return status === 'needs-input' || status === 'keychain-locked' || status === 'source-offline';
}

function checkAgain(refp: ProfileRef): void {
  const store = useProfiles.getState();
  void store.runPlan(refp, { quiet: true });
  void store.loadReadiness(refp);
}

/** A personal secret not set yet: the form is on its row; once stored, the plan and the checklist are made again. */
function SetSecretFix({ refp, name }: { refp: ProfileRef; name: string }): ReactElement {
  return (
    <div role="gridcell" className="kt-cell kt-col-fix" data-testid={`row-fix-${name}`}>
      <span className="subtle small nowrap">Not set on this machine yet:</span>
      <PersonalSecretForm dir={refp.dir} name={name} onSaved={() => checkAgain(refp)} />
    </div>
  );
}

/**
 * Behind a locked keychain the secret may well exist: no paste box that would overwrite it, only the way out.
 * Latchkey cannot unlock the keychain itself; the OS does, and this checks again.
 */
function UnlockFix({ refp, name }: { refp: ProfileRef; name: string }): ReactElement {
  return (
    <div role="gridcell" className="kt-cell kt-col-fix" data-testid={`row-fix-${name}`}>
      <Icon name="lock" size={13} />
      <span className="small">Your OS keychain is locked. Unlock it, then</span>
      <button
        type="button"
        className="btn btn-sm"
        onClick={() => checkAgain(refp)}
        data-testid={`unlock-retry-${name}`}
      >
        <Icon name="refresh" size={13} />
        Check again
      </button>
    </div>
  );
}

/** A source that could not be reached: why, in its own words (never a value), and a way to try again. */
function OfflineFix({
  refp,
  name,
  reason,
}: {
  refp: ProfileRef;
  name: string;
  reason: string | undefined;
}): ReactElement {
  return (
    <div role="gridcell" className="kt-cell kt-col-fix" data-testid={`row-fix-${name}`}>
      <Icon name="cloud" size={13} />
      <span className="small ellipsis grow" title={reason}>
        {reason ?? 'Its source could not be reached.'}
      </span>
      <button
        type="button"
        className="btn btn-sm"
        onClick={() => checkAgain(refp)}
        data-testid={`offline-retry-${name}`}
      >
        <Icon name="refresh" size={13} />
        Try again
      </button>
    </div>
  );
}

export function KeysTableSkeleton({ rows = 9 }: { rows?: number }): ReactElement {
  return (
    <div className="keys-table" aria-busy="true" aria-label="Loading keys" role="grid" data-testid="keys-table-loading">
      <div role="rowgroup" className="kt-head">
        <div role="row" className="kt-row kt-header">
          {COLUMNS.map((c) => (
            <div key={c} role="columnheader" className={`kt-cell kt-col-${c.toLowerCase()}`}>
              <span className="kt-head-label">{c}</span>
            </div>
          ))}
        </div>
      </div>
      <div className="kt-body kt-body-static" role="rowgroup">
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} role="row" className="kt-row kt-row-static">
            <div role="gridcell" className="kt-cell kt-col-name">
              <Skeleton width={`${50 + ((i * 37) % 40)}%`} />
            </div>
            <div role="gridcell" className="kt-cell kt-col-source">
              <Skeleton width={`${40 + ((i * 23) % 45)}%`} />
            </div>
            <div role="gridcell" className="kt-cell kt-col-status">
              <Skeleton width={80} height={18} />
            </div>
            <div role="gridcell" className="kt-cell kt-col-age">
              <Skeleton width={36} />
            </div>
            <div role="gridcell" className="kt-cell kt-col-value">
              <Skeleton width={70} />
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
