import { DescribeParametersCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { startMoto } from '../../support/moto';

describe('moto launcher', () => {
  it('explains a moto that cannot start, with its output', async () => {
    await expect(startMoto({ python: '/nonexistent/python3' })).rejects.toThrow(/moto could not start \(spawn failed/);
    await expect(startMoto({ env: { PYTHONPATH: '/nonexistent' }, python: 'false' })).rejects.toThrow(
      /moto could not start \(it exited with code 1\)/,
    );
  });

  it('optionally pages DescribeParameters by MaxResults, as AWS does', async () => {
    const moto = await startMoto({ awsDescribePaging: true, warmUp: false });
    const client = new SSMClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    try {
      await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          client.send(new PutParameterCommand({ Name: `/paged/k${i}`, Value: 'v', Type: 'String' })),
        ),
      );
      const filter = [{ Key: 'Path', Option: 'OneLevel', Values: ['/paged'] }];
      const first = await client.send(new DescribeParametersCommand({ ParameterFilters: filter, MaxResults: 50 }));
      expect(first.Parameters).toHaveLength(50);
      const second = await client.send(
        new DescribeParametersCommand({ ParameterFilters: filter, MaxResults: 50, NextToken: first.NextToken }),
      );
      expect(second.Parameters).toHaveLength(10);
      expect(second.NextToken).toBeUndefined();
      await moto.reset();
      const empty = await client.send(new DescribeParametersCommand({ ParameterFilters: filter }));
      expect(empty.Parameters).toEqual([]);
    } finally {
      client.destroy();
      await moto.stop();
    }
  });
});
