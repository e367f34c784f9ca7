import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent, type ReactElement, type RefObject } from 'react';
import type { ChamberKeyView, ChamberServiceView, Envelope, IpcError } from '../../contract/ipc';
import { call } from '../api';
import { ErrorPanel } from '../components/ErrorPanel';
import { Icon } from '../components/icons';
import { MiddleText } from '../components/MiddleText';
import { useNow } from '../components/StatusBar';
import { EmptyState, SkeletonLines } from '../components/ui';
import { ageDays, baseName, formatAge, plural } from '../lib/format';
import { searchGlob, shortUser } from '../lib/services';
import { afterLayoutOptions } from '../lib/virtual-after-layout';
import { useApp } from '../state/app-store';
import { projectIdOf } from '../state/project-ids';
import { useProjects } from '../state/projects-store';
import { SearchBox } from '../components/SearchBox';

const SERVICE_ROW = 36;
const KEY_ROW = 40;
const SEARCH_DELAY_MS = 250;
/** Moving through the services with the arrows shows each; only the one the user rests on is fetched. */
const SELECT_DELAY_MS = 120;

type Load<T> =
  { status: 'idle' } | { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: IpcError };

/** The open project whose `aws:` the calls use, or none (the environment's credentials). */
function useScope(): { projectId: string | undefined; text: string } {
  const dir = useApp((s) => s.projectDir);
  const project = useProjects((s) => (dir ? s.projects?.find((p) => p.dir === dir) : undefined));
  const load = useProjects((s) => (dir ? s.manifests[dir] : undefined));
  const id = dir ? projectIdOf(dir) : '';
  if (!dir || !id || (project && project.state !== 'ok'))
    return { projectId: undefined, text: "Using your environment's AWS credentials (no project is open)." };
  const aws = load?.status === 'ready' ? load.manifest.aws : undefined;
  const where = [aws?.profile && `profile ${aws.profile}`, aws?.region].filter(Boolean).join(', ');
  const name = project?.name || baseName(dir);
  return { projectId: id, text: `Using the AWS settings of ${name}${where ? ` (${where})` : ''}.` };
}

function useLoad<T>(): [Load<T>, (request: () => Promise<Envelope<T>>) => void] {
  const [state, setState] = useState<Load<T>>({ status: 'idle' });
  const latest = useRef(0);
  const run = (request: () => Promise<Envelope<T>>) => {
    const ticket = ++latest.current;
    setState({ status: 'loading' });
    // call() answers every failure with an envelope, never a rejection.
    void request().then((result) => {
      if (ticket !== latest.current) return; // a newer request answers this one
      setState(result.ok ? { status: 'ready', value: result.value } : { status: 'error', error: result.error });
    });
  };
  return [state, run];
}

/**
 * chamber's services in SSM and their keys, read-only: names, versions, ages and who changed them, never a value.
 * The search finds keys across every service (chamber.find). Keyboard: the arrows, Page Up/Down, Home and End move
 * through each list; ↓ from the search box enters the results.
 */
export function ServicesScreen(): ReactElement {
  const scope = useScope();
  // Another project's credentials see other services: a new scope starts the browser afresh.
  return <ServicesBrowser key={scope.projectId ?? ''} projectId={scope.projectId} scopeText={scope.text} />;
}

function ServicesBrowser({ projectId, scopeText }: { projectId: string | undefined; scopeText: string }): ReactElement {
  const [services, loadServices] = useLoad<{ services: ChamberServiceView[] }>();
  const [keys, loadKeys] = useLoad<{ keys: ChamberKeyView[] }>();
  const [selected, setSelected] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const searching = query.trim() !== '';
  const withProject = projectId ? { projectId } : {};

  const refresh = () => {
    loadServices(() => call('chamber.listServices', withProject));
    if (searching) loadKeys(() => call('chamber.find', { ...withProject, pattern: searchGlob(query) }));
    else if (selected) loadKeys(() => call('chamber.listKeys', { ...withProject, service: selected }));
  };

  useEffect(() => {
    loadServices(() => call('chamber.listServices', projectId ? { projectId } : {}));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per mount: a new scope mounts a new browser
  }, []);

  useEffect(() => {
    const scoped = projectId ? { projectId } : {};
    const text = query.trim();
    if (text) {
      const timer = setTimeout(
        () => loadKeys(() => call('chamber.find', { ...scoped, pattern: searchGlob(text) })),
        SEARCH_DELAY_MS,
      );
      return () => clearTimeout(timer);
    }
    if (!selected) return;
    const timer = setTimeout(
      () => loadKeys(() => call('chamber.listKeys', { ...scoped, service: selected })),
      SELECT_DELAY_MS,
    );
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- as above
  }, [query, selected, projectId]);

  const serviceList = services.status === 'ready' ? services.value.services : [];
  const busy = services.status === 'loading' || keys.status === 'loading';
  return (
    <div className="page page-services" data-testid="services-screen">
      <header className="page-header">
        <div className="grow">
          <h1>Services</h1>
          <p className="muted">
            chamber&apos;s services in AWS SSM and their keys: versions, ages and who changed them. Never a value.
          </p>
          <p className="subtle small" data-testid="services-scope">
            {scopeText}
          </p>
        </div>
        <button type="button" className="btn" onClick={refresh} disabled={busy} data-testid="services-refresh">
          {busy ? <span className="spinner" /> : <Icon name="refresh" size={14} />}
          Refresh
        </button>
      </header>
      <div className="page-body services-body">
        <SearchBox
          className="services-search"
          value={query}
          onChange={setQuery}
          placeholder="Search keys in every service (db_*, api/*/token)"
          label="Search keys across every service"
          testId="services-search"
          firstRowSelector='.svc-keys [role="row"][tabindex="0"]'
        />
        <div className="services-panes">
          <section className="services-list-pane card" aria-labelledby="services-list-title">
            <h2 className="section-title" id="services-list-title">
              Services{services.status === 'ready' ? <span className="count">{serviceList.length}</span> : null}
            </h2>
            {services.status === 'error' ? (
              <ErrorPanel
                error={services.error}
                context="Listing the services"
                onRetry={() => loadServices(() => call('chamber.listServices', withProject))}
              />
            ) : services.status !== 'ready' ? (
              <SkeletonLines lines={6} label="Loading the services" />
            ) : serviceList.length === 0 ? (
              <EmptyState icon="layers" title="No services here" testId="services-empty">
                <p>These AWS credentials see no chamber parameters (named /service/key) in this region.</p>
              </EmptyState>
            ) : (
              <ServiceList
                services={serviceList}
                selected={searching ? null : selected}
                onSelect={(service) => {
                  setQuery('');
                  setSelected(service);
                }}
              />
            )}
          </section>
          <section className="services-keys-pane card" aria-labelledby="services-keys-title">
            <h2 className="section-title" id="services-keys-title" data-testid="services-keys-title">
              {searching ? (
                <>
                  Keys matching <code>{searchGlob(query)}</code>
                </>
              ) : selected ? (
                <span className="mono">{selected}</span>
              ) : (
                'Keys'
              )}
              {keys.status === 'ready' && (searching || selected) ? (
                <span className="count">{keys.value.keys.length}</span>
              ) : null}
            </h2>
            <KeysPane state={keys} searching={searching} selected={selected} onRetry={refresh} />
          </section>
        </div>
      </div>
    </div>
  );
}

function KeysPane({
  state,
  searching,
  selected,
  onRetry,
}: {
  state: Load<{ keys: ChamberKeyView[] }>;
  searching: boolean;
  selected: string | null;
  onRetry(): void;
}): ReactElement {
  if (!searching && !selected)
    return (
      <EmptyState icon="key" title="Pick a service" testId="services-keys-none">
        <p>Its keys appear here, or search above to find keys in every service at once.</p>
      </EmptyState>
    );
  if (state.status === 'error')
    return <ErrorPanel error={state.error} context={searching ? 'Searching' : 'Listing the keys'} onRetry={onRetry} />;
  if (state.status !== 'ready') return <SkeletonLines lines={6} label="Loading the keys" />;
  if (state.value.keys.length === 0)
    return (
      <EmptyState
        icon="search"
        title={searching ? 'No key matches' : 'No keys in this service'}
        testId="services-keys-empty"
      >
        {searching ? <p>Use * for any part of a name and ** across services, e.g. *password* or api/**.</p> : null}
      </EmptyState>
    );
  return <KeyGrid keys={state.value.keys} showService={searching} />;
}

/**
 * Roving focus over a virtualised list: one row is tabbable, the arrows, Page Up/Down, Home and End move it, and a
 * far jump focuses its row once the virtualiser has rendered it.
 */
function useRovingRows(
  scroller: RefObject<HTMLDivElement | null>,
  count: number,
  rowHeight: number,
  keyOf: (i: number) => string,
) {
  const [active, setActive] = useState(0);
  const focusPending = useRef(false);
  const virtualizer = useVirtualizer({
    count,
    estimateSize: () => rowHeight,
    overscan: 8,
    getItemKey: keyOf,
    // As in the keys table: measured in the frame's own layout, not by forcing one inside React's commit.
    ...afterLayoutOptions<HTMLDivElement, Element>(() => scroller.current),
  });
  const activeIndex = Math.min(active, Math.max(0, count - 1));
  useEffect(() => {
    if (!focusPending.current) return;
    const row = scroller.current?.querySelector<HTMLElement>(`[data-index="${activeIndex}"]`);
    if (!row) return;
    focusPending.current = false;
    row.focus({ preventScroll: true });
  });
  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(count - 1, index));
    setActive(next);
    focusPending.current = true;
    virtualizer.scrollToIndex(next, { align: 'auto' });
    return next;
  };
  /** The index moved to, or undefined when the key is not a move. */
  const onKeyDown = (e: KeyboardEvent<HTMLElement>): number | undefined => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / rowHeight) - 1);
    const moves: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      PageDown: activeIndex + page,
      PageUp: activeIndex - page,
      Home: 0,
      End: count - 1,
    };
    const to = moves[e.key];
    if (to === undefined) return undefined;
    e.preventDefault();
    return moveTo(to);
  };
  return { virtualizer, activeIndex, setActive, onKeyDown };
}

function ServiceList({
  services,
  selected,
  onSelect,
}: {
  services: ChamberServiceView[];
  selected: string | null;
  onSelect(service: string): void;
}): ReactElement {
  const scroller = useRef<HTMLDivElement>(null);
  const roving = useRovingRows(scroller, services.length, SERVICE_ROW, (i) => services[i]?.service ?? String(i));
  return (
    <div
      className="svc-list"
      ref={scroller}
      role="listbox"
      aria-label="Services"
      data-testid="services-list"
      data-count={services.length}
      onKeyDown={(e) => {
        const moved = roving.onKeyDown(e);
        // Selection follows the focus, as in a single-select list box; the keys load once the user rests.
        if (moved !== undefined) onSelect(services[moved]!.service);
        else if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect(services[roving.activeIndex]!.service);
        }
      }}
    >
      <div className="svc-spacer" style={{ height: roving.virtualizer.getTotalSize() }}>
        {roving.virtualizer.getVirtualItems().map((item) => {
          const s = services[item.index]!;
          const isSelected = s.service === selected;
          return (
            <div
              key={item.key}
              role="option"
              aria-selected={isSelected}
              aria-setsize={services.length}
              aria-posinset={item.index + 1}
              data-index={item.index}
              tabIndex={item.index === roving.activeIndex ? 0 : -1}
              className={`svc-row${isSelected ? ' is-selected' : ''}`}
              style={{ transform: `translateY(${item.start}px)` }}
              onFocus={(e) => e.target === e.currentTarget && roving.setActive(item.index)}
              onClick={() => {
                roving.setActive(item.index);
                onSelect(s.service);
              }}
              data-testid={`service-${s.service}`}
            >
              <MiddleText text={s.service} identifier="service" className="mono" />
              <span className="count" aria-label={plural(s.keys, 'key')}>
                {s.keys.toLocaleString()}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}

const KEY_COLUMNS = ['Key', 'Version', 'Age', 'Modified by'] as const;

function KeyGrid({ keys, showService }: { keys: ChamberKeyView[]; showService: boolean }): ReactElement {
  const scroller = useRef<HTMLDivElement>(null);
  const roving = useRovingRows(scroller, keys.length, KEY_ROW, (i) =>
    keys[i] ? `${keys[i].service}/${keys[i].key}` : String(i),
  );
  const now = useNow(60_000);
  return (
    <div
      className="svc-keys"
      role="grid"
      aria-label={showService ? 'Matching keys' : 'Keys of the service'}
      aria-rowcount={keys.length + 1}
      aria-colcount={KEY_COLUMNS.length}
      data-testid="services-keys"
      data-count={keys.length}
    >
      <div role="rowgroup" className="svc-keys-head">
        <div role="row" aria-rowindex={1} className="svc-key-row svc-key-header">
          {KEY_COLUMNS.map((c, i) => (
            <div key={c} role="columnheader" aria-colindex={i + 1} className="svc-key-cell">
              {c}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" className="svc-keys-body" ref={scroller} onKeyDown={(e) => void roving.onKeyDown(e)}>
        <div className="svc-spacer" style={{ height: roving.virtualizer.getTotalSize() }}>
          {roving.virtualizer.getVirtualItems().map((item) => {
            const k = keys[item.index]!;
            const name = `${k.service}/${k.key}`;
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                data-index={item.index}
                tabIndex={item.index === roving.activeIndex ? 0 : -1}
                className="svc-key-row"
                style={{ transform: `translateY(${item.start}px)` }}
                onFocus={(e) => e.target === e.currentTarget && roving.setActive(item.index)}
                onMouseDown={() => roving.setActive(item.index)}
                data-testid={`service-key-${name}`}
              >
                <div role="gridcell" aria-colindex={1} className="svc-key-cell">
                  {showService ? (
                    // Searching, keys of several services can share a name, and services a long start: the key and
                    // its service each get the cell's width, on a line of their own, so what tells two apart shows.
                    <div className="svc-key-path">
                      <MiddleText text={k.key} identifier="key" className="mono key-name" />
                      <MiddleText text={k.service} identifier="service" className="mono subtle small" />
                    </div>
                  ) : (
                    <MiddleText text={k.key} identifier="key" className="mono key-name" />
                  )}
                </div>
                <div
                  role="gridcell"
                  aria-colindex={2}
                  className="svc-key-cell mono"
                  title={
                    k.chamberVersion > 0 ? `SSM version ${k.version}, chamber's counter ${k.chamberVersion}` : undefined
                  }
                >
                  v{k.version}
                </div>
                <div role="gridcell" aria-colindex={3} className="svc-key-cell" title={k.lastModified}>
                  {formatAge(ageDays(undefined, k.lastModified, now))}
                </div>
                <div role="gridcell" aria-colindex={4} className="svc-key-cell" title={k.lastModifiedUser}>
                  <span className="ellipsis">{shortUser(k.lastModifiedUser)}</span>
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
