/**
 * A comment-preserving editor for the AWS ini files. Leapp once wiped users' credentials files; this editor only
 * ever touches the lines of the section it is asked to edit, and hands back every other byte as it found it
 * (comments, odd spacing, blank lines, CRLF, other sections, keys it does not know).
 *
 * A file is a list of lines, each kept with its own line ending. A section runs from its `[header]` line to the
 * line before the next header; lines before the first header belong to no section and are never edited.
 */

export type IniLine =
  | { kind: 'header'; raw: string; eol: string; name: string }
  | { kind: 'key'; raw: string; eol: string; key: string; value: string }
  /** An indented line under a key (botocore's nested values such as `s3 =\n  max_concurrent_requests = 10`). */
  | { kind: 'continuation'; raw: string; eol: string }
  | { kind: 'other'; raw: string; eol: string };

interface IniSection {
  name: string;
  /** Index of the header line. */
  start: number;
  /** Index one past the section's last line. */
  end: number;
}

const HEADER = /^\s*\[([^\]]*)\](?:\s*[#;].*)?\s*$/;
const KEY = /^([^=\s#;[][^=]*?)\s*=\s*(.*?)\s*$/;

/** `[profile  dev ]` and `[profile dev]` name the same section, as the AWS loaders trim and split on spaces. */
function normalizeSectionName(name: string): string {
  return name.trim().split(/\s+/).join(' ');
}

export function parseIniLines(text: string): IniLine[] {
  const lines: IniLine[] = [];
  const pattern = /([^\r\n]*)(\r\n|\n|\r|$)/g;
  let previousWasKey = false;
  for (let match = pattern.exec(text); match && match.index < text.length; match = pattern.exec(text)) {
    const raw = match[1] ?? '';
    const eol = match[2] ?? '';
    const header = HEADER.exec(raw);
    if (header) {
      lines.push({ kind: 'header', raw, eol, name: normalizeSectionName(header[1] ?? '') });
      previousWasKey = false;
      continue;
    }
    const trimmed = raw.trim();
    if (previousWasKey && /^\s/.test(raw) && trimmed !== '' && !trimmed.startsWith('#') && !trimmed.startsWith(';')) {
      lines.push({ kind: 'continuation', raw, eol });
      continue;
    }
    const kv = /^\s/.test(raw) ? null : KEY.exec(raw);
    if (kv) {
      lines.push({ kind: 'key', raw, eol, key: (kv[1] ?? '').trim(), value: stripInlineComment(kv[2] ?? '') });
      previousWasKey = true;
      continue;
    }
    lines.push({ kind: 'other', raw, eol });
    previousWasKey = false;
  }
  return lines;
}

/** `value ; comment` and `value # comment` (with whitespace before the marker) are comments to the AWS loaders. */
function stripInlineComment(value: string): string {
  return value.replace(/\s+[#;].*$/, '');
}

export function serializeIni(lines: IniLine[]): string {
  return lines.map((l) => l.raw + l.eol).join('');
}

function sectionsOf(lines: IniLine[]): IniSection[] {
  const sections: IniSection[] = [];
  lines.forEach((line, i) => {
    if (line.kind !== 'header') return;
    const last = sections.at(-1);
    if (last) last.end = i;
    sections.push({ name: line.name, start: i, end: lines.length });
  });
  return sections;
}

/**
 * Every section's keys, later duplicates winning, as the AWS loaders merge them. Each section is a
 * null-prototype record: its keys are whatever the file says, so `constructor` or `__proto__` must be plain keys,
 * and a key the file lacks must read as undefined.
 */
export function readIniSections(text: string): Map<string, Record<string, string>> {
  const lines = parseIniLines(text);
  const out = new Map<string, Record<string, string>>();
  for (const section of sectionsOf(lines)) {
    const values = out.get(section.name) ?? (Object.create(null) as Record<string, string>);
    for (let i = section.start + 1; i < section.end; i++) {
      const line = lines[i];
      if (line?.kind === 'key') values[line.key] = line.value;
    }
    out.set(section.name, values);
  }
  return out;
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The key line and its continuation lines, as [start, end). */
function keySpan(lines: IniLine[], at: number, end: number): [number, number] {
  let stop = at + 1;
  while (stop < end && lines[stop]?.kind === 'continuation') stop++;
  return [at, stop];
}

/**
 * Sets (string) or removes (undefined) keys in `section`. An existing key keeps its position; a new key goes
 * after the section's last key; a missing section is appended at the end of the file. Nothing outside the
 * section changes, except a line ending added to a last line that had none, so that the new section can follow.
 */
export function setIniKeys(text: string, section: string, entries: Record<string, string | undefined>): string {
  const name = normalizeSectionName(section);
  const eol = eolOf(text);
  let lines = parseIniLines(text);
  const pending = new Map(Object.entries(entries));
  // Keys present anywhere in the section are replaced (or removed) in every copy; only the others are added.
  const present = new Set<string>();
  for (const target of sectionsOf(lines).filter((s) => s.name === name)) {
    for (const line of lines.slice(target.start + 1, target.end)) if (line.kind === 'key') present.add(line.key);
  }

  for (const target of sectionsOf(lines)
    .filter((s) => s.name === name)
    .reverse()) {
    const kept: IniLine[] = [];
    for (let i = target.start + 1; i < target.end;) {
      const line = lines[i] as IniLine;
      if (line.kind === 'key' && pending.has(line.key)) {
        const [, stop] = keySpan(lines, i, target.end);
        const value = pending.get(line.key);
        if (value !== undefined) kept.push(keyLine(line.key, value, line.eol || eol));
        i = stop;
        continue;
      }
      kept.push(line);
      i++;
    }
    lines = [...lines.slice(0, target.start + 1), ...kept, ...lines.slice(target.end)];
  }
  const toAdd = [...pending].filter((e): e is [string, string] => e[1] !== undefined && !present.has(e[0]));
  if (toAdd.length === 0) return serializeIni(lines);

  const added = toAdd.map(([key, value]) => keyLine(key, value, eol));
  const last = sectionsOf(lines)
    .filter((s) => s.name === name)
    .at(-1);
  if (!last) return appendSection(serializeIni(lines), name, added, eol);
  // New keys go after the section's last key; blank lines and comments after it stay after the new keys.
  let insertAt = last.start + 1;
  for (let i = last.start + 1; i < last.end; i++)
    if (lines[i]?.kind === 'key' || lines[i]?.kind === 'continuation') insertAt = i + 1;
  const before = lines[insertAt - 1] as IniLine;
  if (before.eol === '') lines[insertAt - 1] = { ...before, eol };
  return serializeIni([...lines.slice(0, insertAt), ...added, ...lines.slice(insertAt)]);
}

function keyLine(key: string, value: string, eol: string): IniLine {
  return { kind: 'key', raw: `${key} = ${value}`, eol, key, value };
}

function appendSection(text: string, name: string, added: IniLine[], eol: string): string {
  let prefix = text;
  if (prefix !== '' && !/[\r\n]$/.test(prefix)) prefix += eol;
  const separator = prefix === '' || /(\r\n|\n|\r){2}$/.test(prefix) ? '' : eol;
  return `${prefix}${separator}[${name}]${eol}${serializeIni(added)}`;
}

/** Removes every `[section]` with its lines. Everything before and after stays byte-identical. */
export function removeIniSection(text: string, section: string): string {
  const name = normalizeSectionName(section);
  const lines = parseIniLines(text);
  const drop = new Set<number>();
  for (const s of sectionsOf(lines).filter((x) => x.name === name)) for (let i = s.start; i < s.end; i++) drop.add(i);
  return serializeIni(lines.filter((_, i) => !drop.has(i)));
}

/** Sections whose name (normalized) appears more than once, with the 1-based lines of their headers. */
export function duplicateSections(text: string): { name: string; lines: number[] }[] {
  const lines = parseIniLines(text);
  const seen = new Map<string, number[]>();
  lines.forEach((line, index) => {
    if (line.kind === 'header') seen.set(line.name, [...(seen.get(line.name) ?? []), index + 1]);
  });
  return [...seen].filter(([, at]) => at.length > 1).map(([name, at]) => ({ name, lines: at }));
}

/** True when the section exists but holds nothing but blank lines. */
export function isSectionEmpty(text: string, section: string): boolean {
  const name = normalizeSectionName(section);
  const lines = parseIniLines(text);
  const matches = sectionsOf(lines).filter((s) => s.name === name);
  if (matches.length === 0) return false;
  return matches.every((s) => lines.slice(s.start + 1, s.end).every((l) => l.raw.trim() === ''));
}
