import {
  DeleteParameterCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersCommand,
  PutParameterCommand,
  type ParameterMetadata,
  type ParameterStringFilter,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { LatchkeyError } from '../core/errors';
import type { Limiter } from './limiter';
import { describeAwsError, isDeniedError } from './ssm-errors';

/**
 * Writes and metadata reads of SSM parameters, in plain types, so the use cases never see the SDK. Reads of values
 * are here only for `chamber read`, import plans and rotation; syncs read through ssm.ts.
 */

/** One parameter as listed: never its value. */
export interface ParameterInfo {
  name: string;
  /** SSM's own version: the truth for `--if-version`. */
  version: number;
  /** chamber's counter from the Description; 0 where another tool wrote the parameter. */
  chamberVersion: number;
  lastModified?: string | undefined;
  lastModifiedUser?: string | undefined;
  type?: string | undefined;
  keyId?: string | undefined;
}

/** One version in a parameter's history: never its value. */
export interface HistoryEntry extends ParameterInfo {
  labels: string[];
}

interface PutRequest {
  name: string;
  value: string;
  keyId: string;
  description: string;
}

export interface ParameterStore {
  /** Every parameter whose name starts with `prefix` (all with an empty prefix), paged 50 at a time. */
  describeAll(prefix: string): Promise<ParameterInfo[]>;
  /** The parameters directly under `path` (chamber's one-level service listing). */
  describeService(path: string): Promise<ParameterInfo[]>;
  /** One parameter's metadata, or undefined where it does not exist. */
  describe(name: string): Promise<ParameterInfo | undefined>;
  /** The decrypted value and its version (`version` selects an older one), or undefined where absent. */
  read(name: string, version?: number): Promise<{ value: string; version: number } | undefined>;
  /** Decrypted values of many names (10 a call); absent names are left out. */
  readMany(names: string[]): Promise<Map<string, string>>;
  history(name: string): Promise<HistoryEntry[]>;
  /** Writes with Overwrite and returns the new SSM version. */
  put(request: PutRequest): Promise<number>;
  /** True when something was deleted. */
  remove(name: string): Promise<boolean>;
}

const DESCRIBE_PAGE = 50;
const GET_BATCH = 10;

type Operation =
  'DescribeParameters' | 'GetParameter' | 'GetParameters' | 'GetParameterHistory' | 'PutParameter' | 'DeleteParameter';

export function createParameterStore(client: SSMClient, limiter: Limiter): ParameterStore {
  const region = async () => {
    try {
      return await client.config.region();
    } catch {
      return undefined;
    }
  };
  const guarded = async <T>(operation: Operation, subject: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await limiter.run(work);
    } catch (error) {
      throw await storeError(error, operation, subject, await region());
    }
  };
  const describePages = async (subject: string, filters: ParameterStringFilter[]) => {
    const out: ParameterInfo[] = [];
    let nextToken: string | undefined;
    do {
      const page = await guarded('DescribeParameters', subject, () =>
        client.send(
          new DescribeParametersCommand({
            ...(filters.length > 0 && { ParameterFilters: filters }),
            MaxResults: DESCRIBE_PAGE,
            NextToken: nextToken,
          }),
        ),
      );
      for (const p of page.Parameters ?? []) out.push(toInfo(p));
      nextToken = page.NextToken;
    } while (nextToken);
    return out;
  };
  return {
    describeAll: (prefix) =>
      describePages(prefix || '/', prefix ? [{ Key: 'Name', Option: 'BeginsWith', Values: [prefix] }] : []).then(
        (list) =>
          // A Name filter is case-sensitive on AWS; the check keeps moto and AWS alike.
          list.filter((p) => p.name.startsWith(prefix)),
      ),
    describeService: (path) => describePages(path, [{ Key: 'Path', Option: 'OneLevel', Values: [path] }]),
    async describe(name) {
      const list = await describePages(name, [{ Key: 'Name', Option: 'Equals', Values: [name] }]);
      return list.find((p) => p.name === name);
    },
    async read(name, version) {
      try {
        const out = await guarded('GetParameter', name, () =>
          client.send(
            new GetParameterCommand({
              Name: version === undefined ? name : `${name}:${version}`,
              WithDecryption: true,
            }),
          ),
        );
        const value = out.Parameter?.Value;
        return value === undefined ? undefined : { value, version: out.Parameter?.Version ?? 0 };
      } catch (error) {
        if (isNotFoundError(error)) return undefined;
        throw error;
      }
    },
    async readMany(names) {
      const values = new Map<string, string>();
      for (let i = 0; i < names.length; i += GET_BATCH) {
        const batch = names.slice(i, i + GET_BATCH);
        const out = await guarded('GetParameters', batch[0] ?? '', () =>
          client.send(new GetParametersCommand({ Names: batch, WithDecryption: true })),
        );
        for (const p of out.Parameters ?? []) if (p.Name && p.Value !== undefined) values.set(p.Name, p.Value);
      }
      return values;
    },
    async history(name) {
      const out: HistoryEntry[] = [];
      let nextToken: string | undefined;
      do {
        // WithDecryption false: the values stay encrypted and are dropped below anyway.
        const page = await guarded('GetParameterHistory', name, () =>
          client.send(
            new GetParameterHistoryCommand({ Name: name, WithDecryption: false, MaxResults: 50, NextToken: nextToken }),
          ),
        );
        for (const p of page.Parameters ?? []) out.push({ ...toInfo({ ...p, Name: name }), labels: p.Labels ?? [] });
        nextToken = page.NextToken;
      } while (nextToken);
      return out.sort((a, b) => a.version - b.version);
    },
    async put(request) {
      const out = await guarded('PutParameter', request.name, () =>
        client.send(
          new PutParameterCommand({
            Name: request.name,
            Value: request.value,
            Type: 'SecureString',
            KeyId: request.keyId,
            Overwrite: true,
            Description: request.description,
          }),
        ),
      );
      return out.Version ?? 0;
    },
    async remove(name) {
      try {
        await guarded('DeleteParameter', name, () => client.send(new DeleteParameterCommand({ Name: name })));
        return true;
      } catch (error) {
        if (isNotFoundError(error)) return false;
        throw error;
      }
    },
  };
}

function toInfo(p: ParameterMetadata): ParameterInfo {
  return {
    name: p.Name ?? '',
    version: p.Version ?? 0,
    chamberVersion: chamberVersionOf(p.Description),
    lastModified: p.LastModifiedDate?.toISOString(),
    lastModifiedUser: p.LastModifiedUser,
    type: p.Type,
    keyId: p.KeyId,
  };
}

/** chamber parses its Description with Atoi and ignores the error: anything else counts as 0. */
function chamberVersionOf(description: string | undefined): number {
  return description !== undefined && /^\d+$/.test(description) ? Number(description) : 0;
}

const NOT_FOUND = 'SOURCE_NOT_FOUND';

function isNotFoundError(error: unknown): boolean {
  return error instanceof LatchkeyError && error.code === NOT_FOUND;
}

const ASKS: Record<Operation, string> = {
  DescribeParameters: 'ssm:DescribeParameters',
  GetParameter: 'ssm:GetParameter and kms:Decrypt on its key',
  GetParameters: 'ssm:GetParameters and kms:Decrypt on their key',
  GetParameterHistory: 'ssm:GetParameterHistory',
  PutParameter: 'ssm:PutParameter and kms:Encrypt on its key',
  DeleteParameter: 'ssm:DeleteParameter',
};

/**
 * A failed call as a LatchkeyError that names the parameter and, when denied, what to ask for. AWS error bodies
 * name parameters, never values; describeAwsError withholds any text that could quote a response.
 */
async function storeError(error: unknown, operation: Operation, subject: string, region: string | undefined) {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'ParameterNotFound' || name === 'ParameterVersionNotFound')
    return new LatchkeyError(NOT_FOUND, `${subject} does not exist`);
  if (name === 'CredentialsProviderError')
    return new LatchkeyError(
      'ACCESS_DENIED',
      `no AWS credentials for ${operation} on ${subject}: ${describeAwsError(error)}`,
      'Name a profile with --aws-profile or AWS_PROFILE, or run inside a project whose latchkey.yml sets aws.profile.',
    );
  if (isDeniedError(error)) {
    const verb = operation === 'PutParameter' ? 'write' : operation === 'DeleteParameter' ? 'delete' : 'read';
    const arn = `arn:aws:ssm:${region ?? '<region>'}:<account-id>:parameter${subject.startsWith('/') ? subject : `/${subject}`}`;
    return new LatchkeyError(
      'ACCESS_DENIED',
      `AWS denied ${operation} on ${subject}: this identity may not ${verb} it (${describeAwsError(error)})`,
      `Ask for ${ASKS[operation]} on ${arn}, or use an AWS profile that has it.`,
    );
  }
  return new LatchkeyError(
    'SOURCE_FAILED',
    `AWS SSM ${operation} on ${subject} failed: ${describeAwsError(error)}`,
    'Try again; if it keeps failing, check the network, the AWS endpoint and the AWS status.',
  );
}
