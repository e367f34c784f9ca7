import * as z from 'zod';
import { EnvNameSchema, ProfileRef, type MethodSchemas } from './shared';

/**
 * A profile's shared keys (from `chamber:` and `ssm:` sources) as the key drawer acts on them: what is behind one,
 * rotating it, and writing a value the user typed. No output carries a value: `write` takes one in and answers with
 * versions only.
 */

/** The steps of a rotation, in order (`sharedSecrets.progress`); `sync` only when a re-sync was asked for. */
export const ROTATE_STEPS = ['read', 'generate', 'write', 'audit', 'sync'] as const;
export type RotateStep = (typeof ROTATE_STEPS)[number];

const GENERATE_CHARSETS = ['url-safe', 'alphanumeric', 'hex', 'printable'] as const;
const GeneratePolicySchema = z.object({ length: z.number().int().positive(), charset: z.enum(GENERATE_CHARSETS) });
export type GeneratePolicyView = z.infer<typeof GeneratePolicySchema>;

/** Another profile, among the recent projects, that reads the same parameter: it needs a sync after a change. */
const OtherUseSchema = z.object({ project: z.string(), profile: z.string() });
export type OtherUseView = z.infer<typeof OtherUseSchema>;

const VersionFields = {
  version: z.number().int().nonnegative(),
  /** chamber's own counter (the Description); 0 where another tool wrote it. */
  chamberVersion: z.number().int().nonnegative(),
  lastModified: z.string().optional(),
  lastModifiedUser: z.string().optional(),
};

const HistoryEntrySchema = z.object({ ...VersionFields, labels: z.array(z.string()) });
export type SharedHistoryEntry = z.infer<typeof HistoryEntrySchema>;

const SharedKeyInput = ProfileRef.extend({ key: EnvNameSchema });

const DescriptionSchema = z.object({
  key: z.string(),
  profile: z.string(),
  parameter: z.string(),
  sourceKind: z.enum(['chamber', 'ssm']),
  ...VersionFields,
  /** Oldest first. */
  history: z.array(HistoryEntrySchema),
  policy: GeneratePolicySchema,
  otherUses: z.array(OtherUseSchema),
});
export type SharedKeyView = z.infer<typeof DescriptionSchema>;

const RotateResultSchema = z.object({
  key: z.string(),
  parameter: z.string(),
  previousVersion: z.number().int().nonnegative(),
  version: z.number().int().nonnegative(),
  policy: GeneratePolicySchema,
  /** Present when a re-sync was asked for: the rotation stands even when the sync failed. */
  sync: z
    .discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), wrote: z.boolean() }),
      z.object({ ok: z.literal(false), code: z.string(), message: z.string() }),
    ])
    .optional(),
  otherUses: z.array(OtherUseSchema),
});
export type SharedRotateResult = z.infer<typeof RotateResultSchema>;

export const SHARED_SECRET_METHODS = {
  'sharedSecrets.describe': { input: SharedKeyInput, output: DescriptionSchema },
  /** A new value from main's CSPRNG, written over the version just read; audited. */
  'sharedSecrets.rotate': {
    input: SharedKeyInput.extend({ sync: z.boolean().optional() }),
    output: RotateResultSchema,
  },
  /** The value crosses once, into SSM, only over `ifVersion`; it is never returned. */
  'sharedSecrets.write': {
    input: SharedKeyInput.extend({
      value: z.string().min(1).max(8192),
      ifVersion: z.number().int().positive(),
    }),
    output: z.object({
      key: z.string(),
      parameter: z.string(),
      previousVersion: z.number().int().nonnegative(),
      version: z.number().int().nonnegative(),
      otherUses: z.array(OtherUseSchema),
    }),
  },
} as const satisfies Record<string, MethodSchemas>;

export const SHARED_SECRET_EVENTS = {
  /** The step a rotation started, for the window that asked for it. */
  'sharedSecrets.progress': z.object({ profile: z.string(), key: z.string(), step: z.enum(ROTATE_STEPS) }),
} as const satisfies Record<string, z.ZodType>;
