import { packPlan, splitHead } from '../../../contract/plan-packing';
import { heldBackFile } from '../../../contract/plan';
import type { Handlers } from '../types';
import { progressReporter } from '../progress';
import type { HandlerContext } from './context';

type SyncHandlers = Pick<
  Handlers,
  | 'readiness'
  | 'plan'
  | 'plan.cached'
  | 'plan.cachedChunk'
  | 'sync'
  | 'gitignore.add'
  | 'keys.keep'
  | 'target.openAtKey'
  | 'target.openFile'
>;

/** Each resolves the window's project id to the folder main registered; progress names that folder for display. */
export function syncHandlers({ app, send, state }: HandlerContext): SyncHandlers {
  const folderOf = (projectId: string) => app.projects.folderOf(projectId);
  /**
   * The chunks of each cached picture that have not crossed yet, by folder and profile, until the window has fetched
   * the last one (or asks for the picture again): read and checked once, not once per chunk.
   */
  const pendingChunks = new Map<string, { savedAt: string; rest: string[] }>();
  const pendingKey = (dir: string, profile: string) => `${dir}\u0000${profile}`;
  return {
    async readiness({ projectId, profile }) {
      // Through the state store, which keeps and pushes it (and checks it again when a session changes).
      return { items: await state.readiness({ dir: folderOf(projectId), profile }) };
    },
    async plan({ projectId, profile, takeRemote, takeRemoteFiles, keepLocal, keepLocalFiles }) {
      const dir = folderOf(projectId);
      const onProgress = progressReporter(send, dir, profile);
      // A personal secret not set yet, or a source offline, marks its own rows, not the whole plan (issue 14, item 1).
      const { prepared } = await app.sync.plan({
        project: { dir },
        profile,
        takeRemote,
        takeRemoteFiles,
        keepLocal,
        keepLocalFiles,
        onProgress,
        needsInputRows: true,
        offlineRows: true,
        rememberPlan: true,
        // The review card says who last changed each key, on a first plan too.
        whoChanged: true,
      });
      // Only a plan that succeeded reaches the state: a failed one leaves it as it was.
      state.planned({ dir, profile }, prepared.plan);
      return { plan: packPlan(prepared.plan) };
    },
    async 'plan.cached'({ projectId, profile }) {
      const dir = folderOf(projectId);
      // Kept packed and checked when written (core/plan-cache.ts): it crosses as it was read, its first chunk now.
      const cached = await app.sync.cachedPlan({ dir }, profile);
      if (!cached) {
        pendingChunks.delete(pendingKey(dir, profile));
        return {};
      }
      // A cached picture's summary is its head (counts, offline sources): its entries are never looked at.
      state.planned({ dir, profile }, { ...cached.plan, entries: [] }, { cachedAt: cached.savedAt });
      const { head, rest } = splitHead(cached.plan);
      if (rest.length) pendingChunks.set(pendingKey(dir, profile), { savedAt: cached.savedAt, rest });
      else pendingChunks.delete(pendingKey(dir, profile));
      return { cached: { plan: head, savedAt: cached.savedAt, more: rest.length } };
    },
    async 'plan.cachedChunk'({ projectId, profile, savedAt, index }) {
      const key = pendingKey(folderOf(projectId), profile);
      const pending = pendingChunks.get(key);
      // Another picture's ask (an older window's) neither gets this one's chunks nor drops them.
      if (!pending || pending.savedAt !== savedAt) return {};
      const chunk = pending.rest[index - 1];
      if (chunk === undefined || index === pending.rest.length) pendingChunks.delete(key);
      return chunk === undefined ? {} : { chunk };
    },
    /** Plans with the user's conflict choices and applies at once; our own write does not invalidate the result. */
    async sync({ projectId, profile, takeRemote, takeRemoteFiles, keepLocal, keepLocalFiles }) {
      const dir = folderOf(projectId);
      const onProgress = progressReporter(send, dir, profile);
      const choices = { takeRemote, takeRemoteFiles, keepLocal, keepLocalFiles };
      // Read as the plan it follows was (whoChanged), so that plan's answers can be handed to it (plan-handover.ts).
      const request = { project: { dir }, profile, ...choices, onProgress, whoChanged: true };
      const result = await app.sync.sync(request);
      const heldBack = [...(keepLocal ?? []), ...(keepLocalFiles ?? []).map(heldBackFile)];
      const syncedAt = state.synced({ dir, profile }, { wrote: result.wrote, heldBack });
      return { plan: packPlan(result.plan), wrote: result.wrote, syncedAt };
    },
    async 'gitignore.add'({ projectId, profile }) {
      const { gitignore, added, ignored, advice } = await app.sync.ignoreTarget({ dir: folderOf(projectId) }, profile);
      return { gitignore, added, ignored, ...(advice !== undefined && { advice }) };
    },
    async 'target.openAtKey'({ projectId, profile, name }) {
      const { line, via } = await app.target.openAtKey({ project: { dir: folderOf(projectId) }, profile, name });
      return { ...(line !== undefined && { line }), via };
    },
    async 'target.openFile'({ projectId, profile, path }) {
      return app.target.openFile({ project: { dir: folderOf(projectId) }, profile, path });
    },
    async 'keys.keep'({ projectId, profile, key }) {
      return { file: (await app.sync.keep({ project: { dir: folderOf(projectId) }, profile, key })).file };
    },
  };
}
