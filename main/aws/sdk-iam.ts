// The IAM client, for `await import('./sdk-iam')` (see sdk-sts.ts for why this file exists).
export { IAMClient } from '@aws-sdk/client-iam';
