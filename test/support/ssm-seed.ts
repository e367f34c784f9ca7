import {
  DescribeParametersCommand,
  PutParameterCommand,
  type ParameterMetadata,
  type SSMClient,
} from '@aws-sdk/client-ssm';

/** chamber's default KMS key (CHAMBER_KMS_KEY_ALIAS unset). */
const CHAMBER_KMS_KEY = 'alias/parameter_store_key';

export interface SeedOptions {
  /** Parallel PutParameter calls. */
  concurrency?: number;
  keyId?: string;
  /** Write a plain Description instead of chamber's counter, as a parameter made by another tool would have. */
  description?: string;
}

/**
 * Writes `entries` under `/<service>/<key>` the way chamber does, so sources read them as they would a real
 * chamber store:
 * - a SecureString, `Overwrite: true`, KeyId `alias/parameter_store_key`;
 * - Description = chamber's own version counter as a decimal string (`strconv.Itoa(version)` in chamber's
 *   `SSMStore.Write`): 1 for a new key, previous + 1 on overwrite. SSM's Version moves independently.
 * Keys are written as given, like `chamber import` without `--normalize-keys` (`chamber write` lower-cases).
 *
 * moto does not check KMS key ids, so the alias need not exist there (and no KMS client is installed); against
 * real AWS the alias must exist.
 */
export async function seedChamberService(
  client: SSMClient,
  service: string,
  entries: Record<string, string>,
  opts: SeedOptions = {},
): Promise<void> {
  const existing = opts.description === undefined ? await chamberVersions(client, service) : new Map<string, number>();
  const names = Object.keys(entries);
  await runLimited(names, opts.concurrency ?? 8, async (key) => {
    const name = `/${service}/${key}`;
    await client.send(
      new PutParameterCommand({
        Name: name,
        Value: entries[key],
        Type: 'SecureString',
        KeyId: opts.keyId ?? CHAMBER_KMS_KEY,
        Overwrite: true,
        Description: opts.description ?? String((existing.get(name) ?? 0) + 1),
      }),
    );
  });
}

/** chamber's counter (from the Description) of every parameter directly under `/<service>`. */
async function chamberVersions(client: SSMClient, service: string): Promise<Map<string, number>> {
  const versions = new Map<string, number>();
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Path', Option: 'OneLevel', Values: [`/${service}`] }],
        MaxResults: 50,
        NextToken: nextToken,
      }),
    );
    for (const parameter of page.Parameters ?? []) {
      if (parameter.Name) versions.set(parameter.Name, chamberCounter(parameter));
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return versions;
}

function chamberCounter(parameter: ParameterMetadata): number {
  const counter = Number.parseInt(parameter.Description ?? '', 10);
  return Number.isFinite(counter) ? counter : 0;
}

async function runLimited<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}
