import { useEffect, useMemo, useState, type ReactElement } from 'react';
import type { Envelope, IpcError, ManifestView, MethodOutput } from '../../contract/ipc';
import { call } from '../api';
import { ErrorPanel } from '../components/ErrorPanel';
import { Icon, type IconId } from '../components/icons';
import { EmptyState, Skeleton } from '../components/ui';
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
import { useProjects } from '../state/projects-store';

const LIMIT = 300;
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

/** What Latchkey did, newest first: actions, key names and outcomes. The trail never holds a value. */
export function AuditScreen(): ReactElement {
  const [events, setEvents] = useState<AuditRow[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [filter, setFilter] = useState('all');
  // The first load starts on mount, so the screen starts out loading.
  const [loading, setLoading] = useState(true);
  const known = useKnownProjects();

  const show = (result: Envelope<MethodOutput<'audit.tail'>>) => {
    setLoading(false);
    if (result.ok) {
      setEvents(foldIntents(result.value.events).sort((a, b) => b.seq - a.seq));
      setError(null);
    } else setError(result.error);
  };
  // call() answers every failure with an envelope, never a rejection, and show() handles both: nothing to catch.
  const load = () => {
    setLoading(true);
    void call('audit.tail', { limit: LIMIT }).then(show);
  };
  useEffect(() => {
    void call('audit.tail', { limit: LIMIT }).then(show);
  }, []);

  const actions = useMemo(() => [...new Set((events ?? []).map((e) => e.action))].sort(), [events]);
  const shown = useMemo(() => (events ?? []).filter((e) => filter === 'all' || e.action === filter), [events, filter]);
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
        <button type="button" className="btn" onClick={load} disabled={loading} data-testid="audit-refresh">
          {loading ? <span className="spinner" /> : <Icon name="refresh" size={14} />}
          Refresh
        </button>
      </header>
      <div className="page-body">
        {error ? <ErrorPanel error={error} onRetry={load} /> : null}
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
              aria-checked={filter === 'all'}
              tabIndex={filter === 'all' ? 0 : -1}
              onClick={() => setFilter('all')}
            >
              All <span className="facet-count">{events.length}</span>
            </button>
            {actions.map((a) => (
              <button
                key={a}
                type="button"
                role="radio"
                className="facet"
                aria-checked={filter === a}
                tabIndex={filter === a ? 0 : -1}
                onClick={() => setFilter(a)}
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
