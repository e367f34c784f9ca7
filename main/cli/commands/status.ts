import type { Command } from 'commander';
import type { CliContext } from '../context';
import { planText } from '../notices';
import { EXIT } from '../exit-codes';
import { planOnCli } from '../plan-flow';
import { addTimeoutOption, type TimeoutOptions } from '../timeout-option';

export function registerStatus(program: Command, ctx: CliContext): void {
  const command = program
    .command('status')
    .description('show drift between the sources, the target file and the last sync, and rotation status')
    .argument('[profile]', 'profile name (optional when the manifest has one profile)')
    .option('--exit-code', `exit with ${EXIT.drift} when the file is not in sync`);
  addTimeoutOption(command).action(
    async (profileName: string | undefined, opts: { exitCode?: boolean } & TimeoutOptions) => {
      const { plan: p, hazards } = (await planOnCli(ctx, profileName, [], opts)).prepared;
      const drift =
        p.writes ||
        p.counts.conflict > 0 ||
        p.counts.error > 0 ||
        p.counts['needs-input'] > 0 ||
        p.counts['keychain-locked'] > 0;
      // `set:` and keychain values have no rotation status: they are not rotated, which is not "unknown".
      const rotation = { due: 0, overdue: 0, unknown: 0, notRotated: 0 };
      for (const e of p.entries) {
        if (e.rotation) {
          if (e.rotation.status !== 'ok') rotation[e.rotation.status] += 1;
        } else if (e.origin && e.status !== 'remove' && e.status !== 'local-only') rotation.notRotated += 1;
      }
      if (ctx.json())
        ctx.out(JSON.stringify({ inSync: !drift, counts: p.counts, rotation, hazards, plan: p }, null, 2));
      else {
        ctx.out(await planText(ctx, p));
        ctx.out(drift ? 'Not in sync: run `latchkey sync`.' : 'In sync.');
        ctx.out(
          `Rotation: ${rotation.overdue} overdue, ${rotation.due} due, ${rotation.unknown} unknown` +
            (rotation.notRotated > 0 ? ` (${rotation.notRotated} not rotated: set: and keychain values).` : '.'),
        );
      }
      if (opts.exitCode && drift) ctx.io.exitCode = EXIT.drift;
    },
  );
}
