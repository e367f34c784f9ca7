import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write';
import { ensurePrivateDir } from './paths';

/**
 * Notices that are true on every run (an override, a collision between sources) are worth reading once, not on
 * every plan. For each manifest we remember which notices were shown, as hashes of (manifest content, notice id):
 * an edit of the manifest, or a notice that was not there before, shows them again. Ids name keys and sources,
 * never values, and only their hashes are stored.
 */
const NOTICES_DIR = 'state';

function noticesPath(appDir: string, manifestPath: string): string {
  const digest = createHash('sha256').update(path.resolve(manifestPath), 'utf8').digest('hex');
  return path.join(appDir, NOTICES_DIR, `notices-${digest.slice(0, 32)}.json`);
}

function noticeHash(manifestText: string, noticeId: string): string {
  return createHash('sha256').update(manifestText, 'utf8').update('\0').update(noticeId, 'utf8').digest('hex');
}

async function readSeen(file: string): Promise<Set<string>> {
  try {
    const parsed: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    const list = (parsed as { seen?: unknown }).seen;
    return new Set(Array.isArray(list) ? list.filter((h): h is string => typeof h === 'string') : []);
  } catch {
    // Missing or unreadable: the worst outcome is a notice shown once more.
    return new Set();
  }
}

/**
 * Which of `ids` have not been shown for this content of the manifest, and records all of them as shown. The file
 * keeps only the current notices, so one that goes away and comes back is shown again.
 */
export async function takeUnseenNotices(
  appDir: string,
  manifestPath: string,
  manifestText: string,
  ids: readonly string[],
): Promise<Set<string>> {
  const file = noticesPath(appDir, manifestPath);
  const seen = await readSeen(file);
  const hashes = new Map(ids.map((id) => [id, noticeHash(manifestText, id)]));
  const unseen = new Set(ids.filter((id) => !seen.has(hashes.get(id)!)));
  const next = [...new Set(hashes.values())].sort();
  if (unseen.size > 0 || next.length !== seen.size) {
    await ensurePrivateDir(path.dirname(file));
    await writeFileAtomic(file, `${JSON.stringify({ version: 1, seen: next })}\n`, { mode: 0o600 });
  }
  return unseen;
}
