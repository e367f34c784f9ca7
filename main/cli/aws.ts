import type { Command } from 'commander';
import { credentialProcessOutput } from '../aws/credential-process';
import type { AwsFileEdit } from '../aws/files';
import { listAwsProfiles, readAwsProfiles, type AwsProfileInfo } from '../aws/profiles';
import { rotateAccessKey } from '../aws/rotate';
import { startSession, stopSession, useAsDefault } from '../aws/sessions';
import { addVaultKeys, describeAccessKeys, removeVaultKeys, type AccessKeyInfo } from '../aws/keys';
import { setProfileMode, type AwsProfileMode } from '../aws/mode';
import { ssoLogin, systemBrowserOpener } from '../aws/sso';
import { importFromCredentialsFile } from '../aws/vault';
import { appendAuditEvent } from '../core/audit';
import { LatchkeyError } from '../core/errors';
import type { Runtime } from '../app/runtime';
import { renderTable, useColor } from './output';
import type { CliIo } from './program';
import { canPrompt, promptSecret } from './prompt';

/** `latchkey aws …`: AWS profiles, keychain-held keys, sessions and key rotation. */
export function registerAwsCommands(program: Command, runtime: Runtime, io: CliIo): void {
  const json = () => Boolean(program.opts<{ json?: boolean }>().json);
  const out = (text: string) => io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  const note = (text: string) => io.stderr.write(`${text}\n`);
  const noteBackups = (edits: AwsFileEdit[]) => {
    for (const e of edits)
      if (e.backup) note(`First edit of ${e.file} by Latchkey: kept a one-time backup at ${e.backup} (0600).`);
  };

  const aws = program.command('aws').description('AWS profiles, keychain-held keys, sessions and key rotation');

  aws
    .command('list')
    .description('list every AWS profile with its kind and session status')
    .option(
      '--keys',
      "also show each IAM user profile's access keys: age, rotation status (90-day policy) and last use",
    )
    .option('--max-age-days <days>', 'the rotation policy for --keys', (v) => Number.parseInt(v, 10))
    .action(async (opts: { keys?: boolean; maxAgeDays?: number }) => {
      const profiles: (AwsProfileInfo & { keys?: AccessKeyInfo[]; keysError?: string })[] = await listAwsProfiles(
        runtime.keychain,
      );
      if (opts.keys) {
        for (const p of profiles) {
          if (p.kind !== 'keychain-keys' && p.kind !== 'file-keys') continue;
          try {
            p.keys = await describeAccessKeys(p.name, {
              keychain: runtime.keychain,
              ...(p.region && { region: p.region }),
              ...(opts.maxAgeDays && { maxAgeDays: opts.maxAgeDays }),
            });
          } catch (error) {
            p.keysError = error instanceof LatchkeyError ? error.message : 'unexpected error';
          }
        }
      }
      if (json()) {
        out(JSON.stringify({ profiles }, null, 2));
        return;
      }
      const color = useColor(io.stdout);
      out(
        profiles.length
          ? renderTable(profiles.map(profileRow), ['PROFILE', 'KIND', 'REGION', 'MFA', 'SESSION'], color)
          : 'No AWS profiles found.',
      );
      if (opts.keys) {
        const rows = profiles.flatMap((p) =>
          p.keysError ? [[p.name, '-', 'error', '-', '-', p.keysError]] : (p.keys ?? []).map((k) => keyRow(p.name, k)),
        );
        if (rows.length)
          out(`\n${renderTable(rows, ['PROFILE', 'KEY', 'STATUS', 'AGE', 'ROTATION', 'LAST USED'], color)}`);
      }
    });

  aws
    .command('add-keys')
    .description(
      'store IAM user keys for a profile in the OS keychain (access key id and secret from stdin, two lines; asked without echo on a terminal)',
    )
    .argument('<profile>')
    .option('--no-verify', 'store without checking the keys with STS GetCallerIdentity first')
    .action(async (profile: string, opts: { verify: boolean }) => {
      const keys = await readKeys();
      const added = await addVaultKeys(profile, keys, {
        keychain: runtime.keychain,
        verify: opts.verify,
        appDir: runtime.appDir,
      });
      if (json()) out(JSON.stringify(added, null, 2));
      else
        note(
          `Stored ${added.keyId} for ${profile} in the OS keychain${added.arn ? ` (verified: ${added.arn})` : ' (not verified)'}.`,
        );
    });

  aws
    .command('delete-keys')
    .description("forget a profile's IAM user keys in the OS keychain (the key stays valid in IAM)")
    .argument('<profile>')
    .option('-y, --yes', 'delete without asking (required)')
    .action(async (profile: string, opts: { yes?: boolean }) => {
      if (!opts.yes)
        throw new LatchkeyError(
          'INVALID_INPUT',
          `deleting the keychain copy of ${profile}'s keys cannot be undone by Latchkey; confirm with --yes`,
          `latchkey aws delete-keys ${profile} --yes`,
        );
      const deleted = await removeVaultKeys(profile, { keychain: runtime.keychain });
      if (deleted)
        await appendAuditEvent(runtime.appDir, {
          action: 'key.delete',
          profile,
          outcome: 'ok',
          detail: 'keychain copy only; IAM untouched',
        });
      if (json()) out(JSON.stringify({ profile, deleted }, null, 2));
      else
        note(
          deleted
            ? `Deleted ${profile}'s keys from the OS keychain; IAM was not touched.`
            : `The keychain held no keys for ${profile}.`,
        );
    });

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
    .addHelpText(
      'after',
      '\nRole profiles (role_arn + source_profile): the AWS CLI and SDKs assume the role themselves and ignore both a\n' +
        'credentials section and a credential_process line in that profile, so credential-process mode writes a companion\n' +
        'profile, [profile <name>-latchkey], that runs `latchkey aws credential-process <name>`. Use that profile in tools.',
    )
    .action(async (profile: string, mode: string, opts: { companion?: string }) => {
      if (mode !== 'credential-process' && mode !== 'session')
        throw new LatchkeyError('INVALID_INPUT', `unknown mode ${mode}: use credential-process or session`);
      const result = await setProfileMode(profile, mode as AwsProfileMode, {
        ...(opts.companion && { companion: opts.companion }),
      });
      noteBackups(result.edits);
      if (json())
        out(
          JSON.stringify(
            { profile, mode, useProfile: result.useProfile, changed: result.edits.map((e) => e.file) },
            null,
            2,
          ),
        );
      else if (mode === 'credential-process')
        note(
          `Profile ${result.useProfile} now gets ${profile}'s credentials from \`latchkey aws credential-process ${profile}\`; no keys are written to disk.`,
        );
      else note(`Profile ${result.useProfile} is back in session mode: start one with latchkey aws login ${profile}.`);
    });

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
      const result = await ssoLogin(profile, {
        keychain: runtime.keychain,
        appDir: runtime.appDir,
        force: opts.force,
        onPrompt: (p) => {
          note(`To sign in, open ${p.verificationUriComplete ?? p.verificationUri}`);
          note(
            `and confirm the code ${p.userCode} (valid until ${p.expiresAt}).${browser ? ' Opening your browser…' : ''}`,
          );
        },
        ...(browser && { openBrowser: systemBrowserOpener() }),
      });
      if (json()) out(JSON.stringify(result, null, 2));
      else
        note(
          `SSO ${result.via === 'cached' ? 'token reused' : 'signed in'} for ${profile} until ${result.expiresAt}; the AWS CLI and SDKs read it from ${result.cacheFile}.`,
        );
    });

  aws
    .command('import')
    .description("move a profile's IAM user keys from the credentials file into the OS keychain")
    .argument('<profile>')
    .option('--remove-plaintext', 'remove the keys from the credentials file once the keychain holds them')
    .action(async (profile: string, opts: { removePlaintext?: boolean }) => {
      const result = await importFromCredentialsFile(runtime.keychain, profile, {
        removePlaintext: opts.removePlaintext,
        appDir: runtime.appDir,
      });
      if (result.backup)
        note(
          `First edit of the credentials file by Latchkey: kept a one-time backup at ${result.backup} (0600), without the removed keys.`,
        );
      if (result.scrubbedBackup) note("Removed the keys from Latchkey's earlier backup of the credentials file too.");
      if (json()) out(JSON.stringify(result, null, 2));
      else
        note(
          `Stored the keys of ${profile} in the OS keychain${result.removedPlaintext ? ' and removed them from the credentials file' : '; the credentials file still holds them (add --remove-plaintext)'}.`,
        );
    });

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
      const started = await startSession(profile, {
        keychain: runtime.keychain,
        appDir: runtime.appDir,
        asDefault: opts.default,
        ...(opts.mfaCode && { mfaCode: opts.mfaCode }),
        ...(opts.duration && { durationSeconds: opts.duration }),
      });
      noteBackups(started.edits);
      if (json()) out(JSON.stringify({ profile, expiration: started.expiration, via: started.via }, null, 2));
      else
        note(
          `Session for ${profile} ${started.via === 'cached' ? 'reused' : 'started'}; it expires ${started.expiration}.${opts.default ? ' [default] uses it too.' : ''}`,
        );
      // The AWS CLI and SDKs assume a role_arn profile's role themselves, ignoring the keys in its credentials section.
      if (started.via === 'assume-role' || (await isRoleProfile(profile))) {
        note(
          `Note: ${profile} has role_arn, so the AWS CLI and SDKs ignore the session written for it. Use --default, or switch to credential-process mode: latchkey aws mode ${profile} credential-process`,
        );
      }
    });

  aws
    .command('logout')
    .description("stop a profile's session: remove its temporary keys and forget the cached session")
    .argument('<profile>')
    .action(async (profile: string) => {
      const { removedFrom } = await stopSession(profile, { keychain: runtime.keychain, appDir: runtime.appDir });
      if (json()) out(JSON.stringify({ profile, removedFrom }, null, 2));
      else
        note(
          removedFrom.length
            ? `Removed the session from [${removedFrom.join('], [')}].`
            : `No session of ${profile} was on disk; the cached one is forgotten.`,
        );
    });

  aws
    .command('use')
    .description("make a profile's session the default ([default] in the credentials file)")
    .argument('<profile>')
    .option('--mfa-code <code>', 'the current MFA code, when a new session is needed')
    .action(async (profile: string, opts: { mfaCode?: string }) => {
      const started = await useAsDefault(profile, {
        keychain: runtime.keychain,
        appDir: runtime.appDir,
        ...(opts.mfaCode && { mfaCode: opts.mfaCode }),
      });
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
      if (!opts.yes)
        throw new LatchkeyError(
          'INVALID_INPUT',
          'rotating a key deletes the old one in IAM; confirm with --yes',
          `latchkey aws rotate-key ${profile} --yes`,
        );
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

async function isRoleProfile(profile: string): Promise<boolean> {
  const files = await readAwsProfiles();
  return Boolean(files.config.get(profile)?.role_arn ?? files.credentials.get(profile)?.role_arn);
}

/** Two lines on stdin (id, then secret), or two no-echo prompts on a terminal; never a value in an error. */
async function readKeys(): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  if (process.stdin.isTTY) {
    if (!canPrompt())
      throw new LatchkeyError(
        'NEEDS_INPUT',
        'no terminal to ask for the keys on',
        'Pipe the access key id and the secret as two lines on stdin',
      );
    const accessKeyId = (await promptSecret('Access key id: ')).trim();
    const secretAccessKey = (await promptSecret('Secret access key: ')).trim();
    return { accessKeyId, secretAccessKey };
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const lines = Buffer.concat(chunks)
    .toString('utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length !== 2)
    throw new LatchkeyError(
      'INVALID_INPUT',
      `expected two lines on stdin (access key id, then secret access key), got ${lines.length}`,
    );
  return { accessKeyId: lines[0] as string, secretAccessKey: lines[1] as string };
}

function keyRow(profile: string, k: AccessKeyInfo): string[] {
  const used = k.lastUsed?.date
    ? `${k.lastUsed.date.slice(0, 10)}${k.lastUsed.service ? ` ${k.lastUsed.service}` : ''}${k.lastUsed.region ? ` ${k.lastUsed.region}` : ''}`
    : 'never';
  return [
    profile,
    `${k.keyId}${k.current ? ' (this)' : ''}`,
    k.status,
    k.rotation.ageDays === undefined ? '-' : `${k.rotation.ageDays} d`,
    `${k.rotation.status} (${k.rotation.maxAgeDays} d)`,
    used,
  ];
}

function profileRow(p: AwsProfileInfo): string[] {
  const session = p.session.active ? `active until ${p.session.expiration}` : p.session.managed ? 'expired' : '-';
  return [p.name, p.kind, p.region ?? '-', p.mfaSerial ? 'yes' : '-', session];
}
