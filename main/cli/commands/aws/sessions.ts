import type { Command } from 'commander';
import type { CliContext } from '../../context';
import { noteBackups } from './render';

export function registerLogin(aws: Command, ctx: CliContext): void {
  aws
    .command('login')
    .description('start a session (GetSessionToken or AssumeRole) and write it into the profile')
    .addHelpText(
      'after',
      '\nA role profile (role_arn + source_profile) is assumed by the AWS CLI and SDKs themselves, which ignore keys in its\ncredentials section: use --default, or `latchkey aws mode <profile> credential-process`.',
    )
    .argument('<profile>')
    .option('--mfa-code <code>', 'the current code of the MFA device named by mfa_serial')
    .option('--default', 'also write the session into [default]')
    .option('--duration <seconds>', 'session length in seconds', (v) => Number.parseInt(v, 10))
    .action(async (profile: string, opts: { mfaCode?: string; default?: boolean; duration?: number }) => {
      const started = await ctx.app.aws.login({
        profile,
        mfaCode: opts.mfaCode,
        asDefault: opts.default,
        durationSeconds: opts.duration,
      });
      noteBackups(ctx, started.edits);
      if (ctx.json()) ctx.out(JSON.stringify({ profile, expiration: started.expiration, via: started.via }, null, 2));
      else
        ctx.note(
          `Session for ${profile} ${started.via === 'cached' ? 'reused' : 'started'}; it expires ${started.expiration}.${opts.default ? ' [default] uses it too.' : ''}`,
        );
      // The AWS CLI and SDKs assume a role_arn profile's role themselves, ignoring the keys in its credentials section.
      if (started.via === 'assume-role' || (await ctx.app.aws.isRoleProfile(profile))) {
        ctx.note(
          `Note: ${profile} has role_arn, so the AWS CLI and SDKs ignore the session written for it. Use --default, or switch to credential-process mode: latchkey aws mode ${profile} credential-process`,
        );
      }
    });
}

export function registerLogout(aws: Command, ctx: CliContext): void {
  aws
    .command('logout')
    .description("stop a profile's session: remove its temporary keys and forget the cached session")
    .argument('<profile>')
    .action(async (profile: string) => {
      const { removedFrom } = await ctx.app.aws.logout(profile);
      if (ctx.json()) ctx.out(JSON.stringify({ profile, removedFrom }, null, 2));
      else
        ctx.note(
          removedFrom.length
            ? `Removed the session from [${removedFrom.join('], [')}].`
            : `No session of ${profile} was on disk; the cached one is forgotten.`,
        );
    });
}

export function registerUse(aws: Command, ctx: CliContext): void {
  aws
    .command('use')
    .description("make a profile's session the default ([default] in the credentials file)")
    .argument('<profile>')
    .option('--mfa-code <code>', 'the current MFA code, when a new session is needed')
    .action(async (profile: string, opts: { mfaCode?: string }) => {
      const started = await ctx.app.aws.useAsDefault({ profile, mfaCode: opts.mfaCode });
      noteBackups(ctx, started.edits);
      if (ctx.json()) ctx.out(JSON.stringify({ profile, expiration: started.expiration }, null, 2));
      else ctx.note(`[default] now uses ${profile}'s session until ${started.expiration}.`);
    });
}
