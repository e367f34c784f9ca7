import * as z from 'zod';
import { DialectSchema, SourceKindSchema } from '../plan';
import { EnvNameSchema, ProfileNameSchema, ProjectIdSchema, ProjectRefSchema, type MethodSchemas } from './shared';

/** latchkey.yml as the app reads and edits it. */

const SourceViewSchema = z.object({
  index: z.number().int().nonnegative(),
  kind: SourceKindSchema,
  /** What the entry names: service, parameter, reference, keychain name; `set` for plain values. */
  ref: z.string(),
  as: z.string().optional(),
  only: z.array(z.string()).optional(),
  file: z.string().optional(),
  /** `set` entries: the names, and the plain values written in the manifest (never secrets: they are committed). */
  keys: z.array(z.string()).optional(),
  values: z.record(z.string(), z.string()).optional(),
  line: z.number().int().optional(),
  col: z.number().int().optional(),
});
export type SourceView = z.infer<typeof SourceViewSchema>;

const ProfileViewSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  target: z.string(),
  dialect: DialectSchema,
  maxAgeDays: z.number(),
  sources: z.array(SourceViewSchema),
});
export type ProfileView = z.infer<typeof ProfileViewSchema>;

const ManifestViewSchema = z.object({
  path: z.string(),
  dir: z.string(),
  aws: z.object({ profile: z.string().optional(), region: z.string().optional() }),
  maxAgeDays: z.number(),
  profiles: z.array(ProfileViewSchema),
});
export type ManifestView = z.infer<typeof ManifestViewSchema>;

/** The scheme a 1Password reference starts with. */
export const OP_REF_PREFIX = 'op://';
/** The scheme an S3 object URL starts with. */
export const S3_URL_PREFIX = 's3://';

/**
 * A source entry as the profile editor sends it. The editor checks its fields with these same schemas as the user
 * types; main checks the draft here again, and once more with the manifest's full rules when it writes the file.
 */
const SourceDraftSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('chamber'),
    service: z.string().min(1).max(512),
    only: z.array(z.string().max(256)).max(500).optional(),
  }),
  z.object({ kind: z.literal('ssm'), name: z.string().min(1).max(2048), as: EnvNameSchema.optional() }),
  z.object({
    kind: z.literal('op'),
    ref: z.string().min(1).max(2048).startsWith(OP_REF_PREFIX),
    as: EnvNameSchema.optional(),
  }),
  z.object({ kind: z.literal('keychain'), name: EnvNameSchema }),
  z.object({
    kind: z.literal('s3'),
    url: z.string().min(1).max(2048).startsWith(S3_URL_PREFIX),
    as: EnvNameSchema.optional(),
    file: z.string().max(1024).optional(),
  }),
  z.object({ kind: z.literal('set'), values: z.record(EnvNameSchema, z.string().max(4096)) }),
]);
export type SourceDraft = z.infer<typeof SourceDraftSchema>;

export const ProfileDraftSchema = z.object({
  name: ProfileNameSchema,
  description: z.string().max(500).optional(),
  target: z.string().min(1).max(1024),
  dialect: DialectSchema.optional(),
  sources: z.array(SourceDraftSchema).max(200),
});
export type ProfileDraft = z.infer<typeof ProfileDraftSchema>;

export const MANIFEST_METHODS = {
  /** Opens the project's latchkey.yml in the user's editor (main finds the file; the window names only the project). */
  'manifest.openInEditor': { input: ProjectRefSchema, output: z.object({}) },
  'manifest.read': { input: ProjectRefSchema, output: z.object({ manifest: ManifestViewSchema }) },
  /** Creates latchkey.yml in a registered folder that has none (the guided form). */
  'manifest.create': {
    input: z.object({
      projectId: ProjectIdSchema,
      aws: z.object({ profile: z.string().max(200).optional(), region: z.string().max(50).optional() }),
      profile: ProfileDraftSchema,
    }),
    output: z.object({ manifest: ManifestViewSchema }),
  },
  /** Adds or replaces one profile; every comment and every other profile is kept. */
  'manifest.writeProfile': {
    input: z.object({
      projectId: ProjectIdSchema,
      previousName: ProfileNameSchema.optional(),
      profile: ProfileDraftSchema,
    }),
    output: z.object({ manifest: ManifestViewSchema }),
  },
} as const satisfies Record<string, MethodSchemas>;
