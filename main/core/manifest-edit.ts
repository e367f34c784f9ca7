import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  YAMLMap,
  YAMLSeq,
  type Node,
  type Pair,
  type ToStringOptions,
} from 'yaml';
import type { ProfileDraft, SourceDraft } from '../../contract/ipc';
import { DEFAULT_DIALECT } from '../../contract/plan';
import { errorCode, writeFileAtomic } from './atomic-write';
import { LatchkeyError } from './errors';
import { MANIFEST_FILE_NAMES, parseManifest } from './manifest';
import type { AwsSettings, Manifest, SourceSpec } from './types';

/**
 * Edits of latchkey.yml made by the app. The file is the team's, committed and commented, so an edit changes the
 * one profile it is about: the text of every other profile, and every comment outside the edited profile, stays
 * byte for byte. Inside the edited profile the comments attached to what is kept stay too. Every result is
 * validated by `parseManifest` before anything is written.
 */

/**
 * A source of a new manifest: what the profile editor sends, or a whole 1Password item (`fields: all`), which
 * `latchkey init` offers for the items it lists.
 */
export type NewSourceDraft = SourceDraft | { kind: 'op'; ref: string; fields: 'all' };

/** A profile of a new manifest. */
type NewProfileDraft = Omit<ProfileDraft, 'sources'> & { sources: NewSourceDraft[] };

export interface NewManifestInput {
  aws: AwsSettings;
  profile: NewProfileDraft;
}

const HEADER = [
  ' Latchkey: which secrets this project needs and where they come from.',
  ' It holds no secret values; commit it with the project. Each developer keeps their own choices',
  ' (`latchkey keep`) in latchkey.local.yml beside it, which stays out of git.',
].join('\n');

/**
 * What each section of a new manifest is for, written above it: the file is read by people who did not write it
 * (the guided form and `latchkey init` both write these).
 */
const SECTION_COMMENTS = {
  version: ' The manifest format; only 1 exists.',
  aws: ' AWS defaults for the chamber:, ssm: and s3: sources: a profile of ~/.aws/config and a region.',
  profiles: ' One entry per environment: `latchkey sync <name>` writes its target from its sources.',
  target: ' The file written, relative to this folder (it must stay inside it). Keep it out of git.',
  sources: [
    ' Where the values come from, in order: a later source overrides an earlier one.',
    '   chamber: every key under a chamber service (SSM path /service/...)',
    '   op: a 1Password item (`fields: all`) or one field; keychain: a personal secret, asked for once',
    '   and kept in your OS keychain; set: plain values (never secrets: this file is committed)',
  ].join('\n'),
} as const;

/** Fields of a profile in the order the editor writes them; keys the editor does not know keep their place. */
const PROFILE_KEY_ORDER = ['description', 'target', 'dialect', 'rotation', 'aws', 'sources'];
const DEFAULT_TARGET = '.env';

// ---------------------------------------------------------------------------------------------------------------
// Text

/** The text of a new manifest holding one profile. */
export function newManifestText(input: NewManifestInput): string {
  const doc = new Document();
  const root = new YAMLMap();
  doc.contents = root;
  doc.commentBefore = HEADER;
  root.items.push(explainedPair(doc, 'version', 1, SECTION_COMMENTS.version));
  const aws = cleanAws(input.aws);
  if (Object.keys(aws).length > 0) {
    const awsNode = doc.createNode(aws) as YAMLMap;
    awsNode.flow = true;
    root.items.push(explainedPair(doc, 'aws', awsNode, SECTION_COMMENTS.aws));
  }
  const profiles = new YAMLMap();
  const profile = buildProfile(doc, input.profile);
  // buildProfile's `set` leaves plain string keys, which findPair (reading nodes) does not see.
  const field = (key: string) => profile.items.find((p) => p.key === key);
  explainKey(doc, field('target'), SECTION_COMMENTS.target);
  explainKey(doc, field('sources'), SECTION_COMMENTS.sources);
  profiles.items.push(doc.createPair(input.profile.name, profile));
  root.items.push(explainedPair(doc, 'profiles', profiles, SECTION_COMMENTS.profiles));
  return doc.toString(stringifyOptions(2, true));
}

/**
 * `text` with the profile `draft` added (a new name), replaced (an existing name) or renamed (`previousName`).
 * Throws a ManifestError when `text` itself cannot be read as YAML, and a LatchkeyError for an impossible edit.
 * The result is not validated here; `writeProfileToFile` does that.
 */
export function withProfile(text: string, draft: ProfileDraft, previousName?: string, file = 'latchkey.yml'): string {
  const doc: Document = parseDocument(text);
  if (doc.errors.length > 0) parseManifest(text, file); // throws the problems with their positions
  const root = doc.contents;
  if (!isMap(root))
    throw new LatchkeyError(
      'MANIFEST_INVALID',
      `${path.basename(file)} is not a mapping of settings`,
      'Fix the file by hand first.',
    );

  const found = root.get('profiles', true);
  if (!isMap(found)) {
    const created = new YAMLMap();
    root.set('profiles', created);
    return appendByRewrite(doc, created, draft);
  }
  const map: YAMLMap = found;
  const lookup = previousName ?? draft.name;
  const pair = findPair(map, lookup);
  if (previousName !== undefined && !pair) {
    throw new LatchkeyError(
      'PROFILE_NOT_FOUND',
      `no profile "${previousName}" in ${path.basename(file)}`,
      'It may have been renamed or removed: reload the manifest.',
    );
  }
  if (previousName !== undefined && previousName !== draft.name && findPair(map, draft.name)) {
    throw new LatchkeyError('INVALID_INPUT', `a profile named "${draft.name}" already exists`, 'Choose another name.');
  }
  const previous = previousSources(text, file, lookup);

  if (!pair) {
    const added = doc.createPair(draft.name, buildProfile(doc, draft));
    return (
      appendProfile(text, map, added as Pair<Node, Node>) ?? appendByRewrite(doc, map, draft, added as Pair<Node, Node>)
    );
  }
  // Where the profile's text lies is read before the edit: new nodes have no positions.
  const span = profileSpan(text, pair as Pair<Node, Node>);
  const style = detectStyle(text, map);
  const before = profileData(doc, pair);
  const value = pair.value;
  if (isMap(value)) updateProfile(doc, value, draft, previous);
  else pair.value = buildProfile(doc, draft);
  if (draft.name !== lookup) pair.key = doc.createNode(draft.name);
  // Saving a profile that did not change leaves the file alone, comment alignment and all.
  if (draft.name === lookup && before !== undefined && before === profileData(doc, pair)) return text;
  if (!span) return doc.toString(stringifyOptions(2, true));
  const rendered = renderPair(pair as Pair<Node, Node>, style, span.keyIndent, span.foreign, eolOf(text));
  return text.slice(0, span.start) + rendered + text.slice(span.end);
}

// ---------------------------------------------------------------------------------------------------------------
// Files

/** Where a new manifest goes in `dir`, and the bytes of the one it would replace (null: none is there). */
export interface NewManifestPlace {
  file: string;
  replaced: Buffer | null;
}

/**
 * Where a new manifest would be written in `dir`. An existing manifest is refused unless `replace` (`latchkey init
 * --force`); then it is the file replaced, under its own name. A manifest that is a link or not a regular file is
 * never replaced: the write would land elsewhere.
 */
export async function newManifestPlace(
  dir: string,
  opts: { replace?: boolean; hint?: string } = {},
): Promise<NewManifestPlace> {
  const folder = path.resolve(dir);
  const stat = await fs.stat(folder).catch(() => undefined);
  if (!stat?.isDirectory()) throw new LatchkeyError('INVALID_INPUT', `${folder} is not a folder`);
  const existing: string[] = [];
  for (const name of MANIFEST_FILE_NAMES) {
    const file = path.join(folder, name);
    const found = await fs.lstat(file).catch(() => undefined);
    if (!found) continue;
    if (!opts.replace)
      throw new LatchkeyError(
        'INVALID_INPUT',
        `${file} already exists`,
        opts.hint ?? 'Open the project to edit its profiles instead.',
      );
    if (!found.isFile()) throw new LatchkeyError('INVALID_INPUT', `${file} is not a regular file; nothing replaced`);
    existing.push(file);
  }
  if (existing.length > 1)
    throw new LatchkeyError('MANIFEST_INVALID', `both latchkey.yml and latchkey.yaml are in ${folder}`, 'Keep one.');
  const [file] = existing;
  if (file) return { file, replaced: await fs.readFile(file) };
  return { file: path.join(folder, MANIFEST_FILE_NAMES[0]), replaced: null };
}

/**
 * Creates latchkey.yml in `dir`, which must be a folder with no manifest yet (or, with `replace`, replaces the one
 * there). The text is validated before anything is written. Returns the parsed manifest.
 */
export async function createManifestFile(
  dir: string,
  input: NewManifestInput,
  opts: { replace?: boolean; hint?: string } = {},
): Promise<Manifest> {
  const { file, replaced } = await newManifestPlace(dir, opts);
  const text = newManifestText(input);
  const manifest = parseManifest(text, file);
  // A committed project file, not a secret: the usual 0644. `expected`: an edit that lands meanwhile is not lost.
  await writeFileAtomic(file, text, { mode: 0o644, expected: replaced });
  return manifest;
}

/**
 * Adds, replaces or renames one profile in the manifest at `file`, validates the result, and writes it
 * atomically with the file's own permissions. Nothing is written when the result would not be a valid manifest.
 */
export async function writeProfileToFile(
  file: string,
  draft: ProfileDraft,
  previousName?: string,
): Promise<{ manifest: Manifest; wrote: boolean }> {
  let real: string;
  let bytes: Buffer;
  let mode: number;
  try {
    // A manifest that is a symlink keeps being one: the edit goes to the file it points at.
    real = await fs.realpath(file);
    bytes = await fs.readFile(real);
    mode = (await fs.stat(real)).mode & 0o777;
  } catch (error) {
    if (errorCode(error) === 'ENOENT')
      throw new LatchkeyError('MANIFEST_NOT_FOUND', `${file} disappeared`, 'Reload the project.');
    throw new LatchkeyError('MANIFEST_INVALID', `cannot read ${file} (${errorCode(error) ?? 'unknown error'})`);
  }
  const text = bytes.toString('utf8');
  const next = withProfile(text, draft, previousName, file);
  const manifest = parseManifest(next, file);
  if (next === text) return { manifest, wrote: false };
  // The user edits this file too: a save of theirs since it was read is kept, and the write refused.
  await writeFileAtomic(real, next, { mode, expected: bytes });
  return { manifest, wrote: true };
}

// ---------------------------------------------------------------------------------------------------------------
// Nodes

function explainedPair(doc: Document, key: string, value: unknown, comment: string): Pair {
  const pair = doc.createPair(key, value);
  explainKey(doc, pair, comment);
  return pair;
}

function explainKey(doc: Document, pair: Pair | undefined, comment: string): void {
  if (!pair) return;
  // `YAMLMap.set` keeps a plain string key, which cannot carry a comment: it becomes a node first.
  const key = isScalar(pair.key) ? pair.key : doc.createNode(pair.key);
  key.commentBefore = comment;
  pair.key = key;
}

function buildProfile(doc: Document, draft: NewProfileDraft): YAMLMap {
  const map = new YAMLMap();
  if (draft.description?.trim()) map.set('description', draft.description);
  map.set('target', draft.target);
  if (draft.dialect && draft.dialect !== DEFAULT_DIALECT) map.set('dialect', draft.dialect);
  const sources = new YAMLSeq();
  sources.items = draft.sources.map((source) => sourceNode(doc, source));
  map.set('sources', sources);
  return map;
}

/** Edits the existing profile in place, so comments attached to its fields and kept sources survive. */
function updateProfile(doc: Document, map: YAMLMap, draft: ProfileDraft, previous: PreviousSources): void {
  if (draft.description?.trim()) setField(doc, map, 'description', draft.description);
  else deleteField(map, 'description');
  // `target` and `dialect` may be left out for their defaults; write them only when they say something.
  if (findPair(map, 'target') || draft.target !== DEFAULT_TARGET) setField(doc, map, 'target', draft.target);
  // A draft without a dialect (an editor that does not show it) leaves the profile's own alone.
  if (draft.dialect !== undefined && (findPair(map, 'dialect') || draft.dialect !== DEFAULT_DIALECT))
    setField(doc, map, 'dialect', draft.dialect);

  const used = new Set<number>();
  const items = draft.sources.map((source) => {
    const key = draftKey(source);
    const match = previous.find((p) => !used.has(p.index) && p.key === key);
    if (match) {
      used.add(match.index);
      return match.node;
    }
    return sourceNode(doc, source);
  });
  const sourcesPair = findPair(map, 'sources');
  if (sourcesPair && isSeq(sourcesPair.value)) sourcesPair.value.items = items;
  else {
    const seq = new YAMLSeq();
    seq.items = items;
    setField(doc, map, 'sources', seq);
  }
}

function sourceNode(doc: Document, source: NewSourceDraft): Node {
  const node = doc.createNode(sourceData(source)) as YAMLMap;
  const inner = (key: string) => findPair(node, key)?.value;
  if (source.kind === 'chamber') markFlow(inner('only'));
  if (source.kind === 'set' && Object.keys(source.values).length <= 3) markFlow(inner('set'));
  return node;
}

function markFlow(node: unknown): void {
  if (isMap(node) || isSeq(node)) node.flow = true;
}

function sourceData(source: NewSourceDraft): Record<string, unknown> {
  switch (source.kind) {
    case 'chamber':
      return { chamber: source.service, ...(source.only && source.only.length > 0 && { only: source.only }) };
    case 'ssm':
      return { ssm: source.name, ...(source.as && { as: source.as }) };
    case 'op':
      if ('fields' in source) return { op: source.ref, fields: source.fields };
      return { op: source.ref, ...(source.as && { as: source.as }) };
    case 'keychain':
      return { keychain: source.name };
    case 's3':
      return { s3: source.url, ...(source.file && { file: source.file }), ...(source.as && { as: source.as }) };
    case 'set':
      return { set: { ...source.values } };
  }
}

function setField(doc: Document, map: YAMLMap, key: string, value: unknown): void {
  const pair = findPair(map, key);
  if (pair) {
    if (isScalar(pair.value) && !(value instanceof YAMLSeq) && !(value instanceof YAMLMap)) pair.value.value = value;
    else pair.value = value instanceof YAMLSeq || value instanceof YAMLMap ? value : doc.createNode(value);
    return;
  }
  const created = doc.createPair(key, value);
  const rank = PROFILE_KEY_ORDER.indexOf(key);
  const before = map.items.findIndex((p) => {
    const other = PROFILE_KEY_ORDER.indexOf(keyText(p.key) ?? '');
    return other > rank;
  });
  if (before === -1) map.items.push(created);
  else map.items.splice(before, 0, created);
}

function deleteField(map: YAMLMap, key: string): void {
  const at = map.items.findIndex((p) => keyText(p.key) === key);
  if (at !== -1) map.items.splice(at, 1);
}

/** The profile as plain data, for "did anything change"; undefined when it cannot be converted. */
function profileData(doc: Document, pair: Pair): string | undefined {
  try {
    const value = pair.value;
    return JSON.stringify(isMap(value) || isSeq(value) || isScalar(value) ? value.toJS(doc) : value);
  } catch {
    return undefined;
  }
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => keyText(p.key) === key);
}

/** A key as its author wrote it (`1.0:` is "1.0", not 1), as manifest.ts reads keys. */
function keyText(key: unknown): string | undefined {
  if (!isScalar(key) || key.value === null) return undefined;
  return typeof key.value === 'string' ? key.value : (key.source ?? String(key.value));
}

function cleanAws(aws: AwsSettings): AwsSettings {
  const out: AwsSettings = {};
  if (aws.profile?.trim()) out.profile = aws.profile.trim();
  if (aws.region?.trim()) out.region = aws.region.trim();
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Which existing sources a draft keeps

interface PreviousSource {
  index: number;
  key: string;
  node: Node;
}
type PreviousSources = PreviousSource[];

/**
 * The sources the profile has now, each with a comparison key in the editor's terms. A draft entry with the same
 * key keeps its node, and with it its comments and the options the editor does not show (rotation, aws).
 * Only when the manifest parses: otherwise every entry is written anew.
 */
function previousSources(text: string, file: string, profileName: string): PreviousSources {
  let specs: SourceSpec[];
  try {
    specs = parseManifest(text, file).profiles.get(profileName)?.sources ?? [];
  } catch {
    return [];
  }
  const doc = parseDocument(text);
  const seq = doc.getIn(['profiles', profileName, 'sources'], true);
  if (!isSeq(seq)) return [];
  return specs.flatMap((spec) => {
    const node = seq.items[spec.index];
    return node && typeof node === 'object' ? [{ index: spec.index, key: specKey(spec), node: node as Node }] : [];
  });
}

function specKey(spec: SourceSpec): string {
  switch (spec.kind) {
    case 'chamber':
      return JSON.stringify(['chamber', spec.service.toLowerCase(), normalizedOnly(spec.only)]);
    case 'ssm':
      return JSON.stringify(['ssm', spec.name, spec.as ?? null]);
    case 'op':
      return JSON.stringify(['op', spec.ref, spec.as ?? null]);
    case 'keychain':
      return JSON.stringify(['keychain', spec.name]);
    case 's3':
      return JSON.stringify(['s3', spec.url, spec.as ?? null, spec.file ?? null]);
    case 'set':
      return JSON.stringify(['set', Object.entries(spec.values).sort(([a], [b]) => a.localeCompare(b))]);
  }
}

function draftKey(source: SourceDraft): string {
  switch (source.kind) {
    case 'chamber':
      return JSON.stringify(['chamber', source.service.toLowerCase(), normalizedOnly(source.only)]);
    case 'ssm':
      return JSON.stringify(['ssm', source.name, source.as ?? null]);
    case 'op':
      return JSON.stringify(['op', source.ref, source.as ?? null]);
    case 'keychain':
      return JSON.stringify(['keychain', source.name]);
    case 's3':
      return JSON.stringify(['s3', source.url, source.as ?? null, source.file ?? null]);
    case 'set':
      return JSON.stringify(['set', Object.entries(source.values).sort(([a], [b]) => a.localeCompare(b))]);
  }
}

function normalizedOnly(only: string[] | undefined): string[] | null {
  return only && only.length > 0 ? [...new Set(only.map((k) => k.toLowerCase()))].sort() : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Splicing: only the edited profile's lines change

interface Style {
  indent: number;
  indentSeq: boolean;
}

function stringifyOptions(indent: number, indentSeq: boolean): ToStringOptions {
  // No folding: a long description or reference stays on one line, as people write them.
  return { indent, indentSeq, lineWidth: 0 };
}

/** The indentation the file uses, read from its profiles, so that the edited profile looks like its neighbours. */
function detectStyle(text: string, profiles: YAMLMap): Style {
  let indent = 2;
  let indentSeq = true;
  for (const pair of profiles.items) {
    const value = pair.value;
    if (!isMap(value) || value.flow || !isScalar(pair.key)) continue;
    const keyCol = columnOf(text, pair.key.range?.[0]);
    const firstKey = value.items[0]?.key;
    const innerCol = isScalar(firstKey) ? columnOf(text, firstKey.range?.[0]) : undefined;
    if (keyCol !== undefined && innerCol !== undefined && innerCol > keyCol) indent = innerCol - keyCol;
    const sources = findPair(value, 'sources');
    const seq = sources?.value;
    if (sources && isScalar(sources.key) && isSeq(seq) && !seq.flow && seq.items.length > 0) {
      const sourcesCol = columnOf(text, sources.key.range?.[0]);
      const itemCol = columnOf(text, seq.range?.[0]);
      if (sourcesCol !== undefined && itemCol !== undefined) indentSeq = itemCol > sourcesCol;
    }
    break;
  }
  return { indent, indentSeq };
}

function columnOf(text: string, offset: number | undefined): number | undefined {
  if (offset === undefined) return undefined;
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** Where a pair's own text starts (the start of its key's line) when it is in block style; else undefined. */
function blockLineStart(text: string, pair: Pair<Node, Node>): { lineStart: number; keyIndent: number } | undefined {
  const keyStart = pair.key?.range?.[0];
  if (keyStart === undefined) return undefined;
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  const lead = text.slice(lineStart, keyStart);
  if (!/^ *$/.test(lead)) return undefined;
  return { lineStart, keyIndent: lead.length };
}

/**
 * The end of a profile's own text: after its value, less the comment lines that sit at the profile keys'
 * indentation (or less) right before the next key. The YAML library attaches those to the value above, but
 * people write them about what follows. Returns the end offset (at a line start) and those comments.
 */
function ownedEnd(
  text: string,
  valueEnd: number,
  keyIndent: number,
  floor: number,
): { end: number; foreign: string[] } {
  let end = valueEnd;
  const lineStart = text.lastIndexOf('\n', end - 1) + 1;
  if (/^[ \t]*$/.test(text.slice(lineStart, end))) end = lineStart;
  else {
    const newline = text.indexOf('\n', end);
    end = newline === -1 ? text.length : newline + 1;
  }
  const foreign: string[] = [];
  while (end > floor) {
    const prevStart = text.lastIndexOf('\n', end - 2) + 1;
    const line = text.slice(prevStart, end).replace(/\r?\n$/, '');
    if (prevStart < floor) break;
    const indent = line.length - line.trimStart().length;
    if (line.trim() === '') end = prevStart;
    else if (line.trimStart().startsWith('#') && indent <= keyIndent) {
      foreign.unshift(line.trim());
      end = prevStart;
    } else break;
  }
  return { end, foreign };
}

/** A file written with CRLF gets CRLF in the edited lines too. */
function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function valueEndOf(pair: Pair<Node, Node>): number | undefined {
  return pair.value?.range?.[2] ?? pair.key?.range?.[2];
}

/** The pair as block YAML at `keyIndent`, without the comment lines that belong to what follows it. */
function renderPair(pair: Pair<Node, Node>, style: Style, keyIndent: number, foreign: string[], eol: string): string {
  const key = pair.key;
  const saved = { commentBefore: key.commentBefore, spaceBefore: key.spaceBefore };
  // Whatever stands above the key stays in the text as it is; it must not be printed a second time.
  delete key.commentBefore;
  delete key.spaceBefore;
  const holder = new Document();
  const map = new YAMLMap();
  map.items.push(pair);
  holder.contents = map;
  const lines = holder.toString(stringifyOptions(style.indent, style.indentSeq)).split('\n');
  if (saved.commentBefore !== undefined) key.commentBefore = saved.commentBefore;
  if (saved.spaceBefore !== undefined) key.spaceBefore = saved.spaceBefore;

  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  for (let i = foreign.length - 1; i >= 0; i--) {
    while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
    if (lines.length > 0 && lines[lines.length - 1]!.trim() === foreign[i]) lines.pop();
    else break;
  }
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const pad = ' '.repeat(keyIndent);
  return lines.map((line) => (line === '' ? line : pad + line)).join(eol) + eol;
}

interface ProfileSpan {
  start: number;
  end: number;
  keyIndent: number;
  foreign: string[];
}

/** The text a block-style profile occupies, from its key's line to its owned end; undefined for flow style. */
function profileSpan(text: string, pair: Pair<Node, Node>): ProfileSpan | undefined {
  const start = blockLineStart(text, pair);
  const valueEnd = valueEndOf(pair);
  if (!start || valueEnd === undefined || (isMap(pair.value) && pair.value.flow)) return undefined;
  const { end, foreign } = ownedEnd(text, valueEnd, start.keyIndent, start.lineStart + 1);
  return { start: start.lineStart, end, keyIndent: start.keyIndent, foreign };
}

/** Appends a new profile after the last one, in the same style, leaving every existing line as it is. */
function appendProfile(text: string, profiles: YAMLMap, added: Pair<Node, Node>): string | undefined {
  const last = profiles.items[profiles.items.length - 1] as Pair<Node, Node> | undefined;
  if (!last || profiles.flow) return undefined;
  const start = blockLineStart(text, last);
  const valueEnd = valueEndOf(last);
  if (!start || valueEnd === undefined) return undefined;
  const { end } = ownedEnd(text, valueEnd, start.keyIndent, start.lineStart + 1);
  const lineBefore = text.slice(text.lastIndexOf('\n', start.lineStart - 2) + 1, start.lineStart);
  const separator = profiles.items.length > 1 && lineBefore.trim() === '' ? eolOf(text) : '';
  const head = text.slice(0, end);
  const joint = head === '' || head.endsWith('\n') ? '' : eolOf(text);
  return (
    head +
    joint +
    separator +
    renderPair(added, detectStyle(text, profiles), start.keyIndent, [], eolOf(text)) +
    text.slice(end)
  );
}

/** The fallback for a manifest in flow style or without profiles: the library prints the whole document. */
function appendByRewrite(doc: Document, profiles: YAMLMap, draft: ProfileDraft, pair?: Pair<Node, Node>): string {
  profiles.items.push(pair ?? (doc.createPair(draft.name, buildProfile(doc, draft)) as Pair<Node, Node>));
  return doc.toString(stringifyOptions(2, true));
}
