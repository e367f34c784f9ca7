import type { Command } from 'commander';
import type { RotateResult } from '../../app';
import type { ErrorCode } from '../../../contract/errors';
import { exitCodeFor } from '../exit-codes';
import type { CliContext } from '../context';
import { confirmOrRefuse } from './chamber';

export function registerRotate(program: Command, ctx: CliContext): void {
  program
    .command('rotate')
    .description('generate a new value for a key from a chamber: or ssm: source and write it (asks first, or --yes)')
    .argument('<profile>')
    .argument('<KEY>', 'the variable name, as in the .env')
    .option('-y, --yes', 'rotate without asking')
    .option('--sync', 'sync the profile afterwards')
    .action(async (profile: string, name: string, opts: { yes?: boolean; sync?: boolean }) => {
      await confirmOrRefuse(
        opts.yes,
        `Rotate ${name} of ${profile}? Everyone who reads it needs the new value.`,
        `latchkey rotate ${profile} ${name} --yes`,
      );
      const result = await ctx.app.sharedSecrets.rotate({
        project: ctx.project(),
        profile,
        name,
        sync: Boolean(opts.sync),
      });
      if (ctx.json()) ctx.out(JSON.stringify(result, null, 2));
      else ctx.note(rotateText(result));
      // The rotation stands; a failed re-sync still makes the command fail, with the sync's own exit code.
      if (result.sync && !result.sync.ok) ctx.io.exitCode = exitCodeFor(result.sync.code as ErrorCode);
    });
}

function rotateText(result: RotateResult): string {
  const lines = [
    `Rotated ${result.name} (${result.parameter}): version ${result.previousVersion} -> ${result.version}, ` +
      `${result.policy.length} ${result.policy.charset} characters.`,
  ];
  if (result.sync?.ok) lines.push(result.sync.wrote ? 'Synced the profile.' : 'The profile was already in sync.');
  else if (result.sync) lines.push(`The re-sync failed (${result.sync.code}): ${result.sync.message}`);
  if (result.otherUses.length > 0) {
    lines.push('These profiles read the same parameter and need a sync:');
    for (const use of result.otherUses) lines.push(`  ${use.profile} in ${use.project}`);
  }
  return lines.join('\n');
}
