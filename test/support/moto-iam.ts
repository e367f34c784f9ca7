import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startMoto, type MotoServer } from './moto';

/**
 * A moto of its own with auth mode on: the first three calls (an admin user, its allow-all policy, its key) go
 * unchecked, and from then on every request must be signed by a key IAM knows and allows.
 */
export interface AuthMoto {
  moto: MotoServer;
  admin: Keys;
  /** A fresh IAM user allowed everything, with one access key. */
  newUser(name: string): Promise<Keys>;
  /** A role allowed everything (moto checks the assumed role's own policies). */
  newRole(name: string): Promise<string>;
  /** GetCallerIdentity with these keys: the ARN, or the AWS error name. */
  whoAmI(keys: Keys): Promise<string>;
  keyIds(user: string): Promise<string[]>;
}

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const ALLOW_ALL = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

export async function startAuthMoto(): Promise<AuthMoto> {
  const moto = await startMoto({ env: { INITIAL_NO_AUTH_ACTION_COUNT: '3' }, warmUp: false });
  const base = { endpoint: moto.endpoint, region: 'us-east-1', maxAttempts: 1 };
  const bootstrap = new IAMClient({ ...base, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await bootstrap.send(new CreateUserCommand({ UserName: 'admin' }));
  await bootstrap.send(new PutUserPolicyCommand({ UserName: 'admin', PolicyName: 'all', PolicyDocument: ALLOW_ALL }));
  const key = (await bootstrap.send(new CreateAccessKeyCommand({ UserName: 'admin' }))).AccessKey;
  bootstrap.destroy();
  const admin = { accessKeyId: key?.AccessKeyId ?? '', secretAccessKey: key?.SecretAccessKey ?? '' };
  const iam = new IAMClient({ ...base, credentials: admin });
  return {
    moto,
    admin,
    async newUser(name) {
      await iam.send(new CreateUserCommand({ UserName: name }));
      await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'all', PolicyDocument: ALLOW_ALL }));
      const k = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey;
      return { accessKeyId: k?.AccessKeyId ?? '', secretAccessKey: k?.SecretAccessKey ?? '' };
    },
    async newRole(name) {
      const role = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: ALLOW_ALL }));
      await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'all', PolicyDocument: ALLOW_ALL }));
      return role.Role?.Arn ?? '';
    },
    async whoAmI(keys) {
      const sts = new STSClient({ ...base, credentials: keys });
      try {
        return (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? '';
      } catch (error) {
        return (error as Error).name;
      } finally {
        sts.destroy();
      }
    },
    async keyIds(user) {
      const listed = await iam.send(new ListAccessKeysCommand({ UserName: user }));
      return (listed.AccessKeyMetadata ?? []).map((k) => k.AccessKeyId ?? '').sort();
    },
  };
}
