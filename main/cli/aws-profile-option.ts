import type { Command } from 'commander';

/**
 * `--aws-profile NAME`: the first row of the credential precedence (main/core/aws-credentials.ts), the same as
 * LATCHKEY_AWS_PROFILE. It is put into the environment because that is where the precedence, and the AWS SDK's
 * own providers under it, read; a command run by `exec` then sees the same choice.
 */
export function addAwsProfileOption(program: Command): void {
  program
    .option(
      '--aws-profile <name>',
      'the AWS profile to use, over AWS_PROFILE and the manifest (or LATCHKEY_AWS_PROFILE)',
    )
    .hook('preAction', () => {
      const name = program.opts<{ awsProfile?: string }>().awsProfile;
      if (name !== undefined) process.env.LATCHKEY_AWS_PROFILE = name;
    });
}
