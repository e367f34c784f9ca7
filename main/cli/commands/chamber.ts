import type { Command } from 'commander';
import type { ChamberHistoryEntry, ChamberKey, ImportOutcome } from '../../app';
import { LatchkeyError } from '../../core/errors';
import type { CliContext } from '../context';
import { renderTable, tableWidth, useColor, type TableLayout } from '../output';
import { canPrompt, confirm, promptSecret } from '../prompt';
import { readStdin, stripOneNewline } from '../stdin';

/** `latchkey chamber …`: chamber's verbs, each a thin adapter over main/app/chamber.ts. */
export function registerChamber(program: Command, ctx: CliContext): void {
  const chamber = program
    .command('chamber')
    .description('shared secrets in AWS SSM, read and written exactly as chamber does (every verb takes --json)');
  const scope = () => ({ project: ctx.project() });
  const print = (json: unknown, text: () => string) => ctx.out(ctx.json() ? JSON.stringify(json, null, 2) : text());
  const color = () => useColor(ctx.io.stdout);
  const width = () => tableWidth(ctx.io.stdout);

  chamber
    .command('list-services')
    .description('the services (parameter folders) this identity can see')
    .argument('[prefix]', 'only services starting with this')
    .action(async (prefix: string | undefined) => {
      const services = await ctx.app.chamber.listServices({ ...scope(), prefix });
      print({ services }, () =>
        renderTable(
          services.map((s) => [s.service, String(s.keys)]),
          ['SERVICE', 'KEYS'],
          color(),
          { width: width(), cutFirst: [0] },
        ),
      );
    });

  chamber
    .command('list')
    .description("a service's keys: version, last modified and by whom (no values)")
    .argument('<service>')
    .action(async (service: string) => {
      const keys = await ctx.app.chamber.list({ ...scope(), service });
      print({ service: service.toLowerCase(), keys }, () => keysTable(keys, false, color(), width()));
    });

  chamber
    .command('find')
    .description(
      'keys matching a glob in every service this identity can see (`*`, `?`, `**`; a `/` matches service/key)',
    )
    .argument('<pattern>')
    .action(async (pattern: string) => {
      const keys = await ctx.app.chamber.find({ ...scope(), pattern });
      print({ pattern, keys }, () => (keys.length ? keysTable(keys, true, color(), width()) : 'No key matches.'));
    });

  chamber
    .command('history')
    .description("a key's versions: dates, users and labels (no values)")
    .argument('<service>')
    .argument('<key>')
    .action(async (service: string, key: string) => {
      const history = await ctx.app.chamber.history({ ...scope(), service, key });
      print({ service: service.toLowerCase(), key: key.toLowerCase(), history }, () =>
        historyTable(history, color(), width()),
      );
    });

  chamber
    .command('read')
    .description('print one value (audited; refuses a terminal without --reveal)')
    .argument('<service>')
    .argument('<key>')
    .option('--version <n>', 'an older SSM version (see history)', positiveInt)
    .option('--reveal', 'print the value on a terminal')
    .action(async (service: string, key: string, opts: { version?: number; reveal?: boolean }) => {
      refuseTerminal(ctx, opts.reveal);
      const read = await ctx.app.chamber.read({ ...scope(), service, key, version: opts.version });
      if (ctx.json()) ctx.out(JSON.stringify(read, null, 2));
      else ctx.io.stdout.write(`${read.value}\n`);
    });

  chamber
    .command('write')
    .description('write one value, read from stdin (asked without echo on a terminal)')
    .argument('<service>')
    .argument('<key>')
    .option(
      '--if-version <n>',
      'write only if the current SSM version is n (0: only if the key does not exist)',
      nonNegativeInt,
    )
    .action(async (service: string, key: string, opts: { ifVersion?: number }) => {
      const value = process.stdin.isTTY
        ? await promptSecret(`${service}/${key}: `)
        : stripOneNewline(await readStdin());
      const written = await ctx.app.chamber.write({ ...scope(), service, key, value, ifVersion: opts.ifVersion });
      if (ctx.json()) ctx.out(JSON.stringify(written, null, 2));
      else
        ctx.note(
          `Wrote ${written.service}/${written.key}: version ${written.version}` +
            (written.previousVersion !== undefined ? ` (was ${written.previousVersion})` : ' (new)') +
            `, chamber version ${written.chamberVersion}.`,
        );
    });

  chamber
    .command('delete')
    .description('delete a key and all its versions (asks first, or --yes)')
    .argument('<service>')
    .argument('<key>')
    .option('-y, --yes', 'delete without asking')
    .action(async (service: string, key: string, opts: { yes?: boolean }) => {
      await confirmOrRefuse(
        opts.yes,
        `Delete ${service}/${key} and every version of it?`,
        `latchkey chamber delete ${service} ${key} --yes`,
      );
      const deleted = await ctx.app.chamber.delete({ ...scope(), service, key });
      if (ctx.json()) ctx.out(JSON.stringify(deleted, null, 2));
      else ctx.note(`Deleted ${deleted.service}/${deleted.key}.`);
    });

  chamber
    .command('import')
    .description('plan the import of a .env or JSON file into a service; writes only with --yes')
    .argument('<service>')
    .argument('<file>')
    .option('-y, --yes', 'write the adds and changes')
    .action(async (service: string, file: string, opts: { yes?: boolean }) => {
      const outcome = await ctx.app.chamber.import({
        ...scope(),
        service,
        file,
        cwd: process.cwd(),
        write: Boolean(opts.yes),
      });
      print(outcome, () => importText(outcome, color(), width()));
      if (!opts.yes && outcome.plan.items.some((i) => i.status !== 'unchanged'))
        ctx.note(`Nothing written. To write it: latchkey chamber import ${service} ${file} --yes`);
    });
}

function keysTable(keys: ChamberKey[], withService: boolean, color: boolean, width: TableLayout['width']): string {
  const rows = keys.map((k) => [
    ...(withService ? [k.service] : []),
    k.key,
    String(k.version),
    k.chamberVersion ? String(k.chamberVersion) : '-',
    k.lastModified ?? '',
    k.lastModifiedUser ?? '',
  ]);
  const header = [...(withService ? ['SERVICE'] : []), 'KEY', 'VERSION', 'CHAMBER', 'MODIFIED', 'BY'];
  // The user (an ARN) and the service are the long ones; the key is what the reader looks for.
  const by = header.length - 1;
  return renderTable(rows, header, color, { width, cutFirst: withService ? [by, 0] : [by] });
}

function historyTable(history: ChamberHistoryEntry[], color: boolean, width: TableLayout['width']): string {
  const rows = history.map((h) => [
    String(h.version),
    h.chamberVersion ? String(h.chamberVersion) : '-',
    h.lastModified ?? '',
    h.lastModifiedUser ?? '',
    h.labels.join(', '),
  ]);
  return renderTable(rows, ['VERSION', 'CHAMBER', 'MODIFIED', 'BY', 'LABELS'], color, { width, cutFirst: [3, 4] });
}

const SYMBOL = { add: '+', change: '~', unchanged: '=' } as const;

function importText(outcome: ImportOutcome, color: boolean, width: TableLayout['width']): string {
  const rows = outcome.plan.items.map((i) => [
    `${SYMBOL[i.status]} ${i.status}`,
    i.key,
    i.renamedFrom !== undefined ? `renamed from ${i.renamedFrom}` : '',
    outcome.written[i.key] !== undefined ? `written as version ${outcome.written[i.key]}` : '',
  ]);
  return renderTable(rows, ['STATUS', 'KEY', 'NAME', 'RESULT'], color, { width, cutFirst: [2, 3] });
}

function refuseTerminal(ctx: CliContext, reveal: boolean | undefined): void {
  if (ctx.io.stdout.isTTY && !reveal)
    throw new LatchkeyError(
      'INVALID_INPUT',
      'refusing to print a secret value to a terminal',
      'Pipe or redirect the output, or add --reveal.',
    );
}

/** `--yes`, or a yes on a terminal; without a terminal, a refusal that says what to run (never a hidden prompt). */
export async function confirmOrRefuse(yes: boolean | undefined, question: string, command: string): Promise<void> {
  if (yes) return;
  if (!canPrompt()) throw new LatchkeyError('INVALID_INPUT', `${question} Confirm with --yes`, command);
  if (!(await confirm(question))) throw new LatchkeyError('CANCELLED', 'cancelled; nothing was changed');
}

function positiveInt(text: string): number {
  const n = nonNegativeInt(text);
  if (n === 0) throw new LatchkeyError('INVALID_INPUT', 'expected a version of 1 or more');
  return n;
}

function nonNegativeInt(text: string): number {
  if (!/^\d+$/.test(text))
    throw new LatchkeyError('INVALID_INPUT', `expected a whole number, not ${JSON.stringify(text)}`);
  return Number(text);
}
