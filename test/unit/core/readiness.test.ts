import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAccessError, probeAwsAccess } from '../../../main/aws/access';
import { LatchkeyError } from '../../../main/core/errors';
import { ManifestError, parseManifest } from '../../../main/core/manifest';
import { buildReadiness, invalidManifestReadiness, type ReadinessProbes } from '../../../main/core/readiness';
import { applyEnv, awsTestEnv } from '../../support/aws-env';

const FILE = '/work/project/latchkey.yml';

function manifest(sources: string, aws = 'aws: { profile: acme-dev, region: us-east-1 }\n') {
  return parseManifest(`version: 1\n${aws}profiles:\n  dev:\n    target: .env.local\n    sources:\n${sources}`, FILE);
}

function probes(overrides: Partial<ReadinessProbes> = {}): ReadinessProbes & { aws: unknown[] } {
  const aws: unknown[] = [];
  return {
    aws,
    awsAccess: async (settings) => {
      aws.push(settings);
      return { ok: true, detail: 'signed in to account 123456789012' };
    },
    personalSecretPresent: async (name) => name === 'HAVE_IT',
    gitWouldTrack: async () => false,
    opReadiness: async (specs) => ({ state: 'ok', detail: `${specs.length} reference(s) resolve` }),
    awsSession: async () => ({ exists: true, kind: 'keychain-keys', mfa: false }),
    ...overrides,
  };
}

describe('buildReadiness', () => {
  it('one AWS item per distinct profile and region of the AWS sources, in manifest order', async () => {
    const m = manifest(
      [
        '      - chamber: api/dev',
        '      - ssm: /x/y',
        '        as: XY',
        '      - chamber: other/dev',
        '        aws: { profile: acme-shared }',
        '      - s3: s3://bucket-a/key',
        '        as: S3_KEY',
        '',
      ].join('\n'),
    );
    const p = probes();
    const items = await buildReadiness(m, m.profiles.get('dev')!, p);
    expect(p.aws).toEqual([
      { profile: 'acme-dev', region: 'us-east-1' },
      { profile: 'acme-shared', region: 'us-east-1' },
    ]);
    expect(items.map((i) => i.id)).toEqual([
      'manifest',
      'aws:acme-dev:us-east-1',
      'aws:acme-shared:us-east-1',
      'aws-sessions:acme-dev',
      'aws-sessions:acme-shared',
      'gitignore',
    ]);
    expect(items[1]).toMatchObject({ state: 'ok', label: 'AWS credentials for profile acme-dev (us-east-1)' });
  });

  it('personal secrets: ok, missing with the action to set it, or error when the keychain cannot be asked', async () => {
    const m = manifest('      - keychain: HAVE_IT\n      - keychain: NEED_IT\n      - keychain: NEED_IT\n', '');
    const items = await buildReadiness(m, m.profiles.get('dev')!, probes());
    expect(items.filter((i) => i.id.startsWith('keychain:'))).toEqual([
      { id: 'keychain:HAVE_IT', label: 'Personal secret HAVE_IT', state: 'ok', detail: 'stored in the OS keychain' },
      {
        id: 'keychain:NEED_IT',
        label: 'Personal secret NEED_IT',
        state: 'missing',
        detail: 'not set on this machine yet',
        action: 'set-personal:NEED_IT',
      },
    ]);
    const locked = await buildReadiness(
      m,
      m.profiles.get('dev')!,
      probes({
        personalSecretPresent: async () => {
          throw new LatchkeyError('KEYCHAIN_UNAVAILABLE', 'the OS keychain is not available (read)');
        },
      }),
    );
    expect(locked.find((i) => i.id === 'keychain:HAVE_IT')).toMatchObject({
      state: 'error',
      detail: 'the OS keychain is not available (read)',
    });
  });

  it('probe failures become error items that quote no unexpected message', async () => {
    const m = manifest('      - chamber: api/dev\n');
    const items = await buildReadiness(
      m,
      m.profiles.get('dev')!,
      probes({
        awsAccess: async () => {
          throw new Error('raw internals with sk_canary');
        },
        gitWouldTrack: async () => true,
      }),
    );
    expect(items.find((i) => i.id === 'aws')).toMatchObject({ state: 'error', detail: 'could not be checked' });
    expect(items.find((i) => i.id === 'gitignore')).toMatchObject({
      state: 'missing',
      action: 'add-gitignore',
      label: '.env.local is not ignored by git',
    });
    expect(JSON.stringify(items)).not.toContain('sk_canary');
  });

  it('the 1Password slot appears only for op: sources; the AWS session slot only for AWS sources', async () => {
    const withOp = manifest(
      '      - op: "op://Vault/Item/field"\n        as: F\n      - set: { A: b }\n      - op: "op://Vault/Other"\n        fields: all\n',
      '',
    );
    const asked: unknown[] = [];
    const items = await buildReadiness(
      withOp,
      withOp.profiles.get('dev')!,
      probes({
        opReadiness: async (specs) => (
          asked.push(specs.map((s) => s.ref)),
          { state: 'ok', detail: '2 references resolve' }
        ),
      }),
    );
    expect(asked).toEqual([['op://Vault/Item/field', 'op://Vault/Other']]);
    expect(items.map((i) => [i.id, i.state, i.detail])).toEqual([
      ['manifest', 'ok', `1 profile in ${FILE}`],
      ['op', 'ok', '2 references resolve'],
      ['gitignore', 'ok', undefined],
    ]);
    const without = manifest('      - set: { A: b }\n', '');
    expect(
      (
        await buildReadiness(
          without,
          without.profiles.get('dev')!,
          probes({ opReadiness: async () => expect.fail('not asked without op: sources') }),
        )
      ).map((i) => i.id),
    ).not.toContain('op');
  });

  it('AWS session: ok until HH:MM, missing with aws-login for MFA, ok for keys, unavailable, error summarized', async () => {
    const m = manifest('      - chamber: api/dev\n');
    // No probe at all (undefined) is a case of its own: the item is left out.
    const item = async (awsSession: ReadinessProbes['awsSession']) => {
      const withProbe = probes();
      if (awsSession) withProbe.awsSession = awsSession;
      else delete withProbe.awsSession;
      return (await buildReadiness(m, m.profiles.get('dev')!, withProbe)).find((i) => i.id === 'aws-sessions');
    };
    const until = new Date(2030, 0, 1, 18, 30).toISOString();
    const label = 'AWS session for profile acme-dev';
    expect(await item(async () => ({ exists: true, kind: 'keychain-keys', mfa: true, activeUntil: until }))).toEqual({
      id: 'aws-sessions',
      label,
      state: 'ok',
      detail: 'session active until 18:30',
    });
    expect(await item(async () => ({ exists: true, kind: 'keychain-keys', mfa: true }))).toEqual({
      id: 'aws-sessions',
      label,
      state: 'missing',
      detail: 'needs an MFA session',
      action: 'aws-login:acme-dev',
    });
    expect(await item(async () => ({ exists: true, kind: 'file-keys', mfa: false }))).toEqual({
      id: 'aws-sessions',
      label,
      state: 'ok',
      detail: 'long-lived credentials',
    });
    expect(await item(async () => ({ exists: false }))).toMatchObject({
      state: 'unavailable',
      detail: 'no AWS profile named acme-dev in the config or credentials file',
    });
    expect(
      await item(async () => {
        throw new Error('raw internals with sk_canary');
      }),
    ).toMatchObject({ state: 'error', detail: 'could not be checked' });
    // Without the probe (or without a named profile) there is no item.
    expect(await item(undefined)).toBeUndefined();
    const unnamed = manifest('      - chamber: api/dev\n', '');
    expect((await buildReadiness(unnamed, unnamed.profiles.get('dev')!, probes())).map((i) => i.id)).not.toContain(
      'aws-sessions',
    );
  });

  it('1Password: missing with configure-op, or an error naming the reference; a throwing probe is summarized', async () => {
    const withOp = manifest('      - op: "op://Vault/Item/field"\n        as: F\n', '');
    const opItem = async (opReadiness: ReadinessProbes['opReadiness']) =>
      (await buildReadiness(withOp, withOp.profiles.get('dev')!, probes({ opReadiness }))).find((i) => i.id === 'op');
    expect(
      await opItem(async () => ({
        state: 'missing',
        detail: 'no 1Password Connect server is configured',
        action: 'configure-op',
      })),
    ).toEqual({
      id: 'op',
      label: '1Password connected',
      state: 'missing',
      detail: 'no 1Password Connect server is configured',
      action: 'configure-op',
    });
    expect(
      await opItem(async () => ({
        state: 'error',
        detail: '1Password reference op://Vault/Item/field: no vault named "Vault"',
      })),
    ).toMatchObject({ state: 'error', detail: expect.stringContaining('op://Vault/Item/field') });
    expect(
      await opItem(async () => {
        throw new Error('sk_canary_op');
      }),
    ).toMatchObject({ state: 'error', detail: 'could not be checked' });
  });

  it('an invalid manifest is one error item with the first position', () => {
    const error = new ManifestError(FILE, [
      { line: 4, col: 7, path: 'profiles.dev', message: 'expected a mapping' },
      { line: 9, col: 1, path: '', message: 'other' },
    ]);
    expect(invalidManifestReadiness(error)).toEqual([
      {
        id: 'manifest',
        label: 'Manifest is valid',
        state: 'error',
        detail: 'line 4, column 7: expected a mapping (and 1 more)',
      },
    ]);
  });
});

describe('probeAwsAccess', () => {
  let silent: Server;
  let silentPort: number;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts connections and never answers: a VPN that swallows packets.
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => silent.close(resolve));
  });

  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  it('says it cannot reach STS when nothing listens', async () => {
    const undo = applyEnv(awsTestEnv(`http://127.0.0.1:${await closedPort()}`));
    try {
      const result = await probeAwsAccess({ region: 'us-east-1' }, { timeoutMs: 3000 });
      expect(result.ok).toBe(false);
      expect(result.detail).toMatch(/cannot reach AWS STS|did not answer/);
      expect(result.detail).not.toContain('testing');
    } finally {
      undo();
    }
  });

  it('gives up after its timeout when STS does not answer', async () => {
    const undo = applyEnv(awsTestEnv(`http://127.0.0.1:${silentPort}`));
    try {
      const started = Date.now();
      const result = await probeAwsAccess({ region: 'us-east-1' }, { timeoutMs: 400 });
      expect(result).toEqual({ ok: false, detail: expect.stringContaining('did not answer') });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      undo();
    }
  });

  it('says so when there are no credentials for the profile', async () => {
    const undo = applyEnv({
      ...awsTestEnv(`http://127.0.0.1:${silentPort}`),
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
    });
    try {
      const result = await probeAwsAccess({ profile: 'nobody-has-this', region: 'us-east-1' }, { timeoutMs: 3000 });
      expect(result.ok).toBe(false);
      expect(result.detail).toContain('no AWS credentials found for profile nobody-has-this');
    } finally {
      undo();
    }
  });
});

describe('describeAccessError', () => {
  const who = 'profile acme-dev';
  it('words the common failures and hides access key ids', () => {
    const named = (name: string, message = 'm') => Object.assign(new Error(message), { name });
    expect(describeAccessError(named('ExpiredToken'), who, 5000)).toContain('has expired');
    expect(describeAccessError(named('InvalidClientTokenId'), who, 5000)).toBe(
      'AWS refused the credentials of profile acme-dev (InvalidClientTokenId)',
    );
    expect(describeAccessError(new Error('Region is missing'), who, 5000)).toContain('no AWS region');
    expect(describeAccessError(Object.assign(new Error('x'), { code: 'ENOTFOUND' }), who, 5000)).toContain('ENOTFOUND');
    const odd = describeAccessError(named('WeirdError', 'key AKIAABCDEFGHIJKLMNOP was odd'), who, 5000);
    expect(odd).toContain('WeirdError');
    expect(odd).not.toContain('AKIAABCDEFGHIJKLMNOP');
  });
});
