import type { RotationScan } from '../../app';
import type { Handlers } from '../types';
import type { HandlerContext } from './context';

type RotationHandlers = Pick<Handlers, 'rotation.scan'>;

/** The Rotation worklist: the scan's rows, each reader named by the id the window knows its project by. */
export function rotationHandlers({ app, send }: HandlerContext): RotationHandlers {
  return {
    async 'rotation.scan'() {
      // Listing admits every recent folder to the registry, so each reader gets the id its Rotate button needs.
      const ids = new Map((await app.projects.list()).map((p) => [p.dir, p.id]));
      const view = (scan: RotationScan) => ({
        ...scan,
        rows: scan.rows.flatMap((row) => {
          const users = row.users.flatMap((u) => {
            const projectId = ids.get(u.dir);
            return projectId === undefined ? [] : [{ ...u, projectId }];
          });
          return users.length === 0 ? [] : [{ ...row, users }];
        }),
      });
      const scan = await app.rotation.scan({
        onProgress: ({ done, total, ...partial }) => send('rotation.progress', { ...view(partial), done, total }),
      });
      // Opt-in, each event once: a failure to notify must not fail the scan the window asked for.
      await app.notifications.afterScan(scan).catch(() => undefined);
      return view(scan);
    },
  };
}
