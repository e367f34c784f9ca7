import type { Command } from 'commander';
import type { AuditVerification } from '../../app';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';

export function registerAudit(program: Command, ctx: CliContext): void {
  const audit = program.command('audit').description('the audit trail of what Latchkey did');
  audit
    .command('verify')
    .description('check the hash chain: any edit, deletion or truncation is found')
    .action(async () => {
      const result = await ctx.app.audit.verify();
      const anchor = describeAnchor(result);
      if (ctx.json()) ctx.out(JSON.stringify({ ...result, anchor }, null, 2));
      else {
        const chain = result.problems.filter((p) => p.kind !== 'anchor');
        const anchorProblems = result.problems.filter((p) => p.kind === 'anchor');
        ctx.out(
          [
            result.ok
              ? `Audit trail intact: ${result.events} events.`
              : `Audit trail BROKEN (${result.events} events read):`,
            ...chain.map((p) => `  ${p.line ? `line ${p.line}: ` : ''}${p.problem}`),
            anchor.text,
            ...anchorProblems.map((p) => `  ${p.problem}`),
          ].join('\n'),
        );
      }
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

interface AnchorReport {
  /**
   * vouches: the keychain-sealed anchor agrees with the log up to `seq`; broken: they disagree (the problems with
   * kind "anchor" say how); none: there was nothing to check it against (no keychain here, or no key yet).
   */
  state: 'vouches' | 'broken' | 'none';
  seq?: number;
  /** The same, for people. */
  text: string;
}

/**
 * What the anchor proves, said every time: without it the chain shows edits but not a log that was cut and
 * re-sealed by someone who can write the app-data folder (issue 10, item 19; docs/SECURITY.md).
 */
function describeAnchor(result: AuditVerification): AnchorReport {
  if (result.problems.some((p) => p.kind === 'anchor'))
    return { state: 'broken', text: 'Keychain anchor: DISAGREES with the log:' };
  if (result.anchoredSeq === undefined)
    return {
      state: 'none',
      text: 'Keychain anchor: none to check (no keychain, or no audit key in it); only the hash chain was verified.',
    };
  const after = result.events - result.anchoredSeq;
  return {
    state: 'vouches',
    seq: result.anchoredSeq,
    text:
      after > 0
        ? `Keychain anchor: vouches for events up to ${result.anchoredSeq}; the ${after} after it are not anchored (the keychain was unavailable when they were written).`
        : `Keychain anchor: vouches for all ${result.anchoredSeq} events.`,
  };
}
