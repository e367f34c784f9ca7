import type { Command } from 'commander';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';

export function registerAudit(program: Command, ctx: CliContext): void {
  const audit = program.command('audit').description('the audit trail of what Latchkey did');
  audit
    .command('verify')
    .description('check the hash chain: any edit, deletion or truncation is found')
    .action(async () => {
      const result = await ctx.app.audit.verify();
      if (ctx.json()) ctx.out(JSON.stringify(result, null, 2));
      else if (result.ok) ctx.out(`Audit trail intact: ${result.events} events.`);
      else
        ctx.out(
          [
            `Audit trail BROKEN (${result.events} events read):`,
            ...result.problems.map((p) => `  ${p.line ? `line ${p.line}: ` : ''}${p.problem}`),
          ].join('\n'),
        );
      if (!result.ok) ctx.io.exitCode = EXIT.audit;
    });
  audit
    .command('tail')
    .description('show the latest events')
    .option('-n, --lines <n>', 'how many', (v) => Number.parseInt(v, 10), 20)
    .action(async (opts: { lines: number }) => {
      const events = await ctx.app.audit.tail(opts.lines);
      if (ctx.json()) return ctx.out(JSON.stringify(events, null, 2));
      for (const e of events) {
        ctx.out(
          `${e.seq}\t${e.time}\t${e.user}\t${e.action}\t${e.outcome}\t${e.profile ?? ''}\t${(e.keys ?? []).join(',')}${e.detail ? `\t${e.detail}` : ''}`,
        );
      }
    });
}
