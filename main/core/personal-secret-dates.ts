import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { errorCode, writeFileAtomic } from './atomic-write';
import { LatchkeyError } from './errors';
import { ensurePrivateDir } from './paths';

/**
 * When each personal secret was last set, by manifest and name (issue 12, item 5: `secret list`). The OS keychain
 * cannot say (keytar has no dates), so the app-data folder keeps this small record beside the sync state. Names and
 * times only, never a value.
 */
const FILE_NAME = 'personal-secrets.json';

const RecordSchema = z.strictObject({
  version: z.literal(1),
  /** Manifest path -> variable name -> when it was set. */
  projects: z.record(z.string(), z.record(z.string(), z.strictObject({ setAt: z.iso.datetime() }))),
});
type DatesRecord = z.infer<typeof RecordSchema>;

const recordFile = (appDir: string) => path.join(appDir, FILE_NAME);

async function readRecord(appDir: string): Promise<{ record: DatesRecord; bytes: Buffer | null }> {
  const file = recordFile(appDir);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { record: { version: 1, projects: {} }, bytes: null };
    throw new LatchkeyError('STATE_INVALID', `cannot read ${file} (${errorCode(error) ?? 'unknown error'})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = RecordSchema.safeParse(parsed);
  if (!result.success)
    throw new LatchkeyError(
      'STATE_INVALID',
      `${file} is not the record of dates Latchkey writes`,
      'Move it aside: it holds only when personal secrets were set; the secrets themselves stay in the keychain.',
    );
  return { record: result.data, bytes };
}

/** Reads, changes and writes the record atomically; a change made meanwhile by another process fails the write. */
async function updateRecord(appDir: string, change: (record: DatesRecord) => void): Promise<void> {
  const { record, bytes } = await readRecord(appDir);
  change(record);
  await ensurePrivateDir(appDir);
  await writeFileAtomic(recordFile(appDir), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600, expected: bytes });
}

/** When each personal secret of the manifest at `manifestPath` was set, by name (ISO 8601). */
export async function personalSecretDates(appDir: string, manifestPath: string): Promise<Map<string, string>> {
  const { record } = await readRecord(appDir);
  const names = Object.hasOwn(record.projects, manifestPath) ? record.projects[manifestPath]! : {};
  return new Map(Object.entries(names).map(([name, { setAt }]) => [name, setAt]));
}

export function recordPersonalSecretSet(appDir: string, manifestPath: string, name: string, at: Date): Promise<void> {
  return updateRecord(appDir, (record) => {
    const names = Object.hasOwn(record.projects, manifestPath) ? record.projects[manifestPath]! : {};
    record.projects[manifestPath] = { ...names, [name]: { setAt: at.toISOString() } };
  });
}

export function forgetPersonalSecretDate(appDir: string, manifestPath: string, name: string): Promise<void> {
  return updateRecord(appDir, (record) => {
    if (!Object.hasOwn(record.projects, manifestPath)) return;
    const names = { ...record.projects[manifestPath] };
    delete names[name];
    if (Object.keys(names).length === 0) delete record.projects[manifestPath];
    else record.projects[manifestPath] = names;
  });
}
