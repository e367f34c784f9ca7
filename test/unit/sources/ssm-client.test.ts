import { describe, expect, it, vi } from 'vitest';
import {
  clientCacheKey,
  createSsmClientCache,
  DEFAULT_MAX_ATTEMPTS,
  maxAttemptsFrom,
  resolveClientTarget,
  retryModeFrom,
} from '../../../main/sources/ssm-client';

describe('SSM client settings', () => {
  it('lets the standard variables override the manifest', () => {
    const aws = { profile: 'acme-dev', region: 'eu-west-1' };
    expect(resolveClientTarget(aws, {})).toEqual({ profile: 'acme-dev', region: 'eu-west-1', endpoint: undefined });
    expect(resolveClientTarget(aws, { AWS_PROFILE: 'ci', AWS_REGION: 'us-east-2' })).toMatchObject({
      profile: 'ci',
      region: 'us-east-2',
    });
    expect(resolveClientTarget(aws, { AWS_DEFAULT_REGION: 'ap-south-1' }).region).toBe('ap-south-1');
    expect(resolveClientTarget(aws, { AWS_REGION: 'us-west-1', AWS_DEFAULT_REGION: 'ap-south-1' }).region).toBe(
      'us-west-1',
    );
    expect(resolveClientTarget({}, { AWS_PROFILE: '  ' })).toEqual({
      profile: undefined,
      region: undefined,
      endpoint: undefined,
    });
  });

  it('records the endpoint the SDK will take from the environment, for the cache key only', () => {
    expect(resolveClientTarget({}, { AWS_ENDPOINT_URL: 'http://a' }).endpoint).toBe('http://a');
    expect(resolveClientTarget({}, { AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_SSM: 'http://ssm' }).endpoint).toBe(
      'http://ssm',
    );
    expect(
      resolveClientTarget({}, { AWS_ENDPOINT_URL: 'http://a', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }).endpoint,
    ).toBeUndefined();
  });

  it('reads the retry budget and mode from the environment', () => {
    expect(maxAttemptsFrom({})).toBe(DEFAULT_MAX_ATTEMPTS);
    expect(DEFAULT_MAX_ATTEMPTS).toBe(10);
    expect(maxAttemptsFrom({ LATCHKEY_AWS_MAX_ATTEMPTS: '3' })).toBe(3);
    expect(maxAttemptsFrom({ LATCHKEY_AWS_MAX_ATTEMPTS: '0' })).toBe(DEFAULT_MAX_ATTEMPTS);
    expect(maxAttemptsFrom({ LATCHKEY_AWS_MAX_ATTEMPTS: 'lots' })).toBe(DEFAULT_MAX_ATTEMPTS);
    expect(retryModeFrom({})).toBe('adaptive');
    expect(retryModeFrom({ AWS_RETRY_MODE: 'standard' })).toBe('standard');
    expect(retryModeFrom({ AWS_RETRY_MODE: 'legacy' })).toBe('adaptive');
  });

  it('keeps one client per profile, region and endpoint', async () => {
    const env: NodeJS.ProcessEnv = { AWS_EC2_METADATA_DISABLED: 'true' };
    const cache = createSsmClientCache({ concurrency: 4, env });
    try {
      const a = await cache.get({ profile: 'p', region: 'us-east-1' });
      expect((await cache.get({ profile: 'p', region: 'us-east-1' })).client).toBe(a.client);
      expect((await cache.get({ profile: 'q', region: 'us-east-1' })).client).not.toBe(a.client);
      expect((await cache.get({ profile: 'p', region: 'us-west-2' })).client).not.toBe(a.client);
      env.AWS_ENDPOINT_URL = 'http://127.0.0.1:1';
      expect((await cache.get({ profile: 'p', region: 'us-east-1' })).client).not.toBe(a.client);
      expect(a.key).toBe(clientCacheKey({ profile: 'p', region: 'us-east-1' }));

      const config = a.client.config;
      expect(await config.region()).toBe('us-east-1');
      expect(await config.maxAttempts()).toBe(10);
      expect(config.retryMode).toBe('adaptive');
    } finally {
      cache.destroy();
    }
  });

  it('retired, builds new clients that read their credentials again, and closes the old ones after a grace', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    // A session's keys as the credentials chain would find them: the user ends one session and starts another.
    let current = { accessKeyId: 'ASIAFIRSTSESSION0001', secretAccessKey: 'first', sessionToken: 'one' };
    const cache = createSsmClientCache({
      concurrency: 4,
      env: { AWS_EC2_METADATA_DISABLED: 'true' },
      credentialsFor: async () => ({ key: 'same-choice', credentials: async () => current }),
    });
    try {
      const old = await cache.get({ region: 'us-east-1' });
      const identity = () => (old.client.config.credentials as () => Promise<{ accessKeyId: string }>)();
      expect((await identity()).accessKeyId).toBe('ASIAFIRSTSESSION0001');
      current = { accessKeyId: 'ASIASECONDSESSION002', secretAccessKey: 'second', sessionToken: 'two' };
      // What the retirement is for: the SDK memoizes what a client resolved first.
      expect((await identity()).accessKeyId).toBe('ASIAFIRSTSESSION0001');

      const destroyed = vi.spyOn(old.client, 'destroy');
      cache.retire();
      const fresh = await cache.get({ region: 'us-east-1' });
      expect(fresh.client).not.toBe(old.client);
      const freshIdentity = await (fresh.client.config.credentials as () => Promise<{ accessKeyId: string }>)();
      expect(freshIdentity.accessKeyId).toBe('ASIASECONDSESSION002');
      // A request under way on the old client may still finish; the old client closes later.
      expect(destroyed).not.toHaveBeenCalled();
      vi.advanceTimersByTime(60_000);
      expect(destroyed).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
      cache.destroy();
    }
  });
});
