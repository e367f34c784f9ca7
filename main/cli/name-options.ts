import { Option, type Command } from 'commander';
import type { NameCase, NameTransform } from '../app';
// From the core, not the app: the app (and the SDKs below it) load only when a command runs (cli/index.ts).
import { NAME_CASES } from '../core/name-cases';

export interface NameOptions {
  prefix?: string;
  case?: NameCase;
}

/** `--prefix` and `--case`, shared by exec, export and inject. */
export function addNameOptions(command: Command): Command {
  return command
    .option('--prefix <text>', 'put this in front of every variable name, e.g. TF_VAR_')
    .addOption(
      new Option('--case <case>', "change the names' case before the prefix is added")
        .choices(NAME_CASES)
        .default('keep'),
    );
}

export function nameTransform(opts: NameOptions): NameTransform {
  return { ...(opts.prefix !== undefined && { prefix: opts.prefix }), ...(opts.case && { case: opts.case }) };
}
