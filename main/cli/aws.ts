import type { Command } from 'commander';
import { credentialProcessOutput } from '../aws/credential-process';
import type { AwsFileEdit } from '../aws/files';
import { listAwsProfiles, type AwsProfileInfo } from '../aws/profiles';
import { rotateAccessKey } from '../aws/rotate';
import { startSession, stopSession, useAsDefault } from '../aws/sessions';
import { importFromCredentialsFile } from '../aws/vault';
import { LatchkeyError } from '../core/errors';
import type { Runtime } from '../runtime';
import { renderTable, useColor } from './output';
import type { CliIo } from './program';

/** `latchkey aws …`: AWS profiles, keychain-held keys, sessions and key rotation. */
export function registerAwsCommands(program: Command, runtime: Runtime, io: CliIo): void {
  const json = () => Boolean(program.opts<{ json?: boolean }>().json);
  const out = (text: string) => io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  const note = (text: string) => io.stderr.write(`${text}\n`);
  const noteBackups = (edits: AwsFileEdit[]) => {
    for (const e of edits) if (e.backup) note(`First edit of ${e.file} by Latchkey: kept a one-time backup at ${e.backup} (0600).`);
  };

  const aws = program.command('aws').description('AWS profiles, keychain-held keys, sessions and key rotation');

  aws
    .command('list')
    .description('list every AWS profile with its kind and session status')
    .action(async () => {
      const profiles = await listAwsProfiles(runtime.keychain);
      if (json()) out(JSON.stringify({ profiles }, null, 2));
      else out(profiles.length ? renderTable(profiles.map(profileRow), ['PROFILE', 'KIND', 'REGION', 'MFA', 'SESSION'], useColor(io.stdout)) : 'No AWS profiles found.');
    });

  aws
    .command('import')
    .description("move a profile's IAM user keys from the credentials file into the OS keychain")
    .argument('<profile>')
    .option('--remove-plaintext', 'remove the keys from the credentials file once the keychain holds them')
    .action(async (profile: string, opts: { removePlaintext?: boolean }) => {
      const result = await importFromCredentialsFile(runtime.keychain, profile, { removePlaintext: opts.removePlaintext, appDir: runtime.appDir });
      if (result.backup) note(`First edit of the credentials file by Latchkey: kept a one-time backup at ${result.backup} (0600), without the removed keys.`);
      if (result.scrubbedBackup) note("Removed the keys from Latchkey's earlier backup of the credentials file too.");
      if (json()) out(JSON.stringify(result, null, 2));
      else note(`Stored the keys of ${profile} in the OS keychain${result.removedPlaintext ? ' and removed them from the credentials file' : '; the credentials file still holds them (add --remove-plaintext)'}.`);
    });

  aws
    .command('login')
    .description('start a session (GetSessionToken or AssumeRole) and write it into the profile')
    .argument('<profile>')
    .option('--mfa-code <code>', 'the current code of the MFA device named by mfa_serial')
    .option('--default', 'also write the session into [default]')
    .option('--duration <seconds>', 'session length in seconds', (v) => Number.parseInt(v, 10))
    .action(async (profile: string, opts: { mfaCode?: string; default?: boolean; duration?: number }) => {
      const started = await startSession(profile, {
        keychain: runtime.keychain,
        appDir: runtime.appDir,
        asDefault: opts.default,
        ...(opts.mfaCode && { mfaCode: opts.mfaCode }),
        ...(opts.duration && { durationSeconds: opts.duration }),
      });
      noteBackups(started.edits);
      if (json()) out(JSON.stringify({ profile, expiration: started.expiration, via: started.via }, null, 2));
      else note(`Session for ${profile} ${started.via === 'cached' ? 'reused' : 'started'}; it expires ${started.expiration}.${opts.default ? ' [default] uses it too.' : ''}`);
    });

  aws
    .command('logout')
    .description("stop a profile's session: remove its temporary keys and forget the cached session")
    .argument('<profile>')
    .action(async (profile: string) => {
      const { removedFrom } = await stopSession(profile, { keychain: runtime.keychain, appDir: runtime.appDir });
      if (json()) out(JSON.stringify({ profile, removedFrom }, null, 2));
      else note(removedFrom.length ? `Removed the session from [${removedFrom.join('], [')}].` : `No session of ${profile} was on disk; the cached one is forgotten.`);
    });

  aws
    .command('use')
    .description("make a profile's session the default ([default] in the credentials file)")
    .argument('<profile>')
    .option('--mfa-code <code>', 'the current MFA code, when a new session is needed')
    .action(async (profile: string, opts: { mfaCode?: string }) => {
      const started = await useAsDefault(profile, { keychain: runtime.keychain, appDir: runtime.appDir, ...(opts.mfaCode && { mfaCode: opts.mfaCode }) });
      noteBackups(started.edits);
      if (json()) out(JSON.stringify({ profile, expiration: started.expiration }, null, 2));
      else note(`[default] now uses ${profile}'s session until ${started.expiration}.`);
    });

  aws
    .command('rotate-key')
    .description("rotate the profile's own IAM access key held in the keychain")
    .argument('<profile>')
    .option('-y, --yes', 'rotate without asking (required)')
    .action(async (profile: string, opts: { yes?: boolean }) => {
      if (!opts.yes) throw new LatchkeyError('INVALID_INPUT', 'rotating a key deletes the old one in IAM; confirm with --yes', `latchkey aws rotate-key ${profile} --yes`);
      const result = await rotateAccessKey(profile, { keychain: runtime.keychain, appDir: runtime.appDir });
      if (json()) out(JSON.stringify(result, null, 2));
      else note(`Rotated ${profile}: ${result.oldKey} deleted, ${result.newKey} in the keychain.`);
    });

  aws
    .command('credential-process')
    .description('print credentials for the AWS credential_process setting (never prompts)')
    .argument('<profile>')
    .action(async (profile: string) => {
      out(JSON.stringify(await credentialProcessOutput(profile, { keychain: runtime.keychain })));
    });
}

function profileRow(p: AwsProfileInfo): string[] {
  const session = p.session.active ? `active until ${p.session.expiration}` : p.session.managed ? 'expired' : '-';
  return [p.name, p.kind, p.region ?? '-', p.mfaSerial ? 'yes' : '-', session];
}
