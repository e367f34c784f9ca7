import {
  fromEnv,
  fromHttp,
  fromNodeProviderChain,
  fromTemporaryCredentials,
  fromTokenFile,
} from '@aws-sdk/credential-providers';
import {
  chooseCredentials,
  describeCredentials,
  type CredentialChoice,
  type CredentialPlan,
} from '../core/aws-credentials';
import type { AwsSettings } from '../core/types';
import { awsRequestHandler } from '../sources/aws-request-handler';
import { awsFilePath } from './files';
import { readAwsProfiles } from './profiles';

/** How the STS client behind a provider is built. */
type StsClientConfig = { region?: string; requestHandler?: ReturnType<typeof awsRequestHandler> };

/** A credential provider as the SDK clients take it. */
type CredentialProvider = ReturnType<typeof fromEnv>;

/** What an SDK client is built with: a profile for the SDK to resolve, or a provider, never both. */
export interface ClientCredentials {
  /** Identifies the choice, so that clients are cached per choice. */
  key: string;
  description: string;
  profile?: string;
  credentials?: CredentialProvider;
}

/** The precedence of core/aws-credentials.ts, against the AWS files this environment points at. */
async function planCredentials(aws: AwsSettings, env: NodeJS.ProcessEnv = process.env): Promise<CredentialPlan> {
  const files = await readAwsProfiles(env);
  return chooseCredentials({
    aws,
    env,
    profileExists: (name) => files.config.has(name) || files.credentials.has(name),
    filesSearched: [awsFilePath('config', env), awsFilePath('credentials', env)],
  });
}

export async function describeAwsCredentials(aws: AwsSettings, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return describeCredentials(await planCredentials(aws, env));
}

/**
 * The credentials for a client in `region`. The SDK's providers read process.env themselves, so `env` must be the
 * process's own environment (as it is in the CLI and the app).
 */
export async function clientCredentials(
  aws: AwsSettings,
  region: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ClientCredentials> {
  const plan = await planCredentials(aws, env);
  const key = JSON.stringify(plan);
  const description = describeCredentials(plan);
  // The STS calls behind a role or a web identity get the same time limits as every other client (issue 10, item 5).
  const clientConfig: StsClientConfig = { ...(region && { region }), requestHandler: awsRequestHandler({ env }) };
  if (!plan.role) {
    return plan.base.kind === 'profile'
      ? { key, description, profile: plan.base.profile }
      : { key, description, ...withProvider(baseProvider(plan.base, clientConfig)) };
  }
  const masterCredentials =
    baseProvider(plan.base, clientConfig) ??
    fromNodeProviderChain(plan.base.kind === 'profile' ? { profile: plan.base.profile } : {});
  return {
    key,
    description,
    credentials: fromTemporaryCredentials({
      masterCredentials,
      params: {
        RoleArn: plan.role.roleArn,
        RoleSessionName: plan.role.sessionName,
        ...(plan.role.externalId !== undefined && { ExternalId: plan.role.externalId }),
      },
      clientConfig,
    }),
  };
}

function withProvider(provider: CredentialProvider | undefined): { credentials?: CredentialProvider } {
  return provider ? { credentials: provider } : {};
}

/** The provider for credentials the environment holds; undefined where the SDK resolves a profile or its chain. */
function baseProvider(choice: CredentialChoice, clientConfig: StsClientConfig): CredentialProvider | undefined {
  switch (choice.kind) {
    case 'env-keys':
      return fromEnv();
    case 'web-identity':
      return fromTokenFile({ clientConfig });
    case 'container':
      return fromHttp();
    case 'profile':
    case 'sdk-default':
      return undefined;
  }
}
