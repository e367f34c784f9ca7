import type { Command } from 'commander';
import type { CliContext } from '../../context';
import { renderTable, tableWidth, useColor } from '../../output';
import { keyRow, profileRow } from './render';

export function registerAwsList(aws: Command, ctx: CliContext): void {
  aws
    .command('list')
    .description('list every AWS profile with its kind and session status')
    .option(
      '--keys',
      "also show each IAM user profile's access keys: age, rotation status (90-day policy) and last use",
    )
    .option('--max-age-days <days>', 'the rotation policy for --keys', (v) => Number.parseInt(v, 10))
    .action(async (opts: { keys?: boolean; maxAgeDays?: number }) => {
      const profiles = await ctx.app.aws.list({ withKeys: opts.keys, maxAgeDays: opts.maxAgeDays });
      if (ctx.json()) return ctx.out(JSON.stringify({ profiles }, null, 2));
      const color = useColor(ctx.io.stdout);
      const width = tableWidth(ctx.io.stdout);
      const header = ['PROFILE', 'KIND', 'REGION', 'MFA', 'SESSION'];
      ctx.out(
        profiles.length
          ? renderTable(profiles.map(profileRow), header, color, { width, cutFirst: [4, 0] })
          : 'No AWS profiles found.',
      );
      if (!opts.keys) return;
      const rows = profiles.flatMap((p) =>
        p.keysError ? [[p.name, '-', 'error', '-', '-', p.keysError]] : (p.keys ?? []).map((k) => keyRow(p.name, k)),
      );
      if (rows.length)
        ctx.out(
          `\n${renderTable(rows, ['PROFILE', 'KEY', 'STATUS', 'AGE', 'ROTATION', 'LAST USED'], color, {
            width,
            cutFirst: [5, 0],
          })}`,
        );
    });
}
