import { DescribeParametersCommand, GetParametersCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, it } from 'vitest';
import { motoEndpoint, resetMoto, testClientConfig } from '../../support/aws-env';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';

// The proxy is only useful if the real SDK reacts to its faults as it would to AWS's: these check that.

let proxy: FaultProxy | undefined;
const clients: SSMClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await proxy?.stop();
  proxy = undefined;
});

function clientVia(url: string, extra: { maxAttempts?: number; retryMode?: string } = {}): SSMClient {
  const client = new SSMClient({ ...testClientConfig(url), ...extra });
  clients.push(client);
  return client;
}

describe('fault proxy in front of moto', () => {
  it('forwards requests, counts them per operation and keeps connections alive', async () => {
    await resetMoto();
    proxy = await startFaultProxy({ target: motoEndpoint() });
    const client = clientVia(proxy.url);
    await client.send(new PutParameterCommand({ Name: '/p/a', Value: 'v', Type: 'SecureString' }));
    for (let i = 0; i < 20; i++) {
      const out = await client.send(new GetParametersCommand({ Names: ['/p/a'], WithDecryption: true }));
      expect(out.Parameters?.[0]?.Value).toBe('v');
    }
    const stats = proxy.stats();
    expect(stats.byOperation).toEqual({ 'AmazonSSM.PutParameter': 1, 'AmazonSSM.GetParameters': 20 });
    expect(stats.total).toBe(21);
    expect(stats.forwarded).toBe(21);
    expect(stats.connections).toBe(1);
    expect(stats.maxInFlight).toBe(1);
  });

  it('throttles in a way the SDK classifies as throttling and retries', async () => {
    proxy = await startFaultProxy({ target: motoEndpoint(), throttleRate: 1 });
    const client = clientVia(proxy.url, { maxAttempts: 2, retryMode: 'standard' });
    const error = await client.send(new DescribeParametersCommand({})).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
    const metadata = (error as { $metadata: { httpStatusCode: number; attempts: number; totalRetryDelay: number } })
      .$metadata;
    expect(metadata.httpStatusCode).toBe(400);
    expect(metadata.attempts).toBe(2);
    expect(proxy.stats()).toMatchObject({ total: 2, throttled: 2 });

    // Once the throttling stops, the retry gets through.
    proxy.setFaults({ throttleRate: 0 });
    await expect(client.send(new DescribeParametersCommand({}))).resolves.toBeDefined();
  });

  it('drops connections, which the SDK retries on a new socket', async () => {
    proxy = await startFaultProxy({ target: motoEndpoint(), dropRate: 1 });
    const client = clientVia(proxy.url, { maxAttempts: 3, retryMode: 'standard' });
    const error = await client.send(new DescribeParametersCommand({})).catch((e: unknown) => e);
    expect(proxy.stats()).toMatchObject({ total: 3, dropped: 3 });
    expect(String((error as { code?: string }).code ?? (error as Error).message)).toMatch(/ECONNRESET|socket hang up/);
  });

  it('denies chosen operations with an AccessDeniedException and fails everything after failAfter', async () => {
    proxy = await startFaultProxy({
      target: motoEndpoint(),
      deny: ['AmazonSSM.DescribeParameters'],
      failAfter: 2,
      failWith: 'client-error',
    });
    const client = clientVia(proxy.url, { maxAttempts: 1 });
    const denied = await client.send(new DescribeParametersCommand({})).catch((e: unknown) => e);
    expect(denied).toMatchObject({ name: 'AccessDeniedException' });
    expect((denied as Error).message).toContain('ssm:DescribeParameters');
    await expect(client.send(new GetParametersCommand({ Names: ['/x'] }))).resolves.toBeDefined();
    const failed = await client.send(new GetParametersCommand({ Names: ['/x'] })).catch((e: unknown) => e);
    expect(failed).toMatchObject({ name: 'ValidationException' });
    expect(proxy.stats()).toMatchObject({ denied: 1, failed: 1, forwarded: 1 });
  });

  it('adds latency to every request and tracks requests in flight', async () => {
    proxy = await startFaultProxy({ target: motoEndpoint(), latencyMs: 100 });
    const client = clientVia(proxy.url);
    const started = performance.now();
    await Promise.all(Array.from({ length: 4 }, () => client.send(new DescribeParametersCommand({}))));
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(1_000);
    expect(proxy.stats().maxInFlight).toBe(4);
  });

  it('makes the same fault decisions for the same seed', async () => {
    const run = async (seed: number) => {
      const p = await startFaultProxy({ target: motoEndpoint(), throttleRate: 0.5, seed });
      const client = clientVia(p.url, { maxAttempts: 1 });
      const outcomes: string[] = [];
      for (let i = 0; i < 12; i++) {
        outcomes.push(
          await client.send(new DescribeParametersCommand({})).then(
            () => 'ok',
            () => 'throttled',
          ),
        );
      }
      await p.stop();
      return outcomes.join(',');
    };
    const first = await run(7);
    expect(await run(7)).toBe(first);
    expect(first).toContain('throttled');
    expect(first).toContain('ok');
  });
});
