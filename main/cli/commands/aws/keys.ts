import type { Command } from 'commander';
import { LatchkeyError } from '../../../core/errors';
import type { CliContext } from '../../context';
import { readKeys } from './read-keys';

export function registerAddKeys(aws: Command, ctx: CliContext): void {
  aws
    .command('add-keys')
    .description(
      'store IAM user keys for a profile in the OS keychain (access key id and secret from stdin, two lines; asked without echo on a terminal)',
    )
    .argument('<profile>')
    .option('--no-verify', 'store without checking the keys with STS GetCallerIdentity first')
    .action(async (profile: string, opts: { verify: boolean }) => {
      const added = await ctx.app.aws.addKeys(profile, await readKeys(), { verify: opts.verify });
      if (ctx.json()) ctx.out(JSON.stringify(added, null, 2));
      else
        ctx.note(
          `Stored ${added.keyId} for ${profile} in the OS keychain${added.arn ? ` (verified: ${added.arn})` : ' (not verified)'}.`,
        );
    });
}

export function registerDeleteKeys(aws: Command, ctx: CliContext): void {
  aws
    .command('delete-keys')
    .description("forget a profile's IAM user keys in the OS keychain (the key stays valid in IAM)")
    .argument('<profile>')
    .option('-y, --yes', 'delete without asking (required)')
    .action(async (profile: string, opts: { yes?: boolean }) => {
      requireYes(
        opts.yes,
        `deleting the keychain copy of ${profile}'s keys cannot be undone by Latchkey`,
        `latchkey aws delete-keys ${profile} --yes`,
      );
      const deleted = await ctx.app.aws.deleteKeys(profile);
      if (ctx.json()) ctx.out(JSON.stringify({ profile, deleted }, null, 2));
      else
        ctx.note(
          deleted
            ? `Deleted ${profile}'s keys from the OS keychain; IAM was not touched.`
            : `The keychain held no keys for ${profile}.`,
        );
    });
}

export function registerImport(aws: Command, ctx: CliContext): void {
  aws
    .command('import')
    .description("move a profile's IAM user keys from the credentials file into the OS keychain")
    .argument('<profile>')
    .option('--remove-plaintext', 'remove the keys from the credentials file once the keychain holds them')
    .action(async (profile: string, opts: { removePlaintext?: boolean }) => {
      const result = await ctx.app.aws.importKeys(profile, { removePlaintext: opts.removePlaintext });
      if (result.backup)
        ctx.note(
          `First edit of the credentials file by Latchkey: kept a one-time backup at ${result.backup} (0600), without the removed keys.`,
        );
      if (result.scrubbedBackup)
        ctx.note("Removed the keys from Latchkey's earlier backup of the credentials file too.");
      if (ctx.json()) ctx.out(JSON.stringify(result, null, 2));
      else
        ctx.note(
          `Stored the keys of ${profile} in the OS keychain${result.removedPlaintext ? ' and removed them from the credentials file' : '; the credentials file still holds them (add --remove-plaintext)'}.`,
        );
    });
}

export function registerRotateKey(aws: Command, ctx: CliContext): void {
  aws
    .command('rotate-key')
    .description("rotate the profile's own IAM access key held in the keychain")
    .argument('<profile>')
    .option('-y, --yes', 'rotate without asking (required)')
    .action(async (profile: string, opts: { yes?: boolean }) => {
      requireYes(opts.yes, 'rotating a key deletes the old one in IAM', `latchkey aws rotate-key ${profile} --yes`);
      const result = await ctx.app.aws.rotateKey(profile);
      if (ctx.json()) ctx.out(JSON.stringify(result, null, 2));
      else ctx.note(`Rotated ${profile}: ${result.oldKey} deleted, ${result.newKey} in the keychain.`);
    });
}

/** What cannot be undone runs only with --yes; the error says why, and the command that would do it. */
function requireYes(yes: boolean | undefined, why: string, command: string): void {
  if (!yes) throw new LatchkeyError('INVALID_INPUT', `${why}; confirm with --yes`, command);
}
