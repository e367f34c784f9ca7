import type { Command } from 'commander';
import { LatchkeyError } from '../../../core/errors';
import type { CliContext } from '../../context';
import { noteBackups } from './render';

const ROLE_MODE_HELP =
  '\nRole profiles (role_arn + source_profile): the AWS CLI and SDKs assume the role themselves and ignore both a\n' +
  'credentials section and a credential_process line in that profile, so credential-process mode writes a companion\n' +
  'profile, [profile <name>-latchkey], that runs `latchkey aws credential-process <name>`. Use that profile in tools.';

export function registerMode(aws: Command, ctx: CliContext): void {
  aws
    .command('mode')
    .description(
      'switch a profile between session mode (temporary keys written to the credentials file) and credential-process mode (no keys on disk)',
    )
    .argument('<profile>')
    .argument('<mode>', 'credential-process or session')
    .option(
      '--companion <name>',
      'for a role profile: the profile that gets the credential_process line (default <profile>-latchkey)',
    )
    .addHelpText('after', ROLE_MODE_HELP)
    .action(async (profile: string, mode: string, opts: { companion?: string }) => {
      if (mode !== 'credential-process' && mode !== 'session')
        throw new LatchkeyError('INVALID_INPUT', `unknown mode ${mode}: use credential-process or session`);
      const result = await ctx.app.aws.setMode(profile, mode, { companion: opts.companion });
      noteBackups(ctx, result.edits);
      const changed = result.edits.map((e) => e.file);
      if (ctx.json()) ctx.out(JSON.stringify({ profile, mode, useProfile: result.useProfile, changed }, null, 2));
      else if (mode === 'credential-process')
        ctx.note(
          `Profile ${result.useProfile} now gets ${profile}'s credentials from \`latchkey aws credential-process ${profile}\`; no keys are written to disk.`,
        );
      else
        ctx.note(`Profile ${result.useProfile} is back in session mode: start one with latchkey aws login ${profile}.`);
    });
}

export function registerSsoLogin(aws: Command, ctx: CliContext): void {
  aws
    .command('sso-login')
    .description(
      'sign in to an SSO profile through the device flow and cache the token where the AWS CLI and SDKs read it',
    )
    .argument('<profile>')
    .option('--no-browser', 'print the URL and code only (always the case on CI)')
    .option('--force', 'sign in again even when a valid token is cached')
    .action(async (profile: string, opts: { browser: boolean; force?: boolean }) => {
      const browser = opts.browser && !process.env.CI;
      const result = await ctx.app.aws.ssoLogin(profile, {
        force: opts.force,
        openBrowser: browser,
        onPrompt: (p) => {
          ctx.note(`To sign in, open ${p.verificationUriComplete ?? p.verificationUri}`);
          ctx.note(
            `and confirm the code ${p.userCode} (valid until ${p.expiresAt}).${browser ? ' Opening your browser…' : ''}`,
          );
        },
      });
      if (ctx.json()) ctx.out(JSON.stringify(result, null, 2));
      else
        ctx.note(
          `SSO ${result.via === 'cached' ? 'token reused' : 'signed in'} for ${profile} until ${result.expiresAt}; the AWS CLI and SDKs read it from ${result.cacheFile}.`,
        );
    });
}

export function registerCredentialProcess(aws: Command, ctx: CliContext): void {
  aws
    .command('credential-process')
    .description('print credentials for the AWS credential_process setting (never prompts)')
    .argument('<profile>')
    .action(async (profile: string) => {
      ctx.out(JSON.stringify(await ctx.app.aws.credentialProcess(profile)));
    });
}
