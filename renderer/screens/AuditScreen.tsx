import { useEffect, useMemo, useState, type ReactElement } from 'react';
import { auditFilterPredicate } from '../../contract/audit-filter-predicate';
import type {
  AuditExportFormat,
  AuditVerificationView,
  Envelope,
  IpcError,
  ManifestView,
  MethodOutput,
} from '../../contract/ipc';
import { call } from '../api';
import { ErrorPanel } from '../components/ErrorPanel';
import { Icon, type IconId } from '../components/icons';
import { Callout, EmptyState, Skeleton } from '../components/ui';
import { auditFilterOf, EMPTY_AUDIT_FILTER_FORM, isFiltering, type AuditFilterForm } from '../lib/audit-filter-form';
import {
  actionLabel,
  foldIntents,
  auditPlace,
  auditText,
  type AuditPlace,
  type AuditRow,
  type KnownProject,
} from '../lib/audit-text';
import { clockTime, dayLabel } from '../lib/format';
import { TONE_ICONS, type Tone } from '../lib/status';
import { radioGroupKeys } from '../lib/keys';
import { useApp } from '../state/app-store';
import { useProjects } from '../state/projects-store';

/** The timeline holds the latest events; an export reads the whole trail. */
const LIMIT = 1000;
const KEYS_SHOWN = 8;

function outcomeTone(outcome: string): Tone {
  const o = outcome.toLowerCase();
  if (/^(ok|success|succeeded|done|wrote|written|unchanged|revealed|saved)/.test(o)) return 'ok';
  if (/(fail|error|denied|broken|refused)/.test(o)) return 'bad';
  if (/(cancel|skip|partial|warn)/.test(o)) return 'warn';
  return 'muted';
}

const OUTCOME_WORDS: Record<string, string> = { error: 'Failed', cancelled: 'Cancelled' };

function actionIcon(action: string): IconId {
  if (action.includes('sync')) return 'sync';
  if (action.includes('reveal')) return 'eye';
  if (action.includes('copy')) return 'copy';
  if (action.includes('setting')) return 'settings';
  if (action.includes('manifest') || action.includes('profile')) return 'file';
  if (action.includes('personal') || action.includes('keychain') || action.includes('secret')) return 'lock';
  if (action.includes('session') || action.includes('aws')) return 'cloud';
  if (action.includes('gitignore')) return 'shield';
  return 'history';
}

/**
 * The known projects with their manifests, so an event's profile name can be told apart by project. Manifests the
 * app has not loaded yet are read here (names and targets only) without touching the projects store.
 */
function useKnownProjects(): KnownProject[] {
  const projects = useProjects((s) => s.projects);
  const manifests = useProjects((s) => s.manifests);
  const [read, setRead] = useState<Record<string, ManifestView>>({});
  useEffect(() => {
    if (projects === null) void useProjects.getState().load();
  }, [projects]);
  useEffect(() => {
    let live = true;
    const loaded = useProjects.getState().manifests;
    for (const p of projects ?? []) {
      if (p.state !== 'ok' || loaded[p.dir]?.status === 'ready') continue;
      void call('manifest.read', { projectId: p.id }).then((r) => {
        if (live && r.ok) setRead((m) => ({ ...m, [p.dir]: r.value.manifest }));
      });
    }
    return () => {
      live = false;
    };
  }, [projects]);
  return useMemo(
    () =>
      (projects ?? []).map((p) => {
        const load = manifests[p.dir];
        const manifest = load?.status === 'ready' ? load.manifest : read[p.dir];
        return manifest ? { name: p.name, dir: p.dir, manifest } : { name: p.name, dir: p.dir };
      }),
    [projects, manifests, read],
  );
}

function placeTitle(place: AuditPlace): string | undefined {
  if (!place.profile) return undefined;
  if (place.project) return `Profile ${place.profile} of ${place.project}`;
  if (place.candidates) return `Profile ${place.profile}, in one of ${place.candidates.join(', ')}`;
  return `Profile ${place.profile}`;
}

/** The export formats the header offers; each writes the events the filter matches, from the whole trail. */
const EXPORTS: { format: AuditExportFormat; label: string; title: string }[] = [
  {
    format: 'csv',
    label: 'Export CSV',
    title: 'Export the events that match the filter, from the whole trail, as CSV',
  },
  {
    format: 'json',
    label: 'Export JSON',
    title: 'Export the events that match the filter, from the whole trail, as JSON with their hashes',
  },
];

const sentenceCase = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

type ChainState = { state: 'checking' } | { state: 'checked'; result: AuditVerificationView } | { state: 'failed' };

/** Whether the hash chain holds: what makes the trail worth trusting, so it is always in view. */
function ChainStatus({ chain }: { chain: ChainState }): ReactElement {
  if (chain.state === 'checking') {
    return (
      <p className="chain-status subtle small" data-testid="audit-chain" data-state="checking" role="status">
        <span className="spinner" /> Checking the chain…
      </p>
    );
  }
  if (chain.state === 'failed') {
    return (
      <p className="chain-status subtle small" data-testid="audit-chain" data-state="unknown" role="status">
        <Icon name="question" size={14} /> The chain could not be checked.
      </p>
    );
  }
  const { result } = chain;
  if (result.ok) {
    return (
      <p className="chain-status tone-ok small" data-testid="audit-chain" data-state="verified" role="status">
        <Icon name="shield" size={14} /> Chain verified · {result.events} {result.events === 1 ? 'event' : 'events'}
      </p>
    );
  }
  const first = result.problems[0];
  const where = first?.line !== undefined ? `line ${first.line}` : first?.seq !== undefined ? `event ${first.seq}` : '';
  return (
    <Callout
      tone="bad"
      icon="warning"
      role="alert"
      testId="audit-chain"
      title={where ? `Chain broken at ${where}` : 'Chain broken'}
    >
      <p data-state="broken">
        {sentenceCase(first?.problem ?? '')}
        {result.problems.length > 1 ? ` (and ${result.problems.length - 1} more problems)` : ''}. Someone or something
        changed the trail outside Latchkey; the events after that point cannot be trusted.
      </p>
    </Callout>
  );
}

/** What Latchkey did, newest first: actions, key names and outcomes. The trail never holds a value. */
export function AuditScreen(): ReactElement {
  const [events, setEvents] = useState<AuditRow[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [form, setForm] = useState<AuditFilterForm>(EMPTY_AUDIT_FILTER_FORM);
  const [chain, setChain] = useState<ChainState>({ state: 'checking' });
  const [exporting, setExporting] = useState<AuditExportFormat | null>(null);
  // The first load starts on mount, so the screen starts out loading.
  const [loading, setLoading] = useState(true);
  const known = useKnownProjects();
  const edit = (change: Partial<AuditFilterForm>) => setForm((f) => ({ ...f, ...change }));

  const show = (result: Envelope<MethodOutput<'audit.tail'>>) => {
    setLoading(false);
    if (result.ok) {
      setEvents(foldIntents(result.value.events).sort((a, b) => b.seq - a.seq));
      setError(null);
    } else setError(result.error);
  };
  const showChain = (r: Envelope<MethodOutput<'audit.verify'>>) =>
    setChain(r.ok ? { state: 'checked', result: r.value } : { state: 'failed' });
  // call() answers every failure with an envelope, never a rejection, and show() handles both: nothing to catch.
  const load = () => {
    setLoading(true);
    setChain({ state: 'checking' });
    void call('audit.tail', { limit: LIMIT }).then(show);
    void call('audit.verify', {}).then(showChain);
  };
  useEffect(() => {
    void call('audit.tail', { limit: LIMIT }).then(show);
    void call('audit.verify', {}).then(showChain);
  }, []);

  const filter = useMemo(() => auditFilterOf(form), [form]);
  const exportAs = (format: AuditExportFormat) => {
    setExporting(format);
    void call('audit.export', { format, filter }).then((r) => {
      setExporting(null);
      const { toast } = useApp.getState();
      if (!r.ok) toast(`Could not export: ${r.error.message}`, 'bad');
      else if (r.value.saved) {
        const count = `${r.value.events} ${r.value.events === 1 ? 'event' : 'events'}`;
        toast(`Exported ${count} to ${r.value.fileName ?? 'the file'}`, 'ok');
      }
    });
  };

  const actions = useMemo(() => [...new Set((events ?? []).map((e) => e.action))].sort(), [events]);
  const shown = useMemo(() => (events ?? []).filter(auditFilterPredicate(filter)), [events, filter]);
  const filtering = isFiltering(form);
  const days = useMemo(() => {
    const groups: { day: string; events: AuditRow[] }[] = [];
    for (const e of shown) {
      const day = dayLabel(e.time);
      const last = groups[groups.length - 1];
      if (last && last.day === day) last.events.push(e);
      else groups.push({ day, events: [e] });
    }
    return groups;
  }, [shown]);

  return (
    <div className="page">
      <header className="page-header">
        <div className="grow">
          <h1>Audit</h1>
          <p className="muted">
            Every sync, reveal and change Latchkey made on this machine. Names and outcomes only, never values.
          </p>
        </div>
        <div className="audit-actions">
          {EXPORTS.map(({ format, label, title }) => (
            <button
              key={format}
              type="button"
              className="btn"
              onClick={() => exportAs(format)}
              disabled={exporting !== null}
              data-testid={`audit-export-${format}`}
              title={title}
            >
              {exporting === format ? <span className="spinner" /> : <Icon name="file" size={14} />}
              {label}
            </button>
          ))}
          <button type="button" className="btn" onClick={load} disabled={loading} data-testid="audit-refresh">
            {loading ? <span className="spinner" /> : <Icon name="refresh" size={14} />}
            Refresh
          </button>
        </div>
      </header>
      <div className="page-body">
        <ChainStatus chain={chain} />
        {error ? <ErrorPanel error={error} onRetry={load} /> : null}
        {events && events.length > 0 ? (
          <div className="audit-toolbar" role="search" aria-label="Filter the audit trail">
            <div className="input-group audit-search">
              <Icon name="search" size={14} />
              <input
                className="input"
                type="search"
                placeholder="Search actions, keys, profiles, users"
                aria-label="Search the audit trail"
                value={form.query}
                onChange={(e) => edit({ query: e.target.value })}
                onKeyDown={(e) => {
                  if (e.key === 'Escape' && form.query) {
                    e.preventDefault();
                    edit({ query: '' });
                  }
                }}
                data-testid="audit-search"
              />
            </div>
            <label className="audit-date">
              <span className="subtle small">From</span>
              <input
                className="input"
                type="date"
                value={form.fromDate}
                onChange={(e) => edit({ fromDate: e.target.value })}
                data-testid="audit-from"
              />
            </label>
            <label className="audit-date">
              <span className="subtle small">To</span>
              <input
                className="input"
                type="date"
                value={form.toDate}
                onChange={(e) => edit({ toDate: e.target.value })}
                data-testid="audit-to"
              />
            </label>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={form.problemsOnly}
                onChange={(e) => edit({ problemsOnly: e.target.checked })}
                data-testid="audit-problems-only"
              />
              <span>Failures only</span>
            </label>
            {filtering ? (
              <>
                <span className="subtle small" data-testid="audit-match-count" role="status">
                  {shown.length} of {events.length} shown
                </span>
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  onClick={() => setForm(EMPTY_AUDIT_FILTER_FORM)}
                  data-testid="audit-clear-filter"
                >
                  Clear filters
                </button>
              </>
            ) : null}
          </div>
        ) : null}
        {events && events.length > 0 ? (
          <div
            className="facets audit-filter"
            role="radiogroup"
            aria-label="Show events by action"
            onKeyDown={radioGroupKeys}
          >
            <button
              type="button"
              role="radio"
              className="facet"
              aria-checked={form.action === 'all'}
              tabIndex={form.action === 'all' ? 0 : -1}
              onClick={() => edit({ action: 'all' })}
            >
              All <span className="facet-count">{events.length}</span>
            </button>
            {actions.map((a) => (
              <button
                key={a}
                type="button"
                role="radio"
                className="facet"
                aria-checked={form.action === a}
                tabIndex={form.action === a ? 0 : -1}
                onClick={() => edit({ action: a })}
              >
                <Icon name={actionIcon(a)} size={12} />
                {actionLabel(a)}
                <span className="facet-count">{events.filter((e) => e.action === a).length}</span>
              </button>
            ))}
          </div>
        ) : null}
        {events === null && !error ? (
          <div className="timeline" aria-busy="true" aria-label="Loading the audit trail">
            {[0, 1, 2, 3, 4].map((i) => (
              <div key={i} className="tl-event">
                <Skeleton width={52} />
                <span className="tl-dot" />
                <div className="tl-card stack-tight">
                  <Skeleton width="40%" />
                  <Skeleton width="70%" height={10} />
                </div>
              </div>
            ))}
          </div>
        ) : events && events.length === 0 ? (
          <div className="card">
            <EmptyState icon="history" title="Nothing recorded yet" testId="audit-empty">
              <p>Syncs, reveals and settings changes appear here as they happen, in a tamper-evident log.</p>
            </EmptyState>
          </div>
        ) : events && shown.length === 0 ? (
          <div className="card">
            <EmptyState icon="filter" title="No events match" testId="audit-no-match">
              <p>Nothing among the latest {events.length} events matches these filters.</p>
            </EmptyState>
          </div>
        ) : (
          <ol className="timeline" aria-label="Audit events, newest first" data-testid="audit-timeline">
            {days.map((g) => (
              <li key={g.day} className="tl-day">
                <h2 className="tl-day-label">{g.day}</h2>
                <ol className="tl-events">
                  {g.events.map((e) => {
                    const tone = outcomeTone(e.outcome);
                    const keys = e.keys ?? [];
                    const place = auditPlace(e, known);
                    const text = auditText(e, place);
                    const outcomeWord = tone === 'ok' ? null : (OUTCOME_WORDS[e.outcome] ?? e.outcome);
                    return (
                      <li
                        key={e.seq}
                        className="tl-event"
                        data-testid={`audit-event-${e.seq}`}
                        data-action={e.action}
                        data-outcome={e.outcome}
                      >
                        <time className="tl-time mono" dateTime={e.time}>
                          {clockTime(e.time)}
                        </time>
                        <span className={`tl-dot tone-${tone}`} aria-hidden="true">
                          <Icon name={actionIcon(e.action)} size={12} />
                        </span>
                        <div className="tl-card">
                          <div className="tl-line">
                            <span className="tl-action">{text.title}</span>
                            {place.profile ? (
                              <span className="pill tl-where" title={placeTitle(place)}>
                                <Icon name="layers" size={11} />
                                {place.project ? <span className="tl-project">{place.project} ›</span> : null}
                                <span className="mono">{place.profile}</span>
                              </span>
                            ) : null}
                            {outcomeWord ? (
                              <span className={`badge tone-${tone}`}>
                                <Icon name={TONE_ICONS[tone]} />
                                {outcomeWord}
                              </span>
                            ) : null}
                            <span className="spacer" />
                            <span className="subtle small nowrap">
                              <Icon name="user" size={12} className="icon inline-icon" /> {e.user}
                            </span>
                          </div>
                          {text.sentence ? <p className="tl-sentence">{text.sentence}</p> : null}
                          {keys.length > 0 ? (
                            <p className="tl-keys">
                              {keys.slice(0, KEYS_SHOWN).map((k) => (
                                <code key={k}>{k}</code>
                              ))}
                              {keys.length > KEYS_SHOWN ? (
                                <span className="subtle small">and {keys.length - KEYS_SHOWN} more</span>
                              ) : null}
                            </p>
                          ) : null}
                        </div>
                      </li>
                    );
                  })}
                </ol>
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
