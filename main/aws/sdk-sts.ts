// The STS client, for `await import('./sdk-sts')`: an ES module of ours around the SDK's CommonJS build, so that
// the bundled CLI (scripts/build-cli.mjs) gets its named exports, which a dynamic import of the package does not.
export { AssumeRoleCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
