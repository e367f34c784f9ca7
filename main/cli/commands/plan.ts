import type { Command } from 'commander';
import type { CliContext } from '../context';
import { keychainLocked } from '../../core/keychain';
import { planText } from '../notices';
import { EXIT, exitCodeFor } from '../exit-codes';
import { needsInputOnCli } from '../personal-secrets';
import { collect, planOnCli } from '../plan-flow';
import { addTimeoutOption, type TimeoutOptions } from '../timeout-option';

export function registerPlan(program: Command, ctx: CliContext): void {
  const command = program
    .command('plan')
    .description('show what a sync would change, without writing anything')
    .argument('[profile]', 'profile name (optional when the manifest has one profile)')
    .option('--take-remote <key>', 'for a conflicting key, plan to take the remote value (repeatable)', collect, []);
  addTimeoutOption(command).action(
    async (profileName: string | undefined, opts: { takeRemote: string[] } & TimeoutOptions) => {
      const planned = await planOnCli(ctx, profileName, opts.takeRemote, opts);
      const { plan, hazards } = planned.prepared;
      ctx.out(
        ctx.json()
          ? JSON.stringify({ plan, hazards, awsCredentials: planned.awsCredentials }, null, 2)
          : await planText(ctx, plan),
      );
      if (plan.counts.error > 0) ctx.io.exitCode = EXIT.planErrors;
      else if (plan.counts['keychain-locked'] > 0) {
        // Locked, not missing: the secrets may well be there, so nothing invites setting them again.
        const names = plan.entries.filter((e) => e.status === 'keychain-locked').map((e) => e.name);
        const error = keychainLocked(`cannot read ${names.join(', ')}`);
        ctx.io.stderr.write(`${error.message}\nhint: ${error.hint ?? ''}\n`);
        ctx.io.exitCode = exitCodeFor(error.code);
      } else if (plan.counts['needs-input'] > 0) {
        const names = plan.entries.filter((e) => e.status === 'needs-input').map((e) => e.name);
        const error = needsInputOnCli(names);
        ctx.io.stderr.write(`${error.message}
hint: ${error.hint ?? ''}
`);
        ctx.io.exitCode = EXIT.needsInput;
      }
    },
  );
}
