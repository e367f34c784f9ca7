import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import type { RotationSecretUser, RotationWorklistRow } from '../../contract/ipc';
import { ROTATION_DUE_FRACTION, ROTATION_STATUSES, type RotationStatus } from '../../contract/plan';
import { call, subscribe } from '../api';
import { ErrorPanel } from '../components/ErrorPanel';
import { Icon } from '../components/icons';
import { Badge, EmptyState } from '../components/ui';
import { formatAge } from '../lib/format';
import { DUE_PERCENT, ROTATION_LOOKS } from '../lib/status';
import { useApp } from '../state/app-store';
import { rememberProjectId } from '../state/project-ids';
import { useRotation } from '../state/rotation-store';
import { useSharedSecrets } from '../state/shared-secrets-store';

/** One mark of the chart: a secret as one profile reads it. */
interface Point {
  row: RotationWorklistRow;
  user: RotationSecretUser;
}

interface Series {
  key: string;
  project: string;
  profile: string;
  maxAgeDays: number;
  points: Point[];
}

const SHAPES: Record<RotationStatus, string> = { ok: 'circle', due: 'triangle', overdue: 'square', unknown: 'circle' };
/** A key of unknown age has no place on the age axis: the chart and its legend leave it out. */
const CHARTED = ROTATION_STATUSES.filter((s) => s !== 'unknown');

const dateLabel = (iso: string | undefined) =>
  iso === undefined ? 'no date' : new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });

/** What a mark and its tooltip say: the key, its age, and when it is (or was) due. */
function markText(p: Point): string {
  const status = ROTATION_LOOKS[p.row.rotation.status].label.toLowerCase();
  return `${p.user.key} (${p.user.project} › ${p.user.profile}): ${formatAge(p.row.rotation.ageDays)} old, ${status}, overdue from ${dateLabel(p.row.overdueAt)}`;
}

/**
 * Every chamber, ssm, 1Password and S3 secret of every recent project, scanned in the background (metadata only), one row per
 * secret however many profiles read it, with what can be done about it.
 */
export function RotationScreen(): ReactElement {
  const { scan, scanning, progress, error, run } = useRotation();

  useEffect(() => {
    const off = subscribe('rotation.progress', (p) => useRotation.getState().onProgress(p));
    void useRotation.getState().run();
    return off;
  }, []);

  // A rotation finished from this screen: scan again, so its row shows the new version and age.
  const rotated = useSharedSecrets((s) => (s.rotation?.phase === 'done' ? s.rotation : null));
  useEffect(() => {
    if (rotated) void useRotation.getState().run();
  }, [rotated]);

  const rows = useMemo(() => scan?.rows ?? [], [scan]);
  const totals = useMemo(() => {
    const counts: Record<RotationStatus, number> = { ok: 0, due: 0, overdue: 0, unknown: 0 };
    for (const r of rows) counts[r.rotation.status] += 1;
    return counts;
  }, [rows]);
  const series = useMemo(() => toSeries(rows), [rows]);
  const failed = scan?.projects.filter((p) => p.error) ?? [];

  return (
    <div className="page">
      <header className="page-header">
        <div className="grow">
          <h1>Rotation</h1>
          <p className="muted">
            Every shared secret of your recent projects against its rotation policy, counted once however many profiles
            read it. Due at {DUE_PERCENT} % of the maximum age, overdue past it. <code>set:</code> values and personal
            keychain values are not rotated and are left out.
          </p>
        </div>
        <button
          type="button"
          className="btn"
          onClick={() => void run()}
          disabled={scanning}
          data-testid="rotation-rescan"
        >
          {scanning ? <span className="spinner" /> : <Icon name="refresh" size={14} />}
          {scanning && progress
            ? `Scanning ${progress.done} of ${progress.total}`
            : scanning
              ? 'Scanning'
              : 'Scan again'}
        </button>
      </header>
      {/* Focusable so the keyboard can scroll it (axe: scrollable-region-focusable). */}
      <div className="page-body" tabIndex={0} role="region" aria-label="Rotation worklist" data-testid="rotation-body">
        {error ? <ErrorPanel error={error} context="Scanning your projects" onRetry={() => void run()} /> : null}
        {failed.length > 0 ? (
          <ul className="card pad notice-list" aria-label="Projects not scanned" data-testid="rotation-failed">
            {failed.map((p) => (
              <li key={p.dir}>
                <strong>{p.name}</strong> was not scanned: {p.error!.message}
              </li>
            ))}
          </ul>
        ) : null}
        {rows.length === 0 ? (
          <div className="card">
            <EmptyState
              icon="gauge"
              title={scanning ? 'Scanning your projects…' : 'No shared secrets to track yet'}
              testId="rotation-empty"
              actions={
                scanning ? null : (
                  <button type="button" className="btn" onClick={() => useApp.getState().showProject(null)}>
                    Go to Projects
                  </button>
                )
              }
            >
              <p>
                The secrets of every recent project’s chamber, ssm, 1Password and S3 sources show up here with their
                age, from their metadata: no value is read.
              </p>
            </EmptyState>
          </div>
        ) : (
          <>
            <ul className="stat-cards" aria-label="Secrets by rotation status">
              {ROTATION_STATUSES.map((s) => (
                <li key={s} className={`stat-card tone-border-${ROTATION_LOOKS[s].tone}`}>
                  <span className="stat-num">{totals[s].toLocaleString()}</span>
                  <Badge look={ROTATION_LOOKS[s]} />
                </li>
              ))}
            </ul>
            <section className="card pad chart-card" aria-labelledby="age-chart-title">
              <div className="chart-head">
                <h2 id="age-chart-title">Key ages by profile</h2>
                <Legend />
              </div>
              <AgeChart series={series} />
            </section>
            <Worklist rows={rows} />
          </>
        )}
      </div>
    </div>
  );
}

function toSeries(rows: RotationWorklistRow[]): Series[] {
  const byProfile = new Map<string, Series>();
  for (const row of rows) {
    for (const user of row.users) {
      const key = `${user.dir}\u0000${user.profile}`;
      let s = byProfile.get(key);
      if (!s) {
        s = { key, project: user.project, profile: user.profile, maxAgeDays: user.maxAgeDays, points: [] };
        byProfile.set(key, s);
      }
      s.maxAgeDays = Math.min(s.maxAgeDays, user.maxAgeDays);
      s.points.push({ row, user });
    }
  }
  return [...byProfile.values()].sort(
    (a, b) => a.project.localeCompare(b.project) || a.profile.localeCompare(b.profile),
  );
}

function rotate(row: RotationWorklistRow): void {
  const user = row.users[0]!;
  rememberProjectId(user.dir, user.projectId);
  useSharedSecrets.getState().askRotate({ ref: { dir: user.dir, profile: user.profile }, key: user.key });
}

/** Where each kind's link leads: Latchkey rotates chamber and ssm itself; 1Password and S3 are changed there. */
// Each accessible name holds the visible label (axe: label-content-name-mismatch).
const ssmLink = {
  label: 'SSM console',
  name: (s: string) => `Open ${s} in the SSM console`,
  testId: 'rotation-console',
};
const LINKS: Record<
  RotationWorklistRow['sourceKind'],
  { label: string; name: (secret: string) => string; testId: string }
> = {
  chamber: ssmLink,
  ssm: ssmLink,
  op: { label: 'Open in 1Password', name: (s) => `Open in 1Password: ${s}`, testId: 'rotation-open-1password' },
  s3: { label: 'S3 console', name: (s) => `Open ${s} in the S3 console`, testId: 'rotation-s3-console' },
};

function openConsole(url: string): void {
  void call('shell.openExternal', { url });
}

function Worklist({ rows }: { rows: RotationWorklistRow[] }): ReactElement {
  return (
    <section className="card" aria-labelledby="worklist-title" data-testid="rotation-worklist">
      <h2 id="worklist-title" className="card-title">
        Secrets, most urgent first
      </h2>
      <table className="simple-table">
        <thead>
          <tr>
            <th scope="col">Secret</th>
            <th scope="col">Read by</th>
            <th scope="col">Age</th>
            <th scope="col">Overdue from</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-testid="rotation-row" data-parameter={row.parameter}>
              <td>
                <span className="mono" data-identifier>
                  {row.parameter}
                </span>
                {row.region ? <div className="subtle">{row.region}</div> : null}
              </td>
              <td>
                <ul className="plain-list" aria-label={`Profiles that read ${row.parameter}`}>
                  {row.users.map((u) => (
                    <li key={`${u.dir}\u0000${u.profile}\u0000${u.key}`}>
                      {u.project} <span className="subtle">›</span> {u.profile}{' '}
                      <span className="mono subtle">{u.key}</span>
                      {u.drifted ? <span className="subtle"> · changed since its last sync</span> : null}
                    </li>
                  ))}
                </ul>
              </td>
              <td className="num">{formatAge(row.rotation.ageDays)}</td>
              <td className="num subtle">{dateLabel(row.overdueAt)}</td>
              <td>
                <Badge look={ROTATION_LOOKS[row.rotation.status]} />
              </td>
              <td>
                <div className="row-actions">
                  {row.sourceKind === 'chamber' || row.sourceKind === 'ssm' ? (
                    <button
                      type="button"
                      className="btn btn-sm"
                      aria-label={`Rotate ${row.parameter}`}
                      onClick={() => rotate(row)}
                      data-testid="rotation-rotate"
                    >
                      <Icon name="refresh" size={13} />
                      Rotate
                    </button>
                  ) : null}
                  {row.consoleUrl ? (
                    <button
                      type="button"
                      className="btn btn-sm"
                      aria-label={LINKS[row.sourceKind].name(row.parameter)}
                      onClick={() => openConsole(row.consoleUrl!)}
                      data-testid={LINKS[row.sourceKind].testId}
                    >
                      {LINKS[row.sourceKind].label}
                    </button>
                  ) : null}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
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

/**
 * A strip per profile: one mark per key at its age; dashed line at "due", solid at the maximum age. The marks are
 * one tab stop (roving tabindex): arrows move between them, each names its key, age and due date, and shows it in
 * a tooltip on focus or hover.
 */
function AgeChart({ series }: { series: Series[] }): ReactElement {
  const W = 900;
  const LABEL = 170;
  const ROW = 58;
  const TOP = 8;
  const AXIS = 28;
  const [active, setActive] = useState(0);
  const [tip, setTip] = useState<{ text: string; left: number; top: number } | null>(null);
  const marks = useRef<(SVGGElement | null)[]>([]);
  const maxAge = series
    .flatMap((s) => [s.maxAgeDays * 1.2, ...s.points.map((p) => (p.row.rotation.ageDays ?? 0) * 1.05)])
    .reduce((most, age) => Math.max(most, age), 30);
  // Ticks on whole weeks, months or quarters, whichever gives at most eight of them.
  const step = [7, 14, 30, 60, 90, 180, 365, 730].find((s) => maxAge / s <= 8) ?? 1460;
  const niceMax = Math.ceil(maxAge / step) * step;
  const x = (d: number) => LABEL + ((W - LABEL - 16) * Math.min(d, niceMax)) / niceMax;
  const H = TOP + series.length * ROW + AXIS;
  const ticks = Array.from({ length: niceMax / step + 1 }, (_, i) => i * step);
  const charted = series.flatMap((s) => s.points.filter((p) => p.row.rotation.ageDays !== undefined));
  const current = Math.min(active, Math.max(0, charted.length - 1));
  const summary = series
    .map(
      (s) =>
        `${s.project} ${s.profile}: ${s.points.filter((p) => p.row.rotation.status === 'overdue').length} overdue, ${s.points.filter((p) => p.row.rotation.status === 'due').length} due of ${s.points.length}`,
    )
    .join('; ');

  const show = (p: Point, el: SVGGElement | null) => {
    const svg = el?.ownerSVGElement;
    if (!el || !svg) return;
    const box = el.getBoundingClientRect();
    const frame = svg.getBoundingClientRect();
    setTip({ text: markText(p), left: box.left - frame.left + box.width / 2, top: box.top - frame.top });
  };
  const onKey = (event: KeyboardEvent<SVGGElement>) => {
    const moves: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    let next: number | undefined;
    if (event.key in moves) next = current + moves[event.key]!;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = charted.length - 1;
    else if (event.key === 'Escape') setTip(null);
    if (next === undefined) return;
    event.preventDefault();
    const to = (next + charted.length) % charted.length;
    setActive(to);
    marks.current[to]?.focus();
  };

  let index = -1;
  return (
    <div className="chart-frame">
      <svg
        className="age-chart"
        viewBox={`0 0 ${W} ${H}`}
        role="group"
        aria-label={`Key ages. ${summary}. Use the arrow keys to move between keys.`}
        preserveAspectRatio="xMinYMin meet"
      >
        {ticks.map((t) => (
          <g key={t} className="chart-tick" aria-hidden="true">
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
              <g aria-hidden="true">
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
              </g>
              {s.points
                .filter((p) => p.row.rotation.ageDays !== undefined)
                .map((p) => {
                  const at = ++index;
                  return (
                    <g
                      key={`${p.row.id}\u0000${p.user.key}`}
                      ref={(el) => {
                        marks.current[at] = el;
                      }}
                      className={`mark mark-${p.row.rotation.status}`}
                      role="img"
                      aria-label={markText(p)}
                      tabIndex={at === current ? 0 : -1}
                      data-testid="rotation-mark"
                      onFocus={(e) => {
                        setActive(at);
                        show(p, e.currentTarget);
                      }}
                      onBlur={() => setTip(null)}
                      onMouseEnter={(e) => show(p, e.currentTarget)}
                      onMouseLeave={() => setTip(null)}
                      onKeyDown={onKey}
                    >
                      <Marker
                        shape={SHAPES[p.row.rotation.status]}
                        x={x(p.row.rotation.ageDays!)}
                        y={mid + jitter(`${p.row.id}${p.user.key}`) * (ROW / 2 - 12)}
                      />
                    </g>
                  );
                })}
            </g>
          );
        })}
      </svg>
      {tip ? (
        <div
          className="chart-tooltip"
          role="tooltip"
          data-testid="rotation-tooltip"
          style={{ left: tip.left, top: tip.top }}
        >
          {tip.text}
        </div>
      ) : null}
    </div>
  );
}

/** A stable offset in [-1, 1] per name, so marks at the same age spread out and stay put between renders. */
function jitter(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return ((h >>> 0) % 2000) / 1000 - 1;
}
