import type { Command } from 'commander';
import type { CliContext } from '../context';

/** `keep` and `unkeep`: which keys of a profile are the user's own (latchkey.local.yml, never committed). */
export function registerKeep(program: Command, ctx: CliContext): void {
  for (const keep of [true, false]) {
    program
      .command(keep ? 'keep' : 'unkeep')
      .description(
        keep
          ? 'keep your own value of a key: never written by a sync, never a conflict (latchkey.local.yml)'
          : 'compare a kept key with its source again',
      )
      .argument('<profile>', 'profile name')
      .argument('<keys...>', 'variable names')
      .action(async (profile: string, keys: string[]) => {
        const use = keep ? ctx.app.sync.keep : ctx.app.sync.unkeep;
        let file = '';
        for (const key of keys) file = (await use({ project: ctx.project(), profile, key })).file;
        if (ctx.json()) ctx.out(JSON.stringify({ file, profile, keys, kept: keep }, null, 2));
        else
          ctx.io.stderr.write(
            `${keep ? 'Keeping' : 'No longer keeping'} ${keys.join(', ')} of ${profile} (${file}).\n`,
          );
      });
  }
}
