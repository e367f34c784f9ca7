import * as z from 'zod';
import { RotationStatusSchema } from '../plan';
import type { MethodSchemas } from './shared';

/** AWS profiles, their sessions and their IAM user keys. */

/** How a profile gets its credentials. `unknown`: nothing Latchkey can run. */
const AWS_PROFILE_KINDS = ['file-keys', 'keychain-keys', 'role', 'sso', 'credential-process', 'unknown'] as const;
export type AwsProfileKind = (typeof AWS_PROFILE_KINDS)[number];

/** What happened to a session (`aws.session`). */
const AWS_SESSION_STATES = ['started', 'refreshed', 'stopped', 'expired', 'needs-mfa'] as const;

const AwsProfileName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@+=,-]*$/)
  .max(128);

/** A TOTP code from an MFA device: six digits. */
export const MfaCodeSchema = z.string().regex(/^\d{6}$/);

export const AwsProfileViewSchema = z.object({
  name: z.string(),
  kind: z.enum(AWS_PROFILE_KINDS),
  region: z.string().optional(),
  mfaSerial: z.string().optional(),
  roleArn: z.string().optional(),
  sourceProfile: z.string().optional(),
  /** credential_process runs `latchkey aws credential-process` for this profile. */
  latchkeyProcess: z.boolean(),
  isDefault: z.boolean(),
  session: z.object({ active: z.boolean(), managed: z.boolean(), expiresAt: z.string().optional() }),
});
export type AwsProfileView = z.infer<typeof AwsProfileViewSchema>;

const AwsKeyViewSchema = z.object({
  /** The last 4 characters of the access key id: enough to recognise it, never the whole id. */
  idTail: z.string(),
  status: z.string(),
  createdAt: z.string().optional(),
  rotation: z.object({
    status: RotationStatusSchema,
    maxAgeDays: z.number(),
    ageDays: z.number().optional(),
  }),
  lastUsedAt: z.string().optional(),
  lastUsedService: z.string().optional(),
});
export type AwsKeyView = z.infer<typeof AwsKeyViewSchema>;

export const AWS_METHODS = {
  'aws.list': { input: z.object({}), output: z.object({ profiles: z.array(AwsProfileViewSchema) }) },
  /** IAM user keys of a profile: age against the rotation policy, and last use (GetAccessKeyLastUsed). */
  'aws.keys': { input: z.object({ profile: AwsProfileName }), output: z.object({ keys: z.array(AwsKeyViewSchema) }) },
  /** Starts (or reuses) a session and writes it into the profile's section. NEEDS_INPUT when an MFA code is needed. */
  'aws.login': {
    input: z.object({ profile: AwsProfileName, mfaCode: MfaCodeSchema.optional(), asDefault: z.boolean().optional() }),
    output: z.object({ expiresAt: z.string().optional() }),
  },
  'aws.logout': { input: z.object({ profile: AwsProfileName }), output: z.object({}) },
  'aws.useDefault': {
    input: z.object({ profile: AwsProfileName, mfaCode: MfaCodeSchema.optional() }),
    output: z.object({ expiresAt: z.string().optional() }),
  },
  /** Moves a profile's keys from the credentials file into the keychain; the plaintext goes only on request. */
  'aws.import': {
    input: z.object({ profile: AwsProfileName, removePlaintext: z.boolean() }),
    output: z.object({ removedPlaintext: z.boolean(), backup: z.string().optional() }),
  },
  /** Create, verify, store, then delete the old key. The user confirmed in the UI. */
  'aws.rotateKey': {
    input: z.object({ profile: AwsProfileName, confirm: z.literal(true) }),
    output: z.object({ newKeyIdTail: z.string(), deletedKeyIdTail: z.string().optional(), detail: z.string() }),
  },
} as const satisfies Record<string, MethodSchemas>;

export const AWS_EVENTS = {
  /** A session was refreshed, stopped, expired, or needs a new MFA code before it expires. */
  'aws.session': z.object({
    profile: z.string(),
    state: z.enum(AWS_SESSION_STATES),
    expiresAt: z.string().optional(),
  }),
} as const satisfies Record<string, z.ZodType>;
