import { useMemo, useState, type ReactElement } from 'react';
import { ROTATION_DUE_FRACTION, ROTATION_STATUSES, type RotationStatus, type SourceKind } from '../../contract/plan';
import { Icon } from '../components/icons';
import { Badge, EmptyState } from '../components/ui';
import { baseName, formatAge } from '../lib/format';
import { toRows } from '../lib/rows';
import { isSharedKind } from '../lib/shared-secrets';
import { DUE_PERCENT, isRotatedEntry, ROTATION_LOOKS, rotationTally } from '../lib/status';
import { useApp } from '../state/app-store';
import { useProfiles } from '../state/profile-store';
import { useProjects } from '../state/projects-store';
import { useSharedSecrets } from '../state/shared-secrets-store';

interface Point {
  name: string;
  age: number | undefined;
  status: RotationStatus;
  kind: SourceKind | undefined;
}

interface Series {
  key: string;
  dir: string;
  project: string;
  profile: string;
  maxAgeDays: number;
  points: Point[];
}

const SHAPES: Record<RotationStatus, string> = { ok: 'circle', due: 'triangle', overdue: 'square', unknown: 'circle' };
/** A key of unknown age has no place on the age axis: the chart and its legend leave it out. */
const CHARTED = ROTATION_STATUSES.filter((s) => s !== 'unknown');

/** Key ages across every profile planned in this session, against each profile's rotation policy. */
export function RotationScreen(): ReactElement {
  const byKey = useProfiles((s) => s.byKey);
  const projects = useProjects((s) => s.projects);
  const manifests = useProjects((s) => s.manifests);
  const projectDir = useApp((s) => s.projectDir);
  const [busy, setBusy] = useState(false);

  const series = useMemo<Series[]>(() => {
    const out: Series[] = [];
    for (const [key, d] of Object.entries(byKey)) {
      const plan = d.plan.plan;
      if (!plan) continue;
      const [dir, profile] = key.split('\u0000') as [string, string];
      const load = manifests[dir];
      const view = load?.status === 'ready' ? load.manifest.profiles.find((p) => p.name === profile) : undefined;
      const rows = toRows(plan.entries.filter(isRotatedEntry));
      const maxAgeDays = view?.maxAgeDays ?? rows.find((r) => r.entry.rotation)?.entry.rotation?.maxAgeDays ?? 90;
      const project = projects?.find((p) => p.dir === dir)?.name ?? baseName(dir);
      out.push({
        key,
        dir,
        project,
        profile,
        maxAgeDays,
        points: rows.map((r) => ({
          name: r.entry.name,
          age: r.age,
          status: r.entry.rotation!.status,
          kind: r.entry.origin?.kind,
        })),
      });
    }
    return out.sort((a, b) => a.project.localeCompare(b.project) || a.profile.localeCompare(b.profile));
  }, [byKey, manifests, projects]);

  const all = series.flatMap((s) => s.points.map((p) => ({ ...p, series: s })));
  const { counts: totals, notRotated } = useMemo(
    () => rotationTally(Object.values(byKey).flatMap((d) => d.plan.plan?.entries ?? [])),
    [byKey],
  );
  const oldest = all
    .filter((p) => p.age !== undefined)
    .sort((a, b) => b.age! - a.age!)
    .slice(0, 12);
  // What Latchkey can rotate itself: the due and overdue keys from chamber and ssm, most overdue first.
  const rotatable = all
    .filter((p) => (p.status === 'due' || p.status === 'overdue') && isSharedKind(p.kind))
    .sort((a, b) => (b.age ?? 0) - (a.age ?? 0));

  const currentManifest = projectDir ? manifests[projectDir] : undefined;
  const unplanned =
    currentManifest?.status === 'ready'
      ? currentManifest.manifest.profiles.filter((p) => !byKey[`${projectDir}\u0000${p.name}`]?.plan.plan)
      : [];
  const planAll = async () => {
    if (!projectDir) return;
    setBusy(true);
    await Promise.all(unplanned.map((p) => useProfiles.getState().runPlan({ dir: projectDir, profile: p.name })));
    setBusy(false);
  };

  return (
    <div className="page">
      <header className="page-header">
        <div className="grow">
          <h1>Rotation</h1>
          <p className="muted">
            How old every secret is against its rotation policy. Due at {DUE_PERCENT} % of the maximum age, overdue past
            it.
          </p>
        </div>
        {unplanned.length > 0 ? (
          <button
            type="button"
            className="btn"
            onClick={() => void planAll()}
            disabled={busy}
            data-testid="rotation-plan-all"
          >
            {busy ? <span className="spinner" /> : <Icon name="refresh" size={14} />}
            Plan {unplanned.length === 1 ? unplanned[0]!.name : `all ${unplanned.length} profiles`}
          </button>
        ) : null}
      </header>
      <div className="page-body">
        {series.length === 0 ? (
          <div className="card">
            <EmptyState
              icon="gauge"
              title="No keys to chart yet"
              testId="rotation-empty"
              actions={
                projectDir ? null : (
                  <button type="button" className="btn" onClick={() => useApp.getState().showProject(null)}>
                    Go to Projects
                  </button>
                )
              }
            >
              <p>
                Open a project and plan a profile: each key’s age comes from its source (SSM, 1Password, S3) and shows
                up here.
              </p>
            </EmptyState>
          </div>
        ) : (
          <>
            <ul className="stat-cards" aria-label="Keys by rotation status">
              {ROTATION_STATUSES.map((s) => (
                <li key={s} className={`stat-card tone-border-${ROTATION_LOOKS[s].tone}`}>
                  <span className="stat-num">{totals[s].toLocaleString()}</span>
                  <Badge look={ROTATION_LOOKS[s]} />
                </li>
              ))}
            </ul>
            {notRotated > 0 ? (
              <p className="muted" data-testid="rotation-not-rotated">
                {notRotated.toLocaleString()} {notRotated === 1 ? 'key is' : 'keys are'} not rotated: <code>set:</code>{' '}
                values and personal keychain values have no rotation policy.
              </p>
            ) : null}
            <section className="card pad chart-card" aria-labelledby="age-chart-title">
              <div className="chart-head">
                <h2 id="age-chart-title">Key ages by profile</h2>
                <Legend />
              </div>
              <AgeChart series={series} />
            </section>
            {rotatable.length > 0 ? (
              <section className="card" aria-labelledby="rotate-due-title" data-testid="rotate-due">
                <h2 id="rotate-due-title" className="card-title">
                  Shared keys to rotate
                </h2>
                <table className="simple-table">
                  <thead>
                    <tr>
                      <th scope="col">Key</th>
                      <th scope="col">Profile</th>
                      <th scope="col">Age</th>
                      <th scope="col">Status</th>
                      <th scope="col">
                        <span className="sr-only">Action</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {rotatable.map((p) => (
                      <tr key={`${p.series.key}:${p.name}`} data-testid={`rotate-due-${p.name}`}>
                        <td className="mono">{p.name}</td>
                        <td>
                          {p.series.project} <span className="subtle">›</span> {p.series.profile}
                        </td>
                        <td className="num">{formatAge(p.age)}</td>
                        <td>
                          <Badge look={ROTATION_LOOKS[p.status]} />
                        </td>
                        <td>
                          <button
                            type="button"
                            className="btn btn-sm"
                            aria-label={`Rotate ${p.name} of ${p.series.profile}`}
                            onClick={() =>
                              useSharedSecrets
                                .getState()
                                .askRotate({ ref: { dir: p.series.dir, profile: p.series.profile }, key: p.name })
                            }
                            data-testid={`rotate-${p.name}`}
                          >
                            <Icon name="refresh" size={13} />
                            Rotate
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            ) : null}
            <section className="card" aria-labelledby="oldest-title">
              <h2 id="oldest-title" className="card-title">
                Oldest keys
              </h2>
              <table className="simple-table">
                <thead>
                  <tr>
                    <th scope="col">Key</th>
                    <th scope="col">Profile</th>
                    <th scope="col">Age</th>
                    <th scope="col">Policy</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {oldest.map((p) => (
                    <tr key={`${p.series.key}:${p.name}`}>
                      <td className="mono">{p.name}</td>
                      <td>
                        {p.series.project} <span className="subtle">›</span> {p.series.profile}
                      </td>
                      <td className="num">{formatAge(p.age)}</td>
                      <td className="num subtle">{p.series.maxAgeDays} d</td>
                      <td>
                        <Badge look={ROTATION_LOOKS[p.status]} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </>
        )}
      </div>
    </div>
  );
}

function Legend(): ReactElement {
  return (
    <ul className="legend" aria-label="Legend">
      {CHARTED.map((s) => (
        <li key={s} className={`tone-text-${ROTATION_LOOKS[s].tone}`}>
          <svg width="12" height="12" viewBox="-6 -6 12 12" aria-hidden="true">
            <Marker shape={SHAPES[s]} x={0} y={0} />
          </svg>
          {ROTATION_LOOKS[s].label}
        </li>
      ))}
      <li className="tone-text-warn">
        <span className="legend-line dashed" aria-hidden="true" /> due at {DUE_PERCENT} %
      </li>
      <li className="tone-text-bad">
        <span className="legend-line" aria-hidden="true" /> maximum age
      </li>
    </ul>
  );
}

function Marker({ shape, x, y }: { shape: string; x: number; y: number }): ReactElement {
  if (shape === 'triangle') return <path d={`M${x} ${y - 5}L${x + 5} ${y + 4}H${x - 5}Z`} />;
  if (shape === 'square') return <rect x={x - 4} y={y - 4} width={8} height={8} rx={1} />;
  return <circle cx={x} cy={y} r={4} />;
}

/** A strip per profile: one mark per key at its age; dashed line at "due", solid at the maximum age. */
function AgeChart({ series }: { series: Series[] }): ReactElement {
  const W = 900;
  const LABEL = 170;
  const ROW = 58;
  const TOP = 8;
  const AXIS = 28;
  const maxAge = series
    .flatMap((s) => [s.maxAgeDays * 1.2, ...s.points.map((p) => (p.age ?? 0) * 1.05)])
    .reduce((most, age) => Math.max(most, age), 30);
  // Ticks on whole weeks, months or quarters, whichever gives at most eight of them.
  const step = [7, 14, 30, 60, 90, 180, 365, 730].find((s) => maxAge / s <= 8) ?? 1460;
  const niceMax = Math.ceil(maxAge / step) * step;
  const x = (d: number) => LABEL + ((W - LABEL - 16) * Math.min(d, niceMax)) / niceMax;
  const H = TOP + series.length * ROW + AXIS;
  const ticks = Array.from({ length: niceMax / step + 1 }, (_, i) => i * step);
  const summary = series
    .map(
      (s) =>
        `${s.project} ${s.profile}: ${s.points.filter((p) => p.status === 'overdue').length} overdue, ${s.points.filter((p) => p.status === 'due').length} due of ${s.points.length}`,
    )
    .join('; ');

  return (
    <svg
      className="age-chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`Key ages. ${summary}`}
      preserveAspectRatio="xMinYMin meet"
    >
      {ticks.map((t) => (
        <g key={t} className="chart-tick">
          <line x1={x(t)} x2={x(t)} y1={TOP} y2={TOP + series.length * ROW} />
          <text x={x(t)} y={H - 8} textAnchor="middle">
            {t} d
          </text>
        </g>
      ))}
      {series.map((s, i) => {
        const y0 = TOP + i * ROW;
        const mid = y0 + ROW / 2;
        return (
          <g key={s.key}>
            <rect className="chart-band" x={LABEL} y={y0 + 6} width={W - LABEL - 16} height={ROW - 12} rx={6} />
            <text className="chart-label" x={0} y={mid - 3}>
              {s.profile}
            </text>
            <text className="chart-sublabel" x={0} y={mid + 13}>
              {s.project} · {s.points.length} keys
            </text>
            <line
              className="policy-due"
              x1={x(s.maxAgeDays * ROTATION_DUE_FRACTION)}
              x2={x(s.maxAgeDays * ROTATION_DUE_FRACTION)}
              y1={y0 + 4}
              y2={y0 + ROW - 4}
            />
            <line className="policy-max" x1={x(s.maxAgeDays)} x2={x(s.maxAgeDays)} y1={y0 + 4} y2={y0 + ROW - 4} />
            {s.points
              .filter((p) => p.age !== undefined)
              .map((p) => (
                <g key={p.name} className={`mark mark-${p.status}`}>
                  <Marker shape={SHAPES[p.status]} x={x(p.age!)} y={mid + jitter(p.name) * (ROW / 2 - 12)} />
                </g>
              ))}
          </g>
        );
      })}
    </svg>
  );
}

/** A stable offset in [-1, 1] per name, so marks at the same age spread out and stay put between renders. */
function jitter(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return ((h >>> 0) % 2000) / 1000 - 1;
}
