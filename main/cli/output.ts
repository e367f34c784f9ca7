import type { KeyStatus, Plan, PlanEntry, PlanFile, RotationStatus } from '../../contract/plan';

let colorFlag: boolean | undefined;

/** `--color` / `--no-color` on the command line, which win over the environment; set once by cli/index.ts. */
export function setColorFlag(flag: boolean | undefined): void {
  colorFlag = flag;
}

/**
 * Whether to colour `stream`: `--no-color` first; then NO_COLOR (any non-empty value, https://no-color.org);
 * then FORCE_COLOR (`0` or `false` turn it off, any other value on, as Node's own tools read it); otherwise only on
 * a terminal.
 */
export function useColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (colorFlag !== undefined) return colorFlag;
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return Boolean(stream.isTTY);
}

type Tone = 'green' | 'amber' | 'red' | 'grey' | 'bold' | 'plain';
const ANSI: Record<Tone, string> = { green: '32', amber: '33', red: '31', grey: '90', bold: '1', plain: '0' };

export function paint(text: string, tone: Tone, color: boolean): string {
  return color && tone !== 'plain' ? `\x1b[${ANSI[tone]}m${text}\x1b[0m` : text;
}

/** The same status always gets the same colour and a symbol, so colour is never the only signal. */
const STATUS_LOOK: Record<KeyStatus, { symbol: string; tone: Tone }> = {
  add: { symbol: '+', tone: 'green' },
  change: { symbol: '~', tone: 'amber' },
  remove: { symbol: '-', tone: 'amber' },
  unchanged: { symbol: '=', tone: 'grey' },
  'local-only': { symbol: '·', tone: 'grey' },
  conflict: { symbol: '!', tone: 'red' },
  error: { symbol: 'x', tone: 'red' },
  'needs-input': { symbol: '?', tone: 'amber' },
  'keychain-locked': { symbol: '?', tone: 'red' },
  'source-offline': { symbol: '?', tone: 'red' },
  'local-override': { symbol: '#', tone: 'grey' },
};

const ROTATION_TONE: Record<RotationStatus, Tone> = { ok: 'green', due: 'amber', overdue: 'red', unknown: 'grey' };

export function renderTable(rows: string[][], header: string[], color: boolean): string {
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, visibleLength(r[i] ?? '')), visibleLength(h)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - visibleLength(c))))
      .join('  ')
      .trimEnd();
  return [paint(line(header), 'bold', color), ...rows.map(line)].join('\n');
}

function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}

function describeSource(entry: PlanEntry): string {
  if (!entry.origin) return '';
  const { kind, ref, sourceKey } = entry.origin;
  if (kind === 'set') return 'set';
  if (kind === 'chamber') return `chamber ${ref}/${sourceKey}`;
  return `${kind} ${ref}`;
}

function describeAge(entry: PlanEntry): string {
  return entry.rotation?.ageDays === undefined ? '' : `${Math.floor(entry.rotation.ageDays)}d`;
}

export function renderPlan(plan: Plan, color: boolean): string {
  const rows = plan.entries.map((e) => {
    const look = STATUS_LOOK[e.status];
    const rotation = e.rotation ? paint(e.rotation.status, ROTATION_TONE[e.rotation.status], color) : '';
    return [
      paint(`${look.symbol} ${e.status}`, look.tone, color),
      e.name,
      describeSource(e),
      e.meta?.version ?? '',
      describeAge(e),
      rotation,
      note(e),
    ];
  });
  const table = renderTable(rows, ['STATUS', 'NAME', 'SOURCE', 'VERSION', 'AGE', 'ROTATION', 'NOTE'], color);
  const summary = Object.entries(plan.counts)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const warnings = plan.warnings.map((w) => paint(`warning: ${w}`, 'amber', color));
  return [
    `Profile ${plan.profile} → ${plan.target} (${plan.dialect})`,
    table,
    ...(plan.files.length > 0 ? ['', renderPlanFiles(plan.files, color)] : []),
    '',
    summary || 'nothing to do',
    ...warnings,
  ].join('\n');
}

/** File secrets, under the keys: written with the target, all or nothing. */
function renderPlanFiles(files: PlanFile[], color: boolean): string {
  const rows = files.map((f) => {
    const look = STATUS_LOOK[f.status];
    const parts = [f.reason, f.status === 'conflict' ? conflictNote(f.resolution, f.path) : undefined];
    return [
      paint(`${look.symbol} ${f.status}`, look.tone, color),
      f.path,
      f.origin.ref,
      f.meta?.size === undefined ? '' : formatBytes(f.meta.size),
      f.meta?.version ?? '',
      f.rotation?.ageDays === undefined ? '' : `${Math.floor(f.rotation.ageDays)}d`,
      f.mode,
      parts.filter(Boolean).join('; '),
    ];
  });
  return renderTable(rows, ['STATUS', 'FILE', 'SOURCE', 'SIZE', 'VERSION', 'AGE', 'MODE', 'NOTE'], color);
}

function conflictNote(resolution: PlanFile['resolution'], name: string): string {
  return resolution === 'take-remote'
    ? 'taking the remote value'
    : `keeping the local value (--take-remote ${name} to replace it)`;
}

/** 1536 -> "1.5 KiB": sizes for people. */
function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

function note(e: PlanEntry): string {
  const parts: string[] = [];
  if (e.reason) parts.push(e.reason);
  if (e.status === 'conflict') parts.push(conflictNote(e.resolution, e.name));
  if (e.status === 'needs-input') parts.push(`latchkey secret set ${e.name}`);
  if (e.status === 'keychain-locked') parts.push('unlock the OS keychain, then run it again');
  if (e.collision) parts.push(e.collision);
  else if (e.overrides.length > 0)
    parts.push(
      `overrides ${e.overrides.map((o) => (o.kind === 'chamber' ? `${o.ref}/${o.sourceKey}` : o.ref)).join(', ')}`,
    );
  return parts.join('; ');
}
