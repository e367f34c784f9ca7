import { Option, type Command } from 'commander';
import { EXPORT_FORMATS, type ExportFormat } from '../../app';
import { LatchkeyError } from '../../core/errors';
import type { CliContext } from '../context';
import { ensurePersonalSecrets } from '../personal-secrets';
import { withProgress } from '../progress';

export function registerExport(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description("print the profile's values in a format for another tool (values are revealed)")
    .argument('[profile]', 'profile name (optional when the manifest has one profile)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(EXPORT_FORMATS).default('dotenv'))
    .option('--reveal', 'allow printing values to a terminal')
    .action(async (profileName: string | undefined, opts: { format: ExportFormat; reveal?: boolean }) => {
      if (ctx.io.stdout.isTTY && !opts.reveal) {
        throw new LatchkeyError(
          'INVALID_INPUT',
          'refusing to print secret values to a terminal',
          'Pipe or redirect the output, or add --reveal.',
        );
      }
      await ensurePersonalSecrets(ctx, profileName);
      const text = await withProgress(ctx.io.stderr, ctx.warn, (report) =>
        ctx.app.values.export({ project: ctx.project(), profile: profileName, format: opts.format, ...report }),
      );
      ctx.io.stdout.write(text);
    });
}
