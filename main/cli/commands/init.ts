import path from 'node:path';
import type { Command } from 'commander';
import type { InitRequest, InitResult } from '../../app';
import { LatchkeyError } from '../../core/errors';
import type { NewSourceDraft } from '../../core/manifest-edit';
import type { CliContext } from '../context';
import { canPrompt, createAsker, type Asker } from '../prompt';

interface InitOptions {
  profile?: string;
  chamber: string[];
  op: string[];
  keychain: string[];
  target?: string;
  region?: string;
  force?: boolean;
  gitignore?: boolean;
}

const DEFAULT_TARGET = '.env';
const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `latchkey init`: a commented latchkey.yml for a new project (issue 12, item 3). On a terminal it asks, listing
 * what the caller can see; with enough flags, or without a terminal, it asks nothing and names a missing flag.
 */
export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('write a commented latchkey.yml here (asks on a terminal; or --profile and --chamber ...)')
    .option('--profile <name>', 'the profile name (e.g. dev)')
    .option('--chamber <service>', 'a chamber service to read (repeatable)', collect, [])
    .option('--op <ref>', 'a 1Password item, op://vault/item (every field), or one field (repeatable)', collect, [])
    .option('--keychain <NAME>', 'a personal secret each developer keeps in their keychain (repeatable)', collect, [])
    .option('--target <file>', `the file the profile writes (default ${DEFAULT_TARGET})`)
    .option('--region <region>', "the AWS region for the manifest's aws: section (the AWS profile: --aws-profile)")
    .option('--force', 'replace a latchkey.yml that is already there')
    .option('--gitignore', 'add the target and latchkey.local.yml to .gitignore (the default without a terminal)')
    .option('--no-gitignore', 'leave .gitignore alone')
    .action(async (opts: InitOptions, command: Command) => {
      const { dir, awsProfile } = command.optsWithGlobals<{ dir?: string; awsProfile?: string }>();
      const folder = path.resolve(process.cwd(), dir ?? '.');
      const force = Boolean(opts.force);
      // Refused before anything is asked: nobody answers questions to be told the file is there.
      await ctx.app.init.checkFolder(folder, force);
      const fromFlags = flagSources(opts);
      const aws = {
        ...(awsProfile !== undefined && { profile: awsProfile }),
        ...(opts.region && { region: opts.region }),
      };
      let request: InitRequest | undefined;
      if ((opts.profile !== undefined && fromFlags.length > 0) || !canPrompt()) {
        if (opts.profile === undefined) throw missingFlag('--profile <name>', 'the profile to create, e.g. dev');
        if (fromFlags.length === 0)
          throw missingFlag('--chamber <service>', 'or --op <ref> or --keychain <NAME>: where the values come from');
        request = {
          folder,
          force,
          gitignore: opts.gitignore ?? true,
          aws,
          profile: { name: opts.profile, target: opts.target ?? DEFAULT_TARGET, sources: fromFlags },
        };
      } else {
        const asker = createAsker();
        try {
          request = await askForInit(ctx, asker, { folder, force, opts, aws });
        } finally {
          asker.close();
        }
        if (!request) {
          ctx.note('Nothing written.');
          return;
        }
      }
      report(ctx, await ctx.app.init.write(request));
    });
}

function flagSources(opts: InitOptions): NewSourceDraft[] {
  return [
    ...opts.chamber.map((service): NewSourceDraft => ({ kind: 'chamber', service })),
    ...opts.op.map(opSource),
    ...opts.keychain.map((name): NewSourceDraft => ({ kind: 'keychain', name })),
  ];
}

/** `op://vault/item` is the whole item (`fields: all`); a longer reference is one field. */
function opSource(ref: string): NewSourceDraft {
  const parts =
    ref
      .replace(/^op:\/\//, '')
      .split('?')[0]
      ?.split('/') ?? [];
  return parts.length === 2 ? { kind: 'op', ref, fields: 'all' } : { kind: 'op', ref };
}

function missingFlag(flag: string, what: string): LatchkeyError {
  return new LatchkeyError(
    'INVALID_INPUT',
    `latchkey init needs ${flag} without a terminal (${what})`,
    'Example: latchkey init --profile dev --chamber web/dev --target .env',
  );
}

interface AskContext {
  folder: string;
  force: boolean;
  opts: InitOptions;
  aws: { profile?: string; region?: string };
}

/** The questions, each prefilled from the flags given; the text to write is shown before the last one. */
async function askForInit(ctx: CliContext, asker: Asker, given: AskContext): Promise<InitRequest | undefined> {
  const { opts } = given;
  const name = opts.profile ?? (await asker.ask('Profile name:', 'dev'));
  const awsProfile = await asker.ask(
    'AWS profile for this project (empty: your default credentials):',
    given.aws.profile ?? process.env.AWS_PROFILE ?? '',
  );
  const aws = {
    ...(awsProfile !== '' && { profile: awsProfile }),
    ...(given.aws.region !== undefined && { region: given.aws.region }),
  };

  const sources: NewSourceDraft[] = [];
  ctx.note('Looking for chamber services...');
  const listing = await ctx.app.init.services(aws);
  const services = 'services' in listing ? listing.services : [];
  if ('problem' in listing) ctx.warn(`cannot list chamber services: ${listing.problem}`);
  else if (services.length === 0) ctx.note('No chamber services are visible with these credentials.');
  else ctx.note(numbered(services.map((s) => `${s.service} (${s.keys} key${s.keys === 1 ? '' : 's'})`)));
  const chosen = await pick(
    asker,
    'Chamber services to read (numbers or names, separated by spaces; empty for none):',
    services.map((s) => s.service),
    opts.chamber,
  );
  for (const service of chosen) sources.push({ kind: 'chamber', service });

  const vaults = await ctx.app.init.vaults();
  if (vaults.configured && 'problem' in vaults) ctx.warn(`cannot list 1Password vaults: ${vaults.problem}`);
  else if (vaults.configured && vaults.vaults.length > 0) {
    ctx.note(`1Password vaults:\n${numbered(vaults.vaults.map((v) => v.name))}`);
    const browse = await pickListed(
      asker,
      'Vaults to pick items from (numbers; empty for none):',
      vaults.vaults.map((v) => v.name),
    );
    for (const index of browse) {
      const vault = vaults.vaults[index]!;
      const items = await ctx.app.init.vaultItems(vault);
      if (items.length === 0) {
        ctx.note(`${vault.name} holds no items this token can see.`);
        continue;
      }
      ctx.note(`Items in ${vault.name}:\n${numbered(items.map((i) => i.title))}`);
      const picked = await pickListed(
        asker,
        `Items of ${vault.name} to read, every field of each (numbers; empty for none):`,
        items.map((i) => i.title),
      );
      for (const i of picked) sources.push({ kind: 'op', ref: items[i]!.ref, fields: 'all' });
    }
  }
  for (const ref of opts.op) sources.push(opSource(ref));

  const personal = splitAnswer(
    await asker.ask(
      'Personal secrets each developer keeps in their own keychain (variable names; empty for none):',
      opts.keychain.join(' '),
    ),
  );
  for (const name of personal) sources.push({ kind: 'keychain', name });
  const target = await asker.ask('Target file:', opts.target ?? DEFAULT_TARGET);
  const gitignore = opts.gitignore ?? (await asker.yesNo(`Add ${target} and latchkey.local.yml to .gitignore?`, true));

  const request: InitRequest = {
    folder: given.folder,
    force: given.force,
    gitignore,
    aws,
    profile: { name, target, sources },
  };
  const preview = await ctx.app.init.preview(request);
  ctx.note(`\n${preview.file}:\n\n${preview.text}`);
  if (preview.ignore.length > 0) ctx.note(`and in .gitignore: ${preview.ignore.join(', ')}\n`);
  const write = await asker.yesNo(`${preview.replaces ? 'Replace' : 'Write'} ${preview.file}?`, true);
  return write ? request : undefined;
}

const numbered = (labels: string[]) => labels.map((label, i) => `  ${String(i + 1).padStart(2)}) ${label}`).join('\n');

const splitAnswer = (answer: string) => answer.split(/[\s,]+/).filter((word) => word !== '');

/** Numbers pick from `listed`; other words are names as typed (a service the caller cannot list may still exist). */
async function pick(asker: Asker, question: string, listed: string[], prefill: string[]): Promise<string[]> {
  for (;;) {
    const words = splitAnswer(await asker.ask(question, prefill.join(' ')));
    const out = numberProblems(words, listed.length);
    if (out) {
      asker.say(out);
      continue;
    }
    return [...new Set(words.map((w) => (/^\d+$/.test(w) ? listed[Number(w) - 1]! : w)))];
  }
}

/** Numbers only: the indexes of what was picked from `listed`. */
async function pickListed(asker: Asker, question: string, listed: string[]): Promise<number[]> {
  for (;;) {
    const words = splitAnswer(await asker.ask(question));
    const problem =
      numberProblems(words, listed.length) ??
      (words.some((w) => !/^\d+$/.test(w)) ? `answer with the numbers shown (1 to ${listed.length})` : undefined);
    if (problem) {
      asker.say(problem);
      continue;
    }
    return [...new Set(words.map((w) => Number(w) - 1))];
  }
}

function numberProblems(words: string[], count: number): string | undefined {
  const bad = words.find((w) => /^\d+$/.test(w) && (Number(w) < 1 || Number(w) > count));
  return bad === undefined ? undefined : `there is no number ${bad} in the list (1 to ${count})`;
}

function report(ctx: CliContext, result: InitResult): void {
  if (ctx.json()) {
    ctx.out(JSON.stringify(result, null, 2));
    return;
  }
  ctx.note(`Wrote ${result.file} (profile ${result.profile}).`);
  for (const { entry, result: edit, problem } of result.gitignore) {
    if (problem) ctx.warn(`${entry} was not added to .gitignore: ${problem}`);
    else if (edit?.added) ctx.note(`Added ${entry} to ${edit.gitignore}.`);
    else if (edit) ctx.note(`${edit.gitignore} lists ${entry} already.`);
    if (edit?.advice) ctx.warn(edit.advice);
  }
  ctx.note(`Next: latchkey plan ${result.profile}, then latchkey sync ${result.profile}.`);
}
