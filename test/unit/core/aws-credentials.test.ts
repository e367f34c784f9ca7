import { describe, expect, it } from 'vitest';
import { chooseCredentials, describeCredentials, type CredentialInputs } from '../../../main/core/aws-credentials';
import { parseManifest } from '../../../main/core/manifest';

const FILES = ['/home/ci/.aws/config', '/home/ci/.aws/credentials'];
const KEYS = { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'secret' };
const WEB = { AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/gha', AWS_WEB_IDENTITY_TOKEN_FILE: '/tmp/token' };

function choose(env: NodeJS.ProcessEnv, profiles: string[], aws: CredentialInputs['aws'] = { profile: 'acme-dev' }) {
  return chooseCredentials({ aws, env, profileExists: (p) => profiles.includes(p), filesSearched: FILES });
}

describe('the order in which credentials are chosen', () => {
  it('1. --aws-profile / LATCHKEY_AWS_PROFILE beats everything', () => {
    const plan = choose({ LATCHKEY_AWS_PROFILE: 'ops', AWS_PROFILE: 'other', ...KEYS }, ['ops', 'other', 'acme-dev']);
    expect(plan.base).toEqual({ kind: 'profile', profile: 'ops', from: 'LATCHKEY_AWS_PROFILE' });
  });

  it('2. an explicit AWS_PROFILE beats the environment and the manifest; empty means none', () => {
    expect(choose({ AWS_PROFILE: 'other', ...KEYS }, ['other', 'acme-dev']).base).toEqual({
      kind: 'profile',
      profile: 'other',
      from: 'AWS_PROFILE',
    });
    expect(choose({ AWS_PROFILE: '', ...KEYS }, ['acme-dev']).base).toEqual({ kind: 'env-keys' });
    expect(choose({ AWS_PROFILE: ' ' }, ['acme-dev']).base).toEqual({
      kind: 'sdk-default',
      why: 'AWS_PROFILE is empty',
    });
  });

  it("3. the environment's credentials when the manifest's profile is not on this machine", () => {
    expect(choose(KEYS, []).base).toEqual({ kind: 'env-keys', absentProfile: 'acme-dev' });
    expect(choose(WEB, []).base).toEqual({
      kind: 'web-identity',
      roleArn: WEB.AWS_ROLE_ARN,
      absentProfile: 'acme-dev',
    });
    expect(choose({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x' }, []).base).toMatchObject({
      kind: 'container',
    });
    expect(choose(KEYS, [], {}).base).toEqual({ kind: 'env-keys' });
  });

  it("4. the manifest's profile when it exists, even with keys in the environment", () => {
    expect(choose(KEYS, ['acme-dev']).base).toEqual({ kind: 'profile', profile: 'acme-dev', from: 'manifest' });
  });

  it('an unknown profile with nothing else is an error naming it and the files searched', () => {
    for (const [env, by] of [
      [{}, "the manifest's aws.profile"],
      [{ AWS_PROFILE: 'nope' }, 'AWS_PROFILE'],
      [{ LATCHKEY_AWS_PROFILE: 'nope', ...KEYS }, '--aws-profile'],
    ] as const) {
      expect(() => choose(env, [])).toThrow(
        new RegExp(
          `AWS profile "(acme-dev|nope)" \\(from ${by.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\) is not in /home/ci/.aws/config or /home/ci/.aws/credentials`,
        ),
      );
    }
  });

  it('a role is assumed on top, with its external id and session name', () => {
    const plan = choose(KEYS, [], {
      profile: 'acme-dev',
      roleArn: 'arn:aws:iam::123456789012:role/reader',
      externalId: 'ext-1',
    });
    expect(plan.role).toEqual({
      roleArn: 'arn:aws:iam::123456789012:role/reader',
      externalId: 'ext-1',
      sessionName: 'latchkey',
    });
    expect(describeCredentials(plan)).toBe(
      "access keys from the environment (AWS_ACCESS_KEY_ID), as the manifest's profile acme-dev is not on this " +
        'machine, then role arn:aws:iam::123456789012:role/reader (session latchkey)',
    );
  });
});

describe('aws.roleArn in the manifest', () => {
  const manifest = (aws: string, sourceAws = '') =>
    parseManifest(
      `version: 1\naws: ${aws}\nprofiles:\n  ci:\n    sources:\n      - chamber: web/ci\n${sourceAws}`,
      '/p/latchkey.yml',
    );

  it('is one unit per layer: a source that names its own role does not inherit the manifest external id', () => {
    const m = manifest(
      '{ roleArn: "arn:aws:iam::111111111111:role/a", externalId: ext-a, sessionName: ci-run }',
      '        aws: { roleArn: "arn:aws:iam::222222222222:role/b" }\n',
    );
    expect(m.profiles.get('ci')!.sources[0]).toMatchObject({ aws: { roleArn: 'arn:aws:iam::222222222222:role/b' } });
    expect(m.profiles.get('ci')!.sources[0]).not.toHaveProperty('aws.externalId');
  });

  it('is checked', () => {
    expect(() => manifest('{ roleArn: "role/x" }')).toThrow(/expected an IAM role ARN/);
    expect(() => manifest('{ roleArn: "arn:aws:iam::111111111111:role/a", sessionName: "a b" }')).toThrow(
      /sessionName/,
    );
  });
});
