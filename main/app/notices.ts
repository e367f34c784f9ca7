import { promises as fs } from 'node:fs';
import { takeUnseenNotices } from '../core/notices';
import type { AppDeps } from './deps';

/**
 * The notices of a plan (by id) not shown yet for this manifest's current content; recorded as shown. A manifest
 * that cannot be read shows every notice: hiding one is the only thing this may never get wrong.
 */
export async function unseenNotices(
  deps: AppDeps,
  request: { manifestPath: string; ids: readonly string[] },
): Promise<Set<string>> {
  if (request.ids.length === 0) return new Set();
  let text: string;
  try {
    text = await fs.readFile(request.manifestPath, 'utf8');
  } catch {
    return new Set(request.ids);
  }
  try {
    return await takeUnseenNotices(deps.runtime.appDir, request.manifestPath, text, request.ids);
  } catch {
    return new Set(request.ids);
  }
}
