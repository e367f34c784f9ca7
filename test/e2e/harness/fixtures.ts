// The team's secrets as moto holds them for the e2e flows. Every value is a canary: it must never show up in the
// DOM or in an IPC result, except the one secrets.reveal the user asked for. They are also chosen to be hard for
// .env readers (quotes, #, newlines, spaces, unicode), so the written file is checked for exactness too.
export const API_DEV: Record<string, string> = {
  database_url: 'postgres://app:p@ss w0rd#1@db.internal:5432/app?canary=e2e-db',
  'jwt-secret': 'canary-e2e-jwt-7f3a9c2e',
  'private.key': '-----BEGIN KEY-----\nMIIBcanaryE2E42\nline3 with "quotes"\n-----END KEY-----',
  quote_single: "it's a canary-e2e-q1",
  spaces: '  canary-e2e padded  ',
  unicode: 'canary-e2e-ünïcødé-✓-🔑',
};
export const SHARED_DEV: Record<string, string> = {
  db_host: 'db.canary-e2e.internal',
  db_user: 'canary_e2e_user',
  db_password: 'canary-e2e-unselected',
};
export const STRIPE = 'sk_test_canary_e2e_stripe_51';
export const GITHUB = 'ghp_canaryE2EPersonalToken99';

export const SEED = {
  chamber: { 'api/dev': API_DEV, 'shared/dev': SHARED_DEV },
  parameters: { '/legacy/stripe_key': STRIPE },
};

/** A manifest as a team would commit it; `dev` pulls everything above, `api-only` just one service. */
export const MANIFEST = `version: 1
# The shared dev stack. No values in here.
aws: { profile: acme-dev, region: us-east-1 }
rotation: { maxAgeDays: 90 }
profiles:
  dev:
    description: Local development against the shared dev stack
    target: .env
    sources:
      - chamber: api/dev
      - chamber: shared/dev
        only: [db_host, db_user]
      - ssm: /legacy/stripe_key
        as: STRIPE_SECRET_KEY
      - keychain: GITHUB_TOKEN
      - set: { LOG_LEVEL: debug, AWS_PROFILE: acme-dev }
  api-only:
    description: Only the API service
    target: api.env
    sources:
      - chamber: api/dev
`;

/** What `dev` writes, read back by dotenv. */
export const DEV_EXPECTED: Record<string, string> = {
  DATABASE_URL: API_DEV.database_url!,
  JWT_SECRET: API_DEV['jwt-secret']!,
  PRIVATE_KEY: API_DEV['private.key']!,
  QUOTE_SINGLE: API_DEV.quote_single!,
  SPACES: API_DEV.spaces!,
  UNICODE: API_DEV.unicode!,
  DB_HOST: SHARED_DEV.db_host!,
  DB_USER: SHARED_DEV.db_user!,
  STRIPE_SECRET_KEY: STRIPE,
  GITHUB_TOKEN: GITHUB,
  LOG_LEVEL: 'debug',
  AWS_PROFILE: 'acme-dev',
};

/** Every secret value, and a distinctive piece of each (a value could be shown split or escaped). */
export const CANARIES: string[] = [
  ...Object.values(API_DEV),
  ...Object.values(SHARED_DEV),
  STRIPE,
  GITHUB,
  'MIIBcanaryE2E42',
  'p@ss w0rd#1',
];
