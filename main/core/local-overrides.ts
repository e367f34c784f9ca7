import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, parseDocument, YAMLMap, YAMLSeq, type Document } from 'yaml';
import * as z from 'zod';
import { errorCode, writeFileAtomic } from './atomic-write';
import { LatchkeyError } from './errors';
import { validateEnvName } from './names';

/**
 * `latchkey.local.yml`, beside the manifest: one developer's own choices, never committed (`latchkey init` puts it
 * in .gitignore). Today it says which keys of a profile are the user's own (`keep:`): a deliberate local value, such
 * as `DB_HOST=localhost`, is then a `local-override` in the plan instead of a conflict forever (issue 12, item 4).
 * It holds names only, never a value.
 */
const LOCAL_FILE_NAME = 'latchkey.local.yml';

const LocalFileSchema = z
  .object({
    version: z.literal(1).optional(),
    profiles: z
      .record(
        z.string(),
        z
          .object({
            keep: z
              .array(z.string().refine((name) => validateEnvName(name).ok, { message: 'not a valid variable name' }))
              .default([]),
          })
          .strict(),
      )
      .default({}),
  })
  .strict();

export interface LocalOverrides {
  path: string;
  /** Kept keys by profile name. */
  keep: ReadonlyMap<string, ReadonlySet<string>>;
}

const HEADER = [
  ' Latchkey: your own choices for this project. Not committed: keep it in .gitignore.',
  ' keep: keys whose value in the target is yours; a sync never writes them and never calls them a conflict.',
].join('\n');

/** latchkey.local.yml of the project whose manifest is in `manifestDir` (`latchkey init` offers it to .gitignore). */
export function localOverridesPath(manifestDir: string): string {
  return path.join(manifestDir, LOCAL_FILE_NAME);
}

export async function loadLocalOverrides(manifestDir: string): Promise<LocalOverrides> {
  const file = localOverridesPath(manifestDir);
  const text = await readLocalText(file);
  return { path: file, keep: text === undefined ? new Map() : parseLocalOverrides(text, file) };
}

export function keptKeys(overrides: LocalOverrides, profile: string): string[] {
  return [...(overrides.keep.get(profile) ?? [])];
}

function parseLocalOverrides(text: string, file: string): Map<string, Set<string>> {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new LatchkeyError('MANIFEST_INVALID', `${file}: not valid YAML (${doc.errors[0]!.message.split('\n')[0]})`);
  }
  const parsed = LocalFileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LatchkeyError(
      'MANIFEST_INVALID',
      `${file}: ${issue.path.join('.') || '(top)'}: ${issue.message}`,
      'Expected profiles: { <profile>: { keep: [KEY, …] } }',
    );
  }
  return new Map(Object.entries(parsed.data.profiles).map(([name, p]) => [name, new Set(p.keep)]));
}

/**
 * The file's text with `key` kept (or no longer kept) for `profile`. Comments and everything else stay as they
 * are; the result is validated before it is returned.
 */
export function withKeptKey(text: string | undefined, profile: string, key: string, keep: boolean): string {
  const valid = validateEnvName(key);
  if (!valid.ok) throw new LatchkeyError('INVALID_NAME', valid.reason);
  const doc = text === undefined || text.trim() === '' ? newDocument() : parseDocument(text);
  if (doc.errors.length > 0) throw new LatchkeyError('MANIFEST_INVALID', `${LOCAL_FILE_NAME}: not valid YAML`);
  const list = doc.getIn(['profiles', profile, 'keep']);
  const names = isSeq(list) ? list.items.map((item) => String((item as { value?: unknown }).value ?? item)) : [];
  const has = names.includes(key);
  if (keep && !has) {
    if (isSeq(list)) list.add(doc.createNode(key));
    else {
      if (!isMap(doc.get('profiles'))) doc.set('profiles', new YAMLMap());
      const seq = new YAMLSeq();
      seq.flow = true;
      seq.add(doc.createNode(key));
      doc.setIn(['profiles', profile, 'keep'], seq);
    }
  } else if (!keep && has && isSeq(list)) {
    list.delete(names.indexOf(key));
  }
  const next = doc.toString();
  parseLocalOverrides(next, LOCAL_FILE_NAME);
  return next;
}

/** Keeps (or stops keeping) `key` for `profile` in the folder's latchkey.local.yml; returns the file. */
export async function writeKeptKey(manifestDir: string, profile: string, key: string, keep: boolean) {
  const file = localOverridesPath(manifestDir);
  const bytes = await readLocalBytes(file);
  const before = bytes?.toString('utf8');
  const next = withKeptKey(before, profile, key, keep);
  // The user edits this file too: a save of theirs since it was read is kept, and the write refused.
  if (next !== before) await writeFileAtomic(file, next, { mode: 0o600, root: manifestDir, expected: bytes ?? null });
  return file;
}

function newDocument(): Document {
  const doc = parseDocument('version: 1\nprofiles: {}\n');
  doc.commentBefore = HEADER;
  const profiles = doc.get('profiles') as YAMLMap;
  profiles.flow = false;
  return doc;
}

async function readLocalText(file: string): Promise<string | undefined> {
  return (await readLocalBytes(file))?.toString('utf8');
}

async function readLocalBytes(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw new LatchkeyError('MANIFEST_INVALID', `cannot read ${file} (${errorCode(error) ?? 'unexpected error'})`);
  }
}
