import { useAuditKeychain } from '../core/audit-keychain';
import { trackKeychainUse, type Keychain } from '../core/keychain';
import { appDataDir } from '../core/paths';
import type { SourceRegistry, SyncEnvironment } from '../core/sync';
import type { AwsSettings, Manifest, OpSpec, S3Spec, SecretSource, SourceKind } from '../core/types';
import type { OpReferenceMetadata } from '../onepassword/metadata';
import type { S3ObjectInfo } from '../sources/s3';
import { createKeychainSource } from '../sources/keychain-source';
import { createKeytarKeychain } from '../adapters/keytar-keychain';
import type { ParameterStore } from '../sources/chamber-store';
import { setSource } from '../sources/set-source';
import { once } from './lazy';

/**
 * The composition root shared by the CLI and the app's IPC handlers: the one place that decides which real
 * keychain, sources and app-data folder the core works with.
 */
export interface Runtime {
  appDir: string;
  keychain: Keychain;
  syncEnvironment(manifest: Manifest): SyncEnvironment;
  /** SSM writes and metadata for one `aws:` setting (absent where no AWS source can run). */
  parameterStore?(aws: AwsSettings): Promise<ParameterStore>;
  /** Which AWS credentials a manifest `aws:` setting gets, in words (absent where no AWS source can run). */
  describeAwsCredentials?(aws: AwsSettings): Promise<string>;
  /**
   * After a session started or ended: the AWS clients built so far keep the credentials they resolved until those
   * expire, so the next request must build new ones (an ended session must not go on reading secrets).
   */
  forgetAwsClients?(): void;
  /** An `s3:` object's version and date (HeadObject, never the body): the Rotation worklist's scan. */
  describeS3Object?(spec: S3Spec): Promise<S3ObjectInfo>;
  /** `op:` references' items, versions, dates and field labels (never a value): the Rotation worklist's scan. */
  describeOpReferences?(specs: OpSpec[]): Promise<OpReferenceMetadata[]>;
}

export function createRuntime(overrides: { keychain?: Keychain; appDir?: string; concurrency?: number } = {}): Runtime {
  const tracked = trackKeychainUse(overrides.keychain ?? createKeytarKeychain());
  const keychain = tracked.keychain;
  // The audit log's anchor is sealed with a key in this keychain (core/audit.ts), once the keychain is in use.
  useAuditKeychain(tracked.sealing);
  const appDir = overrides.appDir ?? appDataDir();
  // The SDK behind a source loads when a profile first uses it (issue 12: a CLI command that reads only keychain or
  // `set:` values, and the app's start, never load the AWS SDK or 1Password Connect).
  // One SSM client (and one concurrency budget) per AWS profile and region for the life of the process.
  const awsClientHolders: { retireClients(): void }[] = [];
  const holding = <T extends { retireClients(): void }>(holder: T): T => {
    awsClientHolders.push(holder);
    return holder;
  };
  const ssm = once(async () => {
    const [{ createSsmSources }, { clientCredentials }, { openListingSizes }] = await Promise.all([
      import('../sources/ssm'),
      import('../aws/pipeline-credentials'),
      import('../sources/listing-sizes'),
    ]);
    return holding(
      createSsmSources({
        concurrency: overrides.concurrency,
        credentialsFor: (aws, region) => clientCredentials(aws, region),
        // Shared by the CLI and the app through the app-data folder: a plan starts its largest services first.
        listingSizes: () => openListingSizes(appDir),
      }),
    );
  });
  const op = lazySource('op', async () => {
    const { createOpSource } = await import('../onepassword/source');
    return createOpSource({ keychain, appDir, concurrency: overrides.concurrency });
  });
  const s3Source = once(async () => {
    const [{ createS3Source }, { clientCredentials }] = await Promise.all([
      import('../sources/s3'),
      import('../aws/pipeline-credentials'),
    ]);
    return holding(
      createS3Source({
        concurrency: overrides.concurrency,
        credentialsFor: (aws, region) => clientCredentials(aws, region),
      }),
    );
  });
  const s3 = lazySource('s3', s3Source);
  // The worklist's 1Password metadata: one client per (host, token), as the op source keeps its own.
  const opMetadata = once(async () => {
    const [{ createOpApiCache }, { resolveOpConnectionForReading }, { describeOpReferences }] = await Promise.all([
      import('../onepassword/source'),
      import('../onepassword/client'),
      import('../onepassword/metadata'),
    ]);
    const apiFor = createOpApiCache();
    return async (specs: OpSpec[]) =>
      describeOpReferences(apiFor(await resolveOpConnectionForReading({ env: process.env, appDir, keychain })), specs);
  });
  const chamber = lazySource('chamber', async () => (await ssm()).chamber);
  const ssmSingle = lazySource('ssm', async () => (await ssm()).ssm);
  return {
    appDir,
    keychain,
    parameterStore: async (aws) => (await ssm()).storeFor(aws),
    describeAwsCredentials: async (aws) => (await import('../aws/pipeline-credentials')).describeAwsCredentials(aws),
    forgetAwsClients: () => awsClientHolders.forEach((holder) => holder.retireClients()),
    describeS3Object: async (spec) => (await s3Source()).describe(spec),
    describeOpReferences: async (specs) => (await opMetadata())(specs),
    syncEnvironment(manifest) {
      const sources: SourceRegistry = {
        chamber,
        ssm: ssmSingle,
        keychain: createKeychainSource(keychain, manifest.path),
        set: setSource,
        op,
        s3,
      };
      return { sources, keychain, appDir };
    },
  };
}

/** A source whose module (and SDK) loads on its first resolve. */
function lazySource<K extends SourceKind>(kind: K, load: () => Promise<SecretSource<K>>): SecretSource<K> {
  const loaded = once(load);
  return { kind, resolve: async (specs, ctx) => (await loaded()).resolve(specs, ctx) };
}
