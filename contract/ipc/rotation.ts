import * as z from 'zod';
import { RotationInfoSchema } from '../plan';
import { ProjectIdSchema, type MethodSchemas } from './shared';

/**
 * The Rotation worklist: one row per underlying secret across every recent project (main/app/rotation-scan.ts),
 * from metadata only. No value, ever: names, versions, dates and who changed them.
 */

const SecretUserSchema = z.object({
  projectId: ProjectIdSchema,
  dir: z.string(),
  project: z.string(),
  profile: z.string(),
  /** The variable's name in this profile's .env. */
  key: z.string(),
  maxAgeDays: z.number().positive(),
  /** The remote version differs from the one this profile last synced. */
  drifted: z.boolean(),
});
export type RotationSecretUser = z.infer<typeof SecretUserSchema>;

const WorklistRowSchema = z.object({
  id: z.string(),
  sourceKind: z.enum(['chamber', 'ssm', 'op', 's3']),
  /** An SSM name, the manifest's `op://` reference (with the field of a whole-item import), or `s3://bucket/key`. */
  parameter: z.string(),
  region: z.string().optional(),
  awsProfile: z.string().optional(),
  /** SSM's and 1Password's versions are numbers; an S3 object's is its VersionId (or ETag). */
  version: z.union([z.number().int(), z.string()]),
  lastModified: z.string().optional(),
  lastModifiedUser: z.string().optional(),
  rotation: RotationInfoSchema,
  overdueAt: z.string().optional(),
  users: z.array(SecretUserSchema).min(1),
  /**
   * Where the secret lives (the SSM or S3 console, the item in 1Password): https only, built main-side
   * (main/core/rotation-worklist.ts); opened through shell.openExternal.
   */
  consoleUrl: z.string().optional(),
});
export type RotationWorklistRow = z.infer<typeof WorklistRowSchema>;

const ProjectScanSchema = z.object({
  dir: z.string(),
  name: z.string(),
  /** Why this project's rows are missing; the others still count. */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

const RotationScanSchema = z.object({
  rows: z.array(WorklistRowSchema),
  projects: z.array(ProjectScanSchema),
  scannedAt: z.string(),
});
export type RotationScanView = z.infer<typeof RotationScanSchema>;

export const ROTATION_METHODS = {
  /** Scans every recent project's chamber, ssm, 1Password and S3 sources (metadata only); partial results come as rotation.progress. */
  'rotation.scan': { input: z.object({}), output: RotationScanSchema },
} as const satisfies Record<string, MethodSchemas>;

export const ROTATION_EVENTS = {
  /** Everything found so far, after each project. */
  'rotation.progress': RotationScanSchema.extend({ done: z.number().int(), total: z.number().int() }),
} as const satisfies Record<string, z.ZodType>;
