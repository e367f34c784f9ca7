import { useDeferredValue, useEffect, useMemo, useState, type ReactElement } from 'react';
import type { ManifestView, ProfileView as ProfileViewData } from '../../contract/ipc';
import { DEFAULT_DIALECT } from '../../contract/plan';
import { PLAN_CHUNK_ENTRIES } from '../../contract/plan-packing';
import { ErrorPanel } from '../components/ErrorPanel';
import { Icon, type IconId } from '../components/icons';
import { EmptyState } from '../components/ui';
import { clockTime, relativeTime } from '../lib/format';
import { isModKey, radioGroupKeys } from '../lib/keys';
import { filterRows, toRows, type StatusFacet } from '../lib/rows';
import { KEY_LOOKS, needsAttention, type KeyDisplayStatus, type Tone } from '../lib/status';
import { afterNextPaint } from '../lib/yield';
import { useApp } from '../state/app-store';
import { profileKey, useProfileData, useProfiles, type ProfileData, type ProfileRef } from '../state/profile-store';
import { useReveal } from '../state/reveal-store';
import { useSharedSecrets } from '../state/shared-secrets-store';
import { ActionBar } from './ActionBar';
import { planNow, syncNow } from './actions';
import { FilesSection } from './FilesTable';
import { KeyDrawer } from './KeyDrawer';
import { KeysTable, KeysTableSkeleton } from './KeysTable';
import { OfflineNotice } from './OfflineNotice';
import { PlanPanel } from './PlanPanel';
import { ProfileEditor } from './ProfileEditor';
import { personalAsks, Readiness } from './Readiness';
import { SidePanel } from './SidePanel';
import { SearchBox } from '../components/SearchBox';

export function ProfileView({
  dir,
  manifest,
  profile,
}: {
  dir: string;
  manifest: ManifestView;
  profile: ProfileViewData;
}): ReactElement {
  const refp = useMemo<ProfileRef>(() => ({ dir, profile: profile.name }), [dir, profile.name]);
  const key = profileKey(refp);
  const data = useProfileData(refp);
  const panel = useApp((s) => s.panel);
  const setPanel = useApp((s) => s.setPanel);
  const asks = useMemo(() => personalAsks(data.readiness.items), [data.readiness.items]);
  const drawer = useSharedSecrets((s) => s.drawer);
  const drawerKey = drawer && drawer.ref.dir === dir && drawer.ref.profile === profile.name ? drawer.key : null;

  useEffect(() => {
    const store = useProfiles.getState();
    const current = store.byKey[key];
    const planning = !current || current.plan.status === 'idle';
    // The last plan's picture paints the table at once, so its call goes first; the live plan replaces it.
    if (planning) void store.loadCachedPlan(refp);
    // The checklist and the live plan start once that first picture has painted. Started in the task that drew it,
    // their work in main, the keychain and the sources took the machine's cores from its frame: on two busy cores
    // the opening of a big profile took twice as long, 180 ms of script and 180 of layout (issue 14, item 5).
    // Whether they are still to start is read then, not now: a Plan pressed in between is not started twice.
    const cancel = afterNextPaint(() => {
      const now = useProfiles.getState().byKey[key];
      if (!now || now.readiness.status === 'idle') void store.loadReadiness(refp);
      if (!now || now.plan.status === 'idle') void store.runPlan(refp);
    });
    return () => {
      cancel();
      // Leaving the profile hides whatever was revealed in it.
      useReveal.getState().hideAll();
    };
  }, [key, refp]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isModKey(e) || e.altKey || e.shiftKey || useApp.getState().paletteOpen) return;
      // Inside the profile editor these keys belong to the form (and Ctrl+S must not start a sync).
      if (e.target instanceof Element && e.target.closest('.profile-form')) return;
      const k = e.key.toLowerCase();
      if (k === 'p') {
        e.preventDefault();
        planNow(refp);
      } else if (k === 's') {
        e.preventDefault();
        syncNow(refp);
      } else if (k === 'e') {
        e.preventDefault();
        setPanel('editor');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [refp, setPanel]);

  return (
    <div
      className={`profile-split ${panel ? 'has-panel' : ''}`}
      id="profile-panel"
      role="tabpanel"
      aria-labelledby={`tab-${profile.name}`}
    >
      <div className="profile-main">
        <div className="profile-scroll">
          <ProfileSummary
            profile={profile}
            manifest={manifest}
            onEdit={() => setPanel(panel === 'editor' ? null : 'editor')}
            editing={panel === 'editor'}
          />
          <Readiness refp={refp} data={data.readiness} />
          <KeysSection refp={refp} data={data} panelOpen={panel === 'plan'} askedElsewhere={asks} />
          <FilesSection files={data.plan.plan?.files ?? []} />
        </div>
        <ActionBar refp={refp} data={data} />
      </div>
      {panel === 'plan' ? <PlanPanel refp={refp} target={profile.target} data={data} askedElsewhere={asks} /> : null}
      {panel === 'editor' ? (
        <SidePanel
          title="Edit profile"
          subtitle={<span className="mono">{profile.name}</span>}
          onClose={() => setPanel(null)}
          testId="editor-panel"
        >
          <ProfileEditor
            key={`edit-${profile.name}`}
            dir={dir}
            manifest={manifest}
            mode="edit"
            profile={profile.name}
            onClose={() => setPanel(null)}
          />
        </SidePanel>
      ) : null}
      {panel === 'key' && drawerKey ? (
        <KeyDrawer
          key={drawerKey}
          refp={refp}
          name={drawerKey}
          entry={data.plan.plan?.entries.find((e) => e.name === drawerKey)}
        />
      ) : null}
      {panel === 'new-profile' ? (
        <SidePanel title="New profile" onClose={() => setPanel(null)} testId="editor-panel">
          <ProfileEditor key="new" dir={dir} manifest={manifest} mode="new" onClose={() => setPanel(null)} />
        </SidePanel>
      ) : null}
    </div>
  );
}

function ProfileSummary({
  profile,
  manifest,
  onEdit,
  editing,
}: {
  profile: ProfileViewData;
  manifest: ManifestView;
  onEdit(): void;
  editing: boolean;
}): ReactElement {
  const kinds = [...new Set(profile.sources.map((s) => s.kind))];
  return (
    <div className="profile-summary">
      <div className="grow">
        <p className="profile-desc">{profile.description ?? <span className="subtle">No description</span>}</p>
        <div className="profile-meta">
          <span className="meta-item">
            <Icon name="file" size={13} />
            <span className="mono">{profile.target}</span>
            {profile.dialect !== DEFAULT_DIALECT ? <span className="pill">{profile.dialect}</span> : null}
          </span>
          <span className="meta-item">
            <Icon name="layers" size={13} />
            {profile.sources.length} source{profile.sources.length === 1 ? '' : 's'}
            <span className="subtle">({kinds.join(', ')})</span>
          </span>
          <span className="meta-item">
            <Icon name="clock" size={13} />
            rotate every {profile.maxAgeDays} days
          </span>
          {manifest.aws.profile || manifest.aws.region ? (
            <span className="meta-item">
              <Icon name="cloud" size={13} />
              <span className="mono">{[manifest.aws.profile, manifest.aws.region].filter(Boolean).join(' · ')}</span>
            </span>
          ) : null}
        </div>
      </div>
      <button type="button" className="btn btn-sm" onClick={onEdit} aria-pressed={editing} data-testid="edit-profile">
        <Icon name="pencil" size={13} />
        Edit profile
      </button>
    </div>
  );
}

function KeysSection({
  refp,
  data,
  panelOpen,
  askedElsewhere,
}: {
  refp: ProfileRef;
  data: ProfileData;
  panelOpen: boolean;
  askedElsewhere: ReadonlySet<string>;
}): ReactElement {
  const [query, setQuery] = useState('');
  const [facet, setFacet] = useState<StatusFacet>('all');
  // A new plan (5,000 rows to derive and a table to rebuild) renders in the background, in slices React can
  // interrupt, while the table shows the plan before it: the window stays responsive as it lands (issue 14, item 5).
  // With no plan shown yet there is nothing to keep on screen: a small first one (a cached picture's head, a small
  // profile) renders at once, not a task later. A big one is still derived in the background: in one task it would
  // block the window for longer than the budget allows.
  const deferredPlan = useDeferredValue(data.plan.plan);
  const shownAtOnce =
    data.plan.plan && data.plan.plan.entries.length <= PLAN_CHUNK_ENTRIES ? data.plan.plan : undefined;
  const plan = deferredPlan ?? shownAtOnce;
  const rows = useMemo(() => (plan ? toRows(plan.entries) : []), [plan]);
  const counts = useMemo(() => {
    const m = new Map<KeyDisplayStatus, number>();
    for (const r of rows) m.set(r.display, (m.get(r.display) ?? 0) + 1);
    return m;
  }, [rows]);
  // A facet whose status vanished after a re-plan falls back to All rather than showing an empty table.
  const attentionCount = [...counts].reduce((n, [display, count]) => (needsAttention(display) ? n + count : n), 0);
  const effectiveFacet: StatusFacet =
    facet === 'all' || (facet === 'attention' ? attentionCount > 0 : counts.has(facet)) ? facet : 'all';
  // Filtering is a plain pass over precomputed lower-case text: well under a millisecond per 5,000 rows.
  const visible = useMemo(() => filterRows(rows, query, effectiveFacet), [rows, query, effectiveFacet]);
  const replan = () => void useProfiles.getState().runPlan(refp);

  return (
    <section className="keys-section" aria-label="Keys">
      <div className="keys-toolbar">
        <SearchBox
          value={query}
          onChange={setQuery}
          placeholder="Filter keys"
          label="Filter keys by name, source or status"
          testId="filter-input"
          firstRowSelector='.kt-row[tabindex="0"]'
          shortcut="/"
        />
        {/* A cached picture still crossing has only its first rows: no counts until it is whole. */}
        {rows.length > 0 && !data.plan.cachedPartial ? (
          <div className="facets" role="radiogroup" aria-label="Show keys by status" onKeyDown={radioGroupKeys}>
            <FacetChip
              label="All"
              count={rows.length}
              checked={effectiveFacet === 'all'}
              onClick={() => setFacet('all')}
              testId="facet-all"
            />
            {attentionCount > 0 ? (
              <FacetChip
                label="Needs attention"
                tone="warn"
                icon="warning"
                count={attentionCount}
                checked={effectiveFacet === 'attention'}
                onClick={() => setFacet(effectiveFacet === 'attention' ? 'all' : 'attention')}
                testId="facet-attention"
              />
            ) : null}
            {(['in-sync', 'local-only'] as const)
              .filter((s) => counts.get(s))
              .map((s) => (
                <FacetChip
                  key={s}
                  tone={KEY_LOOKS[s].tone}
                  icon={KEY_LOOKS[s].icon}
                  label={KEY_LOOKS[s].label}
                  count={counts.get(s)!}
                  checked={effectiveFacet === s}
                  onClick={() => setFacet(effectiveFacet === s ? 'all' : s)}
                  testId={`facet-${s}`}
                />
              ))}
          </div>
        ) : null}
        <span className="spacer" />
        {visible.length !== rows.length && rows.length > 0 && !data.plan.cachedPartial ? (
          <span className="subtle small nowrap" data-testid="filter-count">
            {visible.length.toLocaleString()} of {rows.length.toLocaleString()}
          </span>
        ) : null}
        {data.plan.status === 'loading' ? (
          <span className="subtle small nowrap plan-age" role="status">
            <span className="spinner" /> Planning…
          </span>
        ) : null}
      </div>

      {data.plan.cachedAt && plan ? (
        <CachedNotice at={data.plan.cachedAt} checking={data.plan.status === 'loading'} />
      ) : null}

      {data.plan.stale && !panelOpen ? (
        <div className="stale-bar" role="status" data-testid="stale-notice">
          <Icon name="warning" size={14} />
          <span className="grow">
            {data.plan.stale === 'manifest'
              ? 'latchkey.yml changed on disk: this plan is out of date.'
              : 'The target file changed on disk: this plan is out of date.'}
          </span>
          <button type="button" className="btn btn-sm" onClick={replan} data-testid="replan">
            <Icon name="refresh" size={13} />
            Re-plan
          </button>
        </div>
      ) : null}

      {plan?.offline?.length && !panelOpen ? <OfflineNotice offline={plan.offline} onRetry={replan} /> : null}

      {data.plan.status === 'error' && data.plan.error && !panelOpen ? (
        <ErrorPanel
          headingLevel={2}
          error={data.plan.error}
          context="Plan"
          dir={refp.dir}
          askedElsewhere={askedElsewhere}
          nothingWritten
          onRetry={replan}
          onResolved={replan}
        />
      ) : null}

      {!plan ? (
        data.plan.status === 'error' ? (
          <div className="card keys-placeholder">
            <EmptyState icon="key" title="No keys to show yet">
              <p>The keys appear once the plan succeeds.</p>
            </EmptyState>
          </div>
        ) : (
          <KeysTableSkeleton />
        )
      ) : rows.length === 0 ? (
        <div className="card keys-placeholder">
          <EmptyState
            icon="layers"
            title="This profile produces no keys"
            actions={
              <button type="button" className="btn" onClick={() => useApp.getState().setPanel('editor')}>
                <Icon name="plus" size={14} />
                Add a source
              </button>
            }
          >
            <p>Its sources are empty, or every one of them was filtered out. Add a source to get started.</p>
          </EmptyState>
        </div>
      ) : visible.length === 0 ? (
        <div className="card keys-placeholder" data-testid="keys-no-match">
          <EmptyState
            icon="search"
            title={query ? `No keys match “${query}”` : 'No keys with this status'}
            actions={
              <button
                type="button"
                className="btn"
                onClick={() => {
                  setQuery('');
                  setFacet('all');
                }}
              >
                Show all {rows.length.toLocaleString()} keys
              </button>
            }
          />
        </div>
      ) : (
        <KeysTable
          refp={refp}
          rows={visible}
          filter={query}
          label={`Keys of ${refp.profile}${visible.length !== rows.length ? `, ${visible.length} of ${rows.length} shown` : ''}`}
        />
      )}
    </section>
  );
}

/** The table shows the last plan main kept, not a live one: from when, and that the live one is on its way. */
function CachedNotice({ at, checking }: { at: string; checking: boolean }): ReactElement {
  return (
    <div className="stale-bar" role="status" data-testid="cached-notice">
      <Icon name="clock" size={14} />
      <span className="grow">
        As of the last plan, {relativeTime(at)} ({clockTime(at)}){checking ? ': checking…' : '.'}
      </span>
    </div>
  );
}

function FacetChip({
  label,
  count,
  checked,
  onClick,
  tone,
  icon,
  testId,
}: {
  label: string;
  count: number;
  checked: boolean;
  onClick(): void;
  tone?: Tone;
  icon?: IconId;
  testId: string;
}): ReactElement {
  return (
    <button
      type="button"
      role="radio"
      aria-checked={checked}
      tabIndex={checked ? 0 : -1}
      className={`facet ${tone ? `facet-${tone}` : ''}`}
      onClick={onClick}
      data-testid={testId}
    >
      {icon ? <Icon name={icon} size={12} /> : null}
      {label}
      <span className="facet-count">{count.toLocaleString()}</span>
    </button>
  );
}
