import type { Command } from 'commander';
import type { Plan } from '../../../contract/plan';
import { LatchkeyError } from '../../core/errors';
import type { CliContext } from '../context';
import { planText } from '../notices';
import { needsInputOnCli } from '../personal-secrets';
import { collect, planOnCli } from '../plan-flow';
import { canPrompt, confirm } from '../prompt';
import { addTimeoutOption, type TimeoutOptions } from '../timeout-option';

interface SyncOptions extends TimeoutOptions {
  yes?: boolean;
  takeRemote: string[];
  addGitignore?: boolean;
}

export function registerSync(program: Command, ctx: CliContext): void {
  const command = program
    .command('sync')
    .description("write the profile's target file from its sources")
    .argument('[profile]', 'profile name (optional when the manifest has one profile)')
    .option('-y, --yes', 'write without asking')
    .option(
      '--take-remote <key>',
      'for a conflicting key, take the remote value instead of keeping the local edit (repeatable)',
      collect,
      [],
    )
    .option('--add-gitignore', 'add the target to .gitignore when git would track it');
  addTimeoutOption(command).action(async (profileName: string | undefined, opts: SyncOptions) => {
    const { profile, prepared } = await planOnCli(ctx, profileName, opts.takeRemote, { ...opts, askForSecrets: true });
    const p = prepared.plan;
    if (!ctx.json()) ctx.out(await planText(ctx, p));
    const needInput = p.entries.filter((e) => e.status === 'needs-input').map((e) => e.name);
    // Refused before apply(), as before the plan showed these rows: nothing to record, and no keychain write.
    if (needInput.length > 0) throw needsInputOnCli(needInput);
    // apply() refuses a plan with errors; going through it records the refusal in the audit trail.
    if (p.counts.error > 0) await prepared.apply();
    if (p.writes && !opts.yes && !(await confirmWrite(ctx, p))) return;
    const result = await prepared.apply();
    if (p.gitignoreNeeded) await offerGitignore(ctx, p, profile.name, opts);
    const { fixes } = result;
    if (ctx.json())
      ctx.out(JSON.stringify({ plan: p, hazards: prepared.hazards, wrote: result.wrote, fixes }, null, 2));
    else {
      ctx.note(result.wrote ? `Wrote ${p.target} (0600).` : `${p.target} is already up to date.`);
      // Said once, here: what the sync changed about the file beyond its keys (its mode, a byte order mark).
      for (const fix of fixes) ctx.note(`Fixed: ${fix}.`);
    }
  });
}

async function confirmWrite(ctx: CliContext, p: Plan): Promise<boolean> {
  if (!canPrompt())
    throw new LatchkeyError(
      'INVALID_INPUT',
      'refusing to write without --yes when no terminal can confirm',
      'Re-run with --yes.',
    );
  if (await confirm(`Write ${p.target}?`)) return true;
  ctx.io.stderr.write('Nothing written.\n');
  return false;
}

async function offerGitignore(ctx: CliContext, p: Plan, profileName: string, opts: SyncOptions): Promise<void> {
  const add =
    opts.addGitignore ||
    (!opts.yes && canPrompt() && (await confirm(`${p.target} is not ignored by git. Add it to .gitignore?`, true)));
  if (add) {
    const result = await ctx.app.sync.ignoreTarget(ctx.project(), profileName);
    ctx.note(result.added ? `Added to ${result.gitignore}` : `Already in ${result.gitignore}`);
    // The line alone is not the point: git may still commit the target (it tracks it already, say).
    if (result.advice !== undefined) ctx.warn(result.advice);
  } else
    ctx.warn(
      `${p.target} is not ignored by git; commit it and the secrets go with it. Run with --add-gitignore to fix.`,
    );
}
