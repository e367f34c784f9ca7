import type { PlannedSync } from '../app';
import type { CliContext } from './context';
import { ensurePersonalSecrets } from './personal-secrets';
import { withProgress } from './progress';
import { deadlineFrom, type TimeoutOptions } from './timeout-option';

/** plan, sync and status: missing personal secrets asked for first, then the plan, with progress on stderr. */
export async function planOnCli(
  ctx: CliContext,
  profileName: string | undefined,
  takeRemote: string[],
  opts: TimeoutOptions = {},
): Promise<PlannedSync> {
  await ensurePersonalSecrets(ctx, profileName);
  const planned = await withProgress(ctx.io.stderr, ctx.warn, ({ onProgress }) =>
    ctx.app.sync.plan({ project: ctx.project(), profile: profileName, takeRemote, onProgress, ...deadlineFrom(opts) }),
  );
  for (const name of planned.notConflicts) ctx.warn(`--take-remote ${name}: not a conflict in this plan`);
  for (const line of planned.awsCredentials) ctx.note(`AWS credentials: ${line}`);
  return planned;
}

/** `--take-remote a --take-remote b` */
export const collect = (value: string, previous: string[]) => [...previous, value];
