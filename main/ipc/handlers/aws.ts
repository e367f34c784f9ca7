import type { Handlers } from '../types';
import { idTail, keyView } from '../views';
import type { HandlerContext } from './context';

type AwsHandlers = Pick<
  Handlers,
  'aws.list' | 'aws.keys' | 'aws.login' | 'aws.logout' | 'aws.useDefault' | 'aws.import' | 'aws.rotateKey'
>;

/**
 * The AWS view: every profile and its session, a profile's access keys, sessions started and stopped, the default
 * profile, keys moved into the keychain and rotated. No credential crosses: profiles, expiries and the last four
 * characters of key ids only.
 */
export function awsHandlers({ app, state }: HandlerContext): AwsHandlers {
  /** After a change to keys, whatever its outcome: the state follows the files, not what the call hoped for. */
  const settled = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } finally {
      await state.refresh().catch(() => undefined);
    }
  };
  return {
    async 'aws.list'() {
      return { profiles: await state.refresh() };
    },
    async 'aws.keys'({ profile }) {
      return { keys: (await app.aws.keys(profile)).map(keyView) };
    },
    async 'aws.login'({ profile, mfaCode, asDefault }) {
      const started = await app.aws.login({ profile, mfaCode, asDefault });
      return { expiresAt: started.expiration };
    },
    async 'aws.logout'({ profile }) {
      await app.aws.logout(profile);
      return {};
    },
    async 'aws.useDefault'({ profile, mfaCode }) {
      const started = await app.aws.useAsDefault({ profile, mfaCode });
      return { expiresAt: started.expiration };
    },
    async 'aws.import'({ profile, removePlaintext }) {
      const result = await settled(() => app.aws.importKeys(profile, { removePlaintext }));
      return { removedPlaintext: result.removedPlaintext, ...(result.backup && { backup: result.backup }) };
    },
    /** Its errors say what IAM holds; the rotation is audited on success and on failure. */
    async 'aws.rotateKey'({ profile }) {
      const result = await settled(() => app.aws.rotateKey(profile));
      return {
        newKeyIdTail: idTail(result.newKey),
        deletedKeyIdTail: idTail(result.oldKey),
        detail: `The new key ${result.newKey} works and is in the keychain; the old key ${result.oldKey} is deleted in IAM.`,
      };
    },
  };
}
