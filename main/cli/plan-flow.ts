import type { PlannedSync } from '../app';
import type { CliContext } from './context';
import { ensurePersonalSecrets } from './personal-secrets';
import { canPrompt } from './prompt';
import { withProgress } from './progress';
import { deadlineFrom, type TimeoutOptions } from './timeout-option';

/**
 * plan, sync and status: the plan, with progress on stderr. `sync` on a terminal asks for missing personal secrets
 * first; otherwise they are `needs-input` rows of the whole plan (issue 12, item 5).
 */
export async function planOnCli(
  ctx: CliContext,
  profileName: string | undefined,
  takeRemote: string[],
  options: TimeoutOptions & { askForSecrets?: boolean } = {},
): Promise<PlannedSync> {
  if (options.askForSecrets && canPrompt()) await ensurePersonalSecrets(ctx, profileName);
  const planned = await withProgress(ctx.io.stderr, ctx.warn, ({ onProgress }) =>
    ctx.app.sync.plan({
      project: ctx.project(),
      profile: profileName,
      takeRemote,
      needsInputRows: true,
      onProgress,
      ...deadlineFrom(options),
    }),
  );
  for (const name of planned.notConflicts) ctx.warn(`--take-remote ${name}: not a conflict in this plan`);
  for (const line of planned.awsCredentials) ctx.note(`AWS credentials: ${line}`);
  return planned;
}

/** `--take-remote a --take-remote b` */
export const collect = (value: string, previous: string[]) => [...previous, value];
