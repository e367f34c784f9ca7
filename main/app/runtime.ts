import { useAuditKeychain } from '../core/audit';
import { trackKeychainUse, type Keychain } from '../core/keychain';
import { appDataDir } from '../core/paths';
import type { SourceRegistry, SyncEnvironment } from '../core/sync';
import type { AwsSettings, Manifest } from '../core/types';
import { clientCredentials, describeAwsCredentials } from '../aws/pipeline-credentials';
import { createKeychainSource } from '../sources/keychain-source';
import { createKeytarKeychain } from '../adapters/keytar-keychain';
import { createOpSource } from '../onepassword/source';
import { createS3Source } from '../sources/s3';
import { setSource } from '../sources/set-source';
import { createSsmSources } from '../sources/ssm';
import type { ParameterStore } from '../sources/chamber-store';

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
}

export function createRuntime(overrides: { keychain?: Keychain; appDir?: string; concurrency?: number } = {}): Runtime {
  const tracked = trackKeychainUse(overrides.keychain ?? createKeytarKeychain());
  const keychain = tracked.keychain;
  // The audit log's anchor is sealed with a key in this keychain (core/audit.ts), once the keychain is in use.
  useAuditKeychain(tracked.sealing);
  const appDir = overrides.appDir ?? appDataDir();
  // One SSM client (and one concurrency budget) per AWS profile and region for the life of the process.
  const ssm = createSsmSources({
    concurrency: overrides.concurrency,
    credentialsFor: (aws, region) => clientCredentials(aws, region),
  });
  const s3 = createS3Source({
    concurrency: overrides.concurrency,
    credentialsFor: (aws, region) => clientCredentials(aws, region),
  });
  const op = createOpSource({ keychain, appDir, concurrency: overrides.concurrency });
  return {
    appDir,
    keychain,
    describeAwsCredentials: (aws) => describeAwsCredentials(aws),
    parameterStore: (aws) => ssm.storeFor(aws),
    syncEnvironment(manifest) {
      const sources: SourceRegistry = {
        chamber: ssm.chamber,
        ssm: ssm.ssm,
        keychain: createKeychainSource(keychain, manifest.path),
        set: setSource,
        op,
        s3,
      };
      return { sources, keychain, appDir };
    },
  };
}
