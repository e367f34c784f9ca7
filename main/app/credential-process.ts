import { createKeytarKeychain } from '../adapters/keytar-keychain';
import { credentialsAtHand, type ProcessCredentials } from '../aws/credential-process';

/**
 * `latchkey aws credential-process` without the rest of the app: the credentials that need no STS call, read with
 * the OS keychain alone, or undefined (the CLI then runs the full use case, app.aws.credentialProcess). Kept apart
 * from index.ts so that the CLI's bundle loads neither the runtime nor zod for it (issue 12: start-up).
 */
export function credentialProcessAtHand(
  profile: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProcessCredentials | undefined> {
  return credentialsAtHand(profile, { keychain: createKeytarKeychain(), env });
}
