import { constants, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorCode, writeFileAtomic } from '../core/atomic-write';
import { decodeLossless, encodeLossless } from '../core/bytes';
import { LatchkeyError } from '../core/errors';
import { duplicateSections } from './ini';

/**
 * Where the AWS files are and how Latchkey changes them: atomically, credentials 0600, and the first time it
 * edits a file, with a one-time backup beside it.
 */

export type AwsFileKind = 'config' | 'credentials';

const BACKUP_SUFFIX = '.latchkey-backup';

export function awsFilePath(kind: AwsFileKind, env: NodeJS.ProcessEnv = process.env): string {
  const override = kind === 'config' ? env.AWS_CONFIG_FILE : env.AWS_SHARED_CREDENTIALS_FILE;
  const home = env.HOME || env.USERPROFILE || os.homedir();
  if (override) return override.startsWith('~/') ? path.join(home, override.slice(2)) : override;
  return path.join(home, '.aws', kind);
}

/**
 * The file's text, or '' when it does not exist yet. Bytes that are not UTF-8 are kept (core/bytes.ts), so that
 * an edit never changes a line it does not touch (issue 10, item 13).
 */
export async function readAwsFile(kind: AwsFileKind, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const file = awsFilePath(kind, env);
  try {
    return decodeLossless(await fs.readFile(file));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return '';
    throw new LatchkeyError(
      'SOURCE_FAILED',
      `cannot read ${file} (${errorCode(error) ?? 'unexpected error'})`,
      undefined,
      { cause: error },
    );
  }
}

export interface AwsFileEdit {
  file: string;
  changed: boolean;
  /** Set the one time a backup was made: the caller tells the user where it is. */
  backup?: string;
}

/**
 * Applies `edit` to the file's text and writes the result atomically. A symlinked file is written through to its
 * real path (dotfile managers link ~/.aws/credentials), so the link survives. A file with duplicate sections is
 * never edited: the AWS tools merge the copies, and an edit of one name would touch keys of the other copy
 * (issue 10, item 18). An edit made by another program while this one runs is kept, and this one fails.
 */
export async function editAwsFile(
  kind: AwsFileKind,
  edit: (text: string) => string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AwsFileEdit> {
  const file = awsFilePath(kind, env);
  const real = await fs.realpath(file).catch(() => file);
  let before: string | undefined;
  let beforeBytes: Buffer | undefined;
  let mode = 0o600;
  try {
    beforeBytes = await fs.readFile(real);
    before = decodeLossless(beforeBytes);
    // Credentials are always private; the config keeps the permissions its owner chose, at most as open as they were.
    if (kind === 'config') mode = (await fs.stat(real)).mode & 0o777;
  } catch (error) {
    if (errorCode(error) !== 'ENOENT')
      throw new LatchkeyError('WRITE_FAILED', `cannot read ${file} (${errorCode(error) ?? 'unexpected error'})`);
  }
  if (before !== undefined) refuseDuplicates(file, before);
  const after = edit(before ?? '');
  if (after === (before ?? '')) return { file, changed: false };
  await fs.mkdir(path.dirname(real), { recursive: true, mode: 0o700 });
  const backup = beforeBytes === undefined ? undefined : await backupOnce(real, beforeBytes);
  await writeFileAtomic(real, encodeLossless(after), { mode, expected: beforeBytes ?? null });
  return { file, changed: true, ...(backup && { backup }) };
}

function refuseDuplicates(file: string, text: string): void {
  const duplicates = duplicateSections(text);
  if (duplicates.length === 0) return;
  const named = duplicates.map((d) => `[${d.name}] (lines ${d.lines.join(', ')})`).join(', ');
  throw new LatchkeyError(
    'TARGET_UNSAFE',
    `${file} has duplicate sections: ${named}; the AWS tools merge them, so Latchkey cannot tell which copy to edit`,
    'Merge each duplicated section into one by hand, then try again. Nothing was changed.',
  );
}

/** Writes `<file>.latchkey-backup` (0600) unless one exists: the file as it was before Latchkey's first edit. */
async function backupOnce(file: string, bytes: Buffer): Promise<string | undefined> {
  const backup = `${file}${BACKUP_SUFFIX}`;
  try {
    await fs.access(backup, constants.F_OK);
    return undefined;
  } catch {
    await writeFileAtomic(backup, bytes, { mode: 0o600, expected: null });
    return backup;
  }
}

/**
 * Applies `edit` to the backup, if there is one. Removing plaintext keys on request must not leave them in the
 * copy Latchkey itself made.
 */
export async function editBackup(
  kind: AwsFileKind,
  edit: (text: string) => string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  const file = await fs.realpath(awsFilePath(kind, env)).catch(() => awsFilePath(kind, env));
  const backup = `${file}${BACKUP_SUFFIX}`;
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(backup);
  } catch {
    return false;
  }
  const text = decodeLossless(bytes);
  refuseDuplicates(backup, text);
  const after = edit(text);
  if (after === text) return false;
  await writeFileAtomic(backup, encodeLossless(after), { mode: 0o600, expected: bytes });
  return true;
}
