import type { Plan } from '../../contract/plan';
import type { CliContext } from './context';
import { entryNotice, renderPlan, tableWidth, useColor } from './output';

/**
 * Which of a plan's repeated notices to print: those not shown since the manifest last changed, or all of them with
 * `--verbose`. Asking records them as shown, so call it only when the plan is printed for people.
 */
async function noticeFilter(ctx: CliContext, plan: Plan): Promise<(id: string) => boolean> {
  if (ctx.verbose()) return () => true;
  const ids = plan.entries.flatMap((e) => entryNotice(e)?.id ?? []);
  const unseen = await ctx.app.sync.unseenNotices({ manifestPath: plan.manifestPath, ids });
  return (id) => unseen.has(id);
}

/** The plan for people on stdout: coloured on a terminal, fitted to its width, repeated notices once. */
export async function planText(ctx: CliContext, plan: Plan): Promise<string> {
  const stdout = ctx.io.stdout;
  return renderPlan(plan, useColor(stdout), { width: tableWidth(stdout), showNotice: await noticeFilter(ctx, plan) });
}
