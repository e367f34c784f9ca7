import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import type { ManifestProblem } from '../../contract/ipc';
import { LatchkeyError } from './errors';
import {
  MANIFEST_FILE_NAMES,
  validateManifestData,
  type ProblemAnchor,
  type RawManifest,
  type RawSource,
  type SchemaProblem,
} from './manifest-schema';
import type { AwsSettings, GeneratePolicy, Manifest, Position, Profile, RotationPolicy, SourceSpec } from './types';

export { MANIFEST_FILE_NAMES };

const DEFAULT_ROTATION: RotationPolicy = { maxAgeDays: 90 };
/** Aliases expand into copies: a cap keeps a "billion laughs" file from eating the process. */
const MAX_ALIAS_EXPANSIONS = 1000;
/**
 * A manifest names sources and holds no values: 1 MiB is far more than any real one, and keeps a hostile or
 * generated file from stalling every command (issue 10, item 15).
 */
const MAX_MANIFEST_BYTES = 1024 * 1024;

/** Every problem found in one manifest, thrown at once so that people can fix them in one go. */
export class ManifestError extends LatchkeyError {
  constructor(
    /** Absolute path of the manifest. */
    readonly file: string,
    readonly problems: ManifestProblem[],
  ) {
    const shown = basename(file);
    super(
      'MANIFEST_INVALID',
      problems.map((p) => `${shown}:${p.line}:${p.col}: ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n'),
      `Fix ${file}; see README for its format.`,
      { action: 'open-manifest' },
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Finding and loading

export interface LoadManifestOptions {
  /** `--dir`: look in this folder only (relative to cwd); undefined when the CLI was given none. */
  dir?: string | undefined;
  /** Where the upward search starts; defaults to process.cwd(). */
  cwd?: string;
}

export async function loadManifest(options: LoadManifestOptions = {}): Promise<Manifest> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const foundBy = options.dir !== undefined ? 'dir' : 'search';
  let file: string | undefined;
  if (options.dir !== undefined) {
    const dir = resolve(cwd, options.dir);
    file = await manifestIn(dir);
    if (!file) {
      throw new LatchkeyError(
        'MANIFEST_NOT_FOUND',
        `no latchkey.yml in ${dir}`,
        'Check --dir, or create latchkey.yml there; see README.',
      );
    }
  } else {
    file = await findManifest(cwd);
    if (!file) {
      throw new LatchkeyError(
        'MANIFEST_NOT_FOUND',
        `no latchkey.yml in ${cwd} or any folder above it`,
        "Create latchkey.yml in your project's folder (or pass --dir); see README.",
      );
    }
  }
  await assertTrusted(file);
  const size = (await stat(file).catch(() => undefined))?.size ?? 0;
  if (size > MAX_MANIFEST_BYTES) throw new ManifestError(file, [tooLarge(size)]);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new LatchkeyError('MANIFEST_NOT_FOUND', `${file} disappeared while it was being read`);
    throw new LatchkeyError('MANIFEST_INVALID', `cannot read ${file} (${code ?? 'unknown error'})`, undefined, {
      cause: error,
    });
  }
  return { ...parseManifest(text, file), foundBy };
}

/**
 * A manifest decides what runs (exec applies its values, NODE_OPTIONS included) and where secrets are written, so
 * it is trusted as git trusts a repository (safe.directory): it must belong to you (or root), others must not be
 * able to change it, and its folder must belong to you (or root) and not let others replace it (writable by them
 * without the sticky bit). Not checked on Windows, whose ownership model this does not map onto.
 */
async function assertTrusted(file: string): Promise<void> {
  const uid = process.getuid?.();
  if (uid === undefined || process.platform === 'win32') return;
  const [fileStat, dirStat] = await Promise.all([stat(file), stat(dirname(file))]);
  const ours = (owner: number) => owner === uid || owner === 0;
  const refuse = (why: string): never => {
    throw new LatchkeyError(
      'MANIFEST_INVALID',
      `Refusing to use ${file}: ${why}`,
      'If you trust it, copy it into a folder of your own (or take it over with chown), then pass --dir or run from there.',
    );
  };
  if (!ours(fileStat.uid)) refuse(`it belongs to user ${fileStat.uid}, not to you`);
  if (fileStat.mode & 0o002) refuse('anyone may change it (it is world-writable)');
  if (!ours(dirStat.uid)) refuse(`its folder belongs to user ${dirStat.uid}, not to you`);
  if (dirStat.mode & 0o002 && !(dirStat.mode & 0o1000)) {
    refuse('anyone may replace it (its folder is world-writable without the sticky bit)');
  }
}

/** The nearest latchkey.yml (or .yaml) in startDir or a folder above it. Both names in one folder is an error. */
export async function findManifest(startDir: string): Promise<string | undefined> {
  let dir = resolve(startDir);
  for (;;) {
    const found = await manifestIn(dir);
    if (found) return found;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function manifestIn(dir: string): Promise<string | undefined> {
  const present: string[] = [];
  for (const name of MANIFEST_FILE_NAMES) {
    const candidate = join(dir, name);
    if (await isFile(candidate)) present.push(candidate);
  }
  if (present.length > 1) {
    throw new LatchkeyError(
      'MANIFEST_INVALID',
      `both latchkey.yml and latchkey.yaml are in ${dir}`,
      'Keep one of them.',
    );
  }
  return present[0];
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    // Missing, or a folder on the way we may not read: either way there is no manifest to use here.
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing

export function parseManifest(text: string, path: string): Manifest {
  const file = resolve(path);
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_MANIFEST_BYTES) throw new ManifestError(file, [tooLarge(size)]);
  // A BOM would shift every column on the first line by one.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = new LineCounter();
  // YAML's own unique-key check is quadratic in a mapping's size; toPlainData finds duplicates in linear time.
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const at = (offset: number): Position => lines.linePos(offset);

  const fail = (problems: ManifestProblem[]) => new ManifestError(file, withExcerpts(sorted(problems), source));

  // After a syntax error the tree is a guess, and checking its shape would mostly report the guess.
  const syntax = [...doc.errors, ...doc.warnings].map((e) => ({
    ...at(syntaxErrorOffset(source, e.code, e.message, e.pos[0])),
    path: '',
    message: e.message,
  }));
  if (syntax.length > 0) throw fail(syntax);

  const data = toPlainData(doc);
  if (data.problems.length > 0) throw fail(data.problems.map((p) => locate(doc, p, at)));

  const checked = validateManifestData(data.value);
  if (!checked.ok) throw fail(checked.problems.map((p) => locate(doc, p, at)));

  return buildManifest(checked.value, file, doc, at);
}

/**
 * Where a syntax error is to be shown. The yaml library reports an unterminated quoted string where it gave up, at
 * the end of the file, though the mistake is the quote that opened it (issue 14, item 11): a string that never
 * closed holds no unescaped quote of its kind, so its opening quote is the last one before that point.
 */
function syntaxErrorOffset(source: string, code: string, message: string, offset: number): number {
  if (code !== 'MISSING_CHAR') return offset;
  const quote = /closing (["'])quote/.exec(message)?.[1];
  if (!quote) return offset;
  for (let i = Math.min(offset, source.length) - 1; i >= 0; i--) {
    if (source[i] !== quote) continue;
    if (quote === '"') {
      let slashes = 0;
      while (source[i - 1 - slashes] === '\\') slashes++;
      if (slashes % 2 === 0) return i;
    } else if (source[i - 1] === "'") {
      i--; // '' is a quote written inside a single-quoted string
    } else {
      return i;
    }
  }
  return offset;
}

/** Lines kept around a problem: the one before, its own, and the one after. */
const EXCERPT_CONTEXT = 1;
const EXCERPT_LINE_CHARS = 400;

/** Each problem with the manifest's lines around it (a manifest names sources; its lines hold no secret values). */
function withExcerpts(problems: ManifestProblem[], source: string): ManifestProblem[] {
  const lines = source.split(/\r?\n/);
  return problems.map((p) => {
    if (p.line < 1 || p.line > lines.length) return p;
    const firstLine = Math.max(1, p.line - EXCERPT_CONTEXT);
    const last = Math.min(lines.length, p.line + EXCERPT_CONTEXT);
    const shown = lines.slice(firstLine - 1, last).map((l) => l.slice(0, EXCERPT_LINE_CHARS));
    return { ...p, excerpt: { firstLine, lines: shown } };
  });
}

function tooLarge(size: number): ManifestProblem {
  const mib = (bytes: number) => `${Math.floor((bytes / (1024 * 1024)) * 10) / 10} MiB`;
  return {
    line: 1,
    col: 1,
    path: '',
    message: `the manifest is ${mib(size)}; a manifest may be at most ${mib(MAX_MANIFEST_BYTES)} (it names sources, never values)`,
  };
}

function sorted(problems: ManifestProblem[]): ManifestProblem[] {
  const seen = new Set<string>();
  return problems
    .sort((a, b) => a.line - b.line || a.col - b.col || a.path.localeCompare(b.path))
    .filter((p) => {
      const key = `${p.line}:${p.col}:${p.path}:${p.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
}

// ---------------------------------------------------------------------------------------------------------------
// YAML tree → plain data, keeping keys as written

/**
 * Like doc.toJS(), but a key is the text the author wrote (`True:` stays "True", `1.0:` stays "1.0"), which is
 * what names must be made of, and what `locate` matches paths against.
 */
function toPlainData(doc: Document): { value: unknown; problems: SchemaProblem[] } {
  const problems: SchemaProblem[] = [];
  let expansions = 0;
  const active = new Set<Node>();

  const convert = (node: unknown, path: (string | number)[]): unknown => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (++expansions > MAX_ALIAS_EXPANSIONS) {
        if (expansions === MAX_ALIAS_EXPANSIONS + 1) {
          problems.push({
            path,
            anchor: 'value',
            message: `aliases expand to more than ${MAX_ALIAS_EXPANSIONS} copies`,
          });
        }
        return null;
      }
      if (!target || active.has(target)) {
        problems.push({ path, anchor: 'value', message: `alias *${node.source} refers to itself` });
        return null;
      }
      return convert(target, path);
    }
    if (isScalar(node)) return node.value;
    if (isMap(node) || isSeq(node)) {
      active.add(node);
      try {
        if (isSeq(node)) return node.items.map((item, i) => convert(item, [...path, i]));
        const out: Record<string, unknown> = {};
        for (const pair of node.items) {
          const key = keyText(pair.key);
          if (key === undefined) {
            problems.push({
              path,
              anchor: 'value',
              message: 'expected plain text keys; found a key that is empty, a list or a mapping',
            });
            continue;
          }
          if (key === '__proto__') {
            // Legal YAML and even a legal env name, but it turns into a prototype in every object it passes through.
            problems.push({ path: [...path, key], anchor: 'key', message: '"__proto__" cannot be used as a key' });
            continue;
          }
          if (Object.hasOwn(out, key)) {
            problems.push({
              path: [...path, key],
              anchor: 'key',
              message: `duplicate key ${JSON.stringify(key)}`,
              ...(isScalar(pair.key) && pair.key.range && { offset: pair.key.range[0] }),
            });
            continue;
          }
          out[key] = convert(pair.value, [...path, key]);
        }
        return out;
      } finally {
        active.delete(node);
      }
    }
    return null;
  };

  return { value: convert(doc.contents, []), problems };
}

function keyText(key: unknown): string | undefined {
  if (!isScalar(key) || key.value === null) return undefined;
  return typeof key.value === 'string' ? key.value : scalarSource(key);
}

/** The scalar as written: `1e3`, `0755`, `true` stay so (values under `set` are text, not numbers). */
function scalarSource(scalar: { value: unknown; source?: string }): string {
  return typeof scalar.value === 'string' ? scalar.value : (scalar.source ?? String(scalar.value));
}

// ---------------------------------------------------------------------------------------------------------------
// Paths → positions

interface Located {
  node: unknown;
  /** The pair holding `node`, when it is a mapping value. */
  pair?: Pair | undefined;
  /** How many path segments were found. */
  depth: number;
  /** The node at depth - 1. */
  parent?: unknown;
}

function follow(doc: Document, path: readonly (string | number)[]): Located {
  let node: unknown = doc.contents;
  let pair: Pair | undefined;
  let parent: unknown;
  for (let depth = 0; depth < path.length; depth++) {
    const container = isAlias(node) ? node.resolve(doc) : node;
    const segment = path[depth]!;
    let next: { node: unknown; pair?: Pair } | undefined;
    if (isMap(container)) {
      const found = container.items.find((p) => keyText(p.key) === String(segment));
      if (found) next = { node: found.value, pair: found };
    } else if (isSeq(container) && typeof segment === 'number' && segment < container.items.length) {
      next = { node: container.items[segment] };
    }
    if (!next) return { node, pair, depth, parent };
    parent = container;
    node = next.node;
    pair = next.pair;
  }
  return { node, pair, depth: path.length, parent };
}

function locate(doc: Document, problem: SchemaProblem, at: (offset: number) => Position): ManifestProblem {
  const { path, anchor } = problem;
  const shownPath = formatPath(anchor === 'value' ? path : path.slice(0, -1));
  const target = follow(doc, anchor === 'parent' ? path.slice(0, -1) : path);
  const complete = target.depth === (anchor === 'parent' ? path.length - 1 : path.length);
  // A path that stops short (through an alias, say) points at the deepest node it reached.
  const offset = problem.offset ?? (complete ? anchorOffset(doc, target, anchor) : nodeStart(doc, target.node));
  const position = typeof offset === 'number' ? at(offset) : { line: 1, col: 1 };
  return { ...position, path: shownPath, message: problem.message };
}

function anchorOffset(doc: Document, target: Located, anchor: ProblemAnchor): number | undefined {
  const keyStart = nodeStart(doc, target.pair?.key);
  if (anchor === 'key') return keyStart ?? nodeStart(doc, target.node);
  // `key:` with nothing after it: the empty value sits at the line's end, the key is the better place to point.
  if (isScalar(target.node) && target.node.value === null && !target.node.source)
    return keyStart ?? nodeStart(doc, target.node);
  return nodeStart(doc, target.node) ?? keyStart;
}

function nodeStart(doc: Document, node: unknown): number | undefined {
  if (isAlias(node) || isScalar(node) || isMap(node) || isSeq(node)) return node.range?.[0];
  return doc.contents?.range?.[0];
}

/** `profiles.dev.sources[2].only[0]`; keys that are not plain words are quoted: `profiles["my profile"]`. */
function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Plain data → Manifest

function buildManifest(raw: RawManifest, file: string, doc: Document, at: (offset: number) => Position): Manifest {
  const dir = dirname(file);
  const aws = mergeAws(raw.aws);
  const rotation = raw.rotation ?? DEFAULT_ROTATION;
  const profiles = new Map<string, Profile>();
  for (const [name, rawProfile] of Object.entries(raw.profiles)) {
    const profileAws = mergeAws(raw.aws, rawProfile.aws);
    const profileRotation = rawProfile.rotation ?? rotation;
    profiles.set(name, {
      name,
      ...(rawProfile.description !== undefined && { description: rawProfile.description }),
      target: resolve(dir, rawProfile.target),
      targetRel: rawProfile.target,
      dialect: rawProfile.dialect,
      rotation: profileRotation,
      aws: profileAws,
      sources: rawProfile.sources.map((source, index) => {
        const path = ['profiles', name, 'sources', index];
        const start = nodeStart(doc, follow(doc, path).node);
        return toSpec(source, {
          index,
          ...(start !== undefined && { pos: at(start) }),
          rotation: ('rotation' in source ? source.rotation : undefined) ?? profileRotation,
          aws: mergeAws(profileAws, 'aws' in source ? source.aws : undefined),
          generate: ('generate' in source ? source.generate : undefined) ?? rawProfile.generate,
          setNode: () => follow(doc, [...path, 'set']).node,
          doc,
        });
      }),
    });
  }
  return { path: file, dir, version: 1, aws, rotation, profiles };
}

interface SpecContext {
  index: number;
  pos?: Position;
  rotation: RotationPolicy;
  aws: AwsSettings;
  generate: GeneratePolicy | undefined;
  setNode: () => unknown;
  doc: Document;
}

function toSpec(source: RawSource, ctx: SpecContext): SourceSpec {
  const base = { index: ctx.index, ...(ctx.pos && { pos: ctx.pos }), rotation: ctx.rotation };
  switch (source.kind) {
    case 'chamber':
      // chamber lower-cases services and keys on write and on read, so `API/Dev` and `api/dev` are one service.
      return {
        ...base,
        kind: 'chamber',
        service: source.chamber.toLowerCase(),
        ...(source.only && { only: [...new Set(source.only.map((key) => key.toLowerCase()))] }),
        ...(source.optional === true && { optional: true }),
        aws: ctx.aws,
        ...(ctx.generate && { generate: ctx.generate }),
      };
    case 'ssm':
      return {
        ...base,
        kind: 'ssm',
        name: source.ssm,
        ...(source.as !== undefined && { as: source.as }),
        aws: ctx.aws,
        ...(ctx.generate && { generate: ctx.generate }),
      };
    case 'op':
      return {
        ...base,
        kind: 'op',
        ref: source.op,
        ...(source.as !== undefined && { as: source.as }),
        ...(source.fields && { fields: source.fields }),
        ...(source.fieldNames && { fieldNames: source.fieldNames }),
        ...(source.totp && { totp: source.totp }),
      };
    case 'keychain':
      return { ...base, kind: 'keychain', name: source.keychain };
    case 's3':
      return {
        ...base,
        kind: 's3',
        url: source.s3,
        ...(source.as !== undefined && { as: source.as }),
        ...(source.file !== undefined && { file: source.file }),
        ...(source.mode !== undefined && { mode: source.mode }),
        ...(source.allowUnencrypted !== undefined && { allowUnencrypted: source.allowUnencrypted }),
        aws: ctx.aws,
      };
    case 'set':
      return { ...base, kind: 'set', values: setValues(source.set, ctx.setNode(), ctx.doc) };
  }
}

/** `set` values as written: YAML would read `0755` as 755 and `1e3` as 1000, which is not what anyone meant. */
function setValues(parsed: Record<string, unknown>, node: unknown, doc: Document): Record<string, string> {
  const map = isAlias(node) ? node.resolve(doc) : node;
  // Keyed by names the manifest chose: no prototype to answer for names it did not define.
  const values = Object.create(null) as Record<string, string>;
  if (!isMap(map)) return values;
  for (const pair of map.items) {
    const key = keyText(pair.key);
    if (key === undefined || !Object.hasOwn(parsed, key)) continue;
    const value = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
    if (isScalar(value)) values[key] = scalarSource(value);
  }
  return values;
}

/**
 * Field by field: a later layer's profile or region replaces an earlier one's, absent fields fall through. The role
 * is one unit: a layer that names a roleArn brings its own externalId and sessionName, so a source's role never
 * inherits the external id meant for another role.
 */
function mergeAws(...layers: (AwsSettings | undefined)[]): AwsSettings {
  const merged: AwsSettings = {};
  for (const layer of layers) {
    if (layer?.profile !== undefined) merged.profile = layer.profile;
    if (layer?.region !== undefined) merged.region = layer.region;
    if (layer?.roleArn !== undefined) {
      merged.roleArn = layer.roleArn;
      delete merged.externalId;
      delete merged.sessionName;
    }
    if (layer?.externalId !== undefined) merged.externalId = layer.externalId;
    if (layer?.sessionName !== undefined) merged.sessionName = layer.sessionName;
  }
  return merged;
}
