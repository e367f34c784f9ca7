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

/**
 * The width tables must fit: the terminal's, or `COLUMNS` when stdout is not a terminal but the caller says how wide
 * it is. Otherwise (piped into a file or another program) there is no limit: a cut path would break whatever reads
 * the lines. A terminal that does not know its width counts as 80 columns.
 */
export function tableWidth(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (stream.isTTY) return stream.columns > 0 ? stream.columns : DEFAULT_WIDTH;
  const columns = Number.parseInt(env.COLUMNS ?? '', 10);
  return columns > 0 ? columns : undefined;
}

const DEFAULT_WIDTH = 80;
const GAP = 2;
const NOTE_INDENT = '    ';
/** A cut column keeps at least this much, so that a path's start and end still say which one it is. */
const MIN_CUT_WIDTH = 12;
/** Below this no cell says anything; a table that does not fit even so is printed as wide as it must be. */
const MIN_ANY_WIDTH = 4;

export interface TableLayout {
  /** The width to fit (tableWidth); undefined for no limit. */
  width?: number | undefined;
  /** Columns (indexes) cut first, in this order, in the middle: paths, sources, versions. */
  cutFirst?: number[];
  /** Per row: a note printed on its own indented line under the row rather than in a wide column. */
  notes?: (string | undefined)[];
}

/**
 * Rows in aligned columns. With a width, the columns are narrowed until the table fits: first those in `cutFirst`,
 * then any but the first, each cell cut in the middle with `…` (the two ends of a path name it best). Notes go on
 * their own line, wrapped to the width.
 */
export function renderTable(rows: string[][], header: string[], color: boolean, layout: TableLayout = {}): string {
  const natural = header.map((h, i) => rows.reduce((w, r) => Math.max(w, visibleLength(r[i] ?? '')), visibleLength(h)));
  const widths = layout.width === undefined ? natural : fitWidths(natural, layout.width, layout.cutFirst ?? []);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        const cell = visibleLength(c) > widths[i]! ? cutMiddle(stripAnsi(c), widths[i]!) : c;
        return i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleLength(cell));
      })
      .join(' '.repeat(GAP))
      .trimEnd();
  const out = [paint(line(header), 'bold', color)];
  rows.forEach((row, i) => {
    out.push(line(row));
    const note = layout.notes?.[i];
    if (note) for (const l of wrap(note, layout.width)) out.push(NOTE_INDENT + l);
  });
  return out.join('\n');
}

function fitWidths(natural: number[], width: number, cutFirst: number[]): number[] {
  const widths = [...natural];
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP * (widths.length - 1);
  const rest = widths.map((_, i) => i).filter((i) => i > 0 && !cutFirst.includes(i));
  for (const [columns, min] of [
    [cutFirst, MIN_CUT_WIDTH],
    [rest, MIN_ANY_WIDTH],
  ] as const) {
    // Narrow the widest of these columns one step at a time, so that the cut is shared rather than all in one.
    while (total() > width) {
      const candidates = columns.filter((i) => widths[i]! > Math.min(min, natural[i]!));
      if (candidates.length === 0) break;
      const widest = candidates.reduce((a, b) => (widths[b]! > widths[a]! ? b : a));
      widths[widest]! -= 1;
    }
  }
  return widths;
}

/** `/a/very/long/path` -> `/a/ver…ng/path`: both ends kept, as they tell paths apart. */
export function cutMiddle(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return '…'.slice(0, width);
  const keep = width - 1;
  const head = Math.ceil(keep / 2);
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (keep - head)).join('')}`;
}

function wrap(text: string, width: number | undefined): string[] {
  const room = width === undefined ? Infinity : Math.max(MIN_CUT_WIDTH, width - NOTE_INDENT.length);
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    let rest = word;
    while ([...rest].length > room) {
      if (current) lines.push(current);
      current = '';
      lines.push([...rest].slice(0, room).join(''));
      rest = [...rest].slice(room).join('');
    }
    if (!current) current = rest;
    else if ([...current].length + 1 + [...rest].length <= room) current += ` ${rest}`;
    else {
      lines.push(current);
      current = rest;
    }
  }
  if (current) lines.push(current);
  return lines;
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

function visibleLength(text: string): number {
  return [...stripAnsi(text)].length;
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

export interface PlanRendering {
  /** As tableWidth gives it; undefined for no limit. */
  width?: number | undefined;
  /** Whether to show a repeated notice (entryNotice's id); by default every one. */
  showNotice?: (id: string) => boolean;
}

/** The plan as people read it. */
export function renderPlan(plan: Plan, color: boolean, rendering: PlanRendering = {}): string {
  const { width, showNotice = () => true } = rendering;
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
    ];
  });
  const table = renderTable(rows, ['STATUS', 'NAME', 'SOURCE', 'VERSION', 'AGE', 'ROTATION'], color, {
    width,
    cutFirst: [2, 3],
    notes: plan.entries.map((e) => note(e, showNotice)),
  });
  const hidden = plan.entries.filter((e) => {
    const notice = entryNotice(e);
    return notice !== undefined && !showNotice(notice.id);
  }).length;
  const summary = Object.entries(plan.counts)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const warnings = plan.warnings.map((w) => paint(`warning: ${w}`, 'amber', color));
  return [
    `Profile ${plan.profile} → ${plan.target} (${plan.dialect})`,
    table,
    ...(plan.files.length > 0 ? ['', renderPlanFiles(plan.files, color, width)] : []),
    '',
    summary || 'nothing to do',
    ...(hidden > 0
      ? [
          paint(
            `${hidden} override note${hidden === 1 ? '' : 's'} shown before, hidden until the manifest changes (--verbose shows them)`,
            'grey',
            color,
          ),
        ]
      : []),
    ...warnings,
  ].join('\n');
}

/** File secrets, under the keys: written with the target, all or nothing. */
function renderPlanFiles(files: PlanFile[], color: boolean, width: number | undefined): string {
  const rows = files.map((f) => {
    const look = STATUS_LOOK[f.status];
    return [
      paint(`${look.symbol} ${f.status}`, look.tone, color),
      f.path,
      f.origin.ref,
      f.meta?.size === undefined ? '' : formatBytes(f.meta.size),
      f.meta?.version ?? '',
      f.rotation?.ageDays === undefined ? '' : `${Math.floor(f.rotation.ageDays)}d`,
      f.mode,
    ];
  });
  return renderTable(rows, ['STATUS', 'FILE', 'SOURCE', 'SIZE', 'VERSION', 'AGE', 'MODE'], color, {
    width,
    cutFirst: [2, 1, 4],
    notes: files.map((f) =>
      [f.reason, f.status === 'conflict' ? conflictNote(f.resolution, f.path) : undefined].filter(Boolean).join('; '),
    ),
  });
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

/**
 * The part of a row's note that says the same on every run (which sources it overrides, a collision between
 * spellings): shown once per manifest change (cli/notices.ts). Its id names the key and the sources, never a value.
 */
export function entryNotice(e: PlanEntry): { id: string; text: string } | undefined {
  const text = e.collision
    ? e.collision
    : e.overrides.length > 0
      ? `overrides ${e.overrides.map((o) => (o.kind === 'chamber' ? `${o.ref}/${o.sourceKey}` : o.ref)).join(', ')}`
      : undefined;
  return text === undefined ? undefined : { id: `${e.name}\0${text}`, text };
}

function note(e: PlanEntry, showNotice: (id: string) => boolean): string {
  const parts: string[] = [];
  if (e.reason) parts.push(e.reason);
  if (e.status === 'conflict') parts.push(conflictNote(e.resolution, e.name));
  if (e.status === 'needs-input') parts.push(`latchkey secret set ${e.name}`);
  if (e.status === 'keychain-locked') parts.push('unlock the OS keychain, then run it again');
  const notice = entryNotice(e);
  if (notice && showNotice(notice.id)) parts.push(notice.text);
  return parts.join('; ');
}
