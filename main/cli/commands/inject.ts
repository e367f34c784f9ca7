import type { Command } from 'commander';
import { LatchkeyError } from '../../core/errors';
import type { CliContext } from '../context';
import { ensurePersonalSecrets } from '../personal-secrets';
import { withProgress } from '../progress';
import { addTimeoutOption, deadlineFrom, type TimeoutOptions } from '../timeout-option';

interface InjectOptions extends TimeoutOptions {
  in: string;
  out: string;
  reveal?: boolean;
}

export function registerInject(program: Command, ctx: CliContext): void {
  const command = program
    .command('inject')
    .description('render a template whose {{ op://… }}, {{ chamber:… }}, {{ ssm:… }} and {{ env:… }} are resolved')
    .argument('[profile]', 'the profile for env: references and AWS settings (optional with one profile)')
    .requiredOption('-i, --in <template>', 'the template file')
    .requiredOption('-o, --out <file>', 'the file to write (0600, inside the project), or - for stdout')
    .option('--reveal', 'allow printing the result to a terminal (with -o -)');
  addTimeoutOption(command).action(async (profileName: string | undefined, opts: InjectOptions) => {
    if (opts.out === '-' && ctx.io.stdout.isTTY && !opts.reveal) {
      throw new LatchkeyError(
        'INVALID_INPUT',
        'refusing to print secret values to a terminal',
        'Pipe or redirect the output, write a file with -o, or add --reveal.',
      );
    }
    if (profileName !== undefined) await ensurePersonalSecrets(ctx, profileName);
    const result = await withProgress(ctx.io.stderr, ctx.warn, (report) =>
      ctx.app.values.inject({
        project: ctx.project(),
        profile: profileName,
        template: opts.in,
        output: opts.out,
        ...deadlineFrom(opts),
        ...report,
      }),
    );
    if (result.text !== undefined) ctx.io.stdout.write(result.text);
    else ctx.note(`Wrote ${result.wrote} (0600), ${result.references} reference${result.references === 1 ? '' : 's'}.`);
  });
}
