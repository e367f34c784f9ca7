// The SSO OIDC client, for `await import('./sdk-sso-oidc')` (see sdk-sts.ts for why this file exists).
export {
  CreateTokenCommand,
  RegisterClientCommand,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
} from '@aws-sdk/client-sso-oidc';
