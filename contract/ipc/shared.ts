import * as z from 'zod';
import { ErrorActionSchema, ErrorCodeSchema } from '../errors';

/** Shapes and rules every area of the IPC contract uses; the core and the renderer validate with the same ones. */

/** A method: what it takes and what it returns, both checked by the router. */
export type MethodSchemas = { input: z.ZodType; output: z.ZodType };

/**
 * A project folder as the renderer names it: an opaque id that main issued when the folder entered its registry
 * (the native folder dialog, File ▸ Open Recent, the command line, the stored recent list). Never a path: a path
 * from the renderer is refused here, before any handler runs (issue 10, finding 11).
 */
const PROJECT_ID_PATTERN = /^p_[A-Za-z0-9_-]{22}$/;
export const ProjectIdSchema = z.string().regex(PROJECT_ID_PATTERN);
export const ProjectRefSchema = z.object({ projectId: ProjectIdSchema });

/** A profile's name in latchkey.yml (and on the command line): a letter or digit first, then `_`, `.` or `-` too. */
export const PROFILE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** The pattern in words, for messages ("use …"). */
export const PROFILE_NAME_RULE = 'letters, digits, _ . and -, starting with a letter or digit';
export const ProfileNameSchema = z.string().regex(PROFILE_NAME_PATTERN).max(200);

/** A portable environment variable name: what every `.env` reader and every shell accepts. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const EnvNameSchema = z.string().regex(ENV_NAME_PATTERN).max(256);

export const ProfileRef = ProjectRefSchema.extend({ profile: ProfileNameSchema });

/** A file secret, by its path as latchkey.yml writes it (`file:`); main only ever matches it against the manifest. */
export const FileSecretPathSchema = z.string().min(1).max(1024);

/** The manifest's lines around a problem, to show it in place with a caret under `col` of `line`. */
const ManifestExcerptSchema = z.object({
  /** The number of the first line given. */
  firstLine: z.number().int().min(1),
  lines: z.array(z.string().max(400)).max(5),
});

const ManifestProblemSchema = z.object({
  line: z.number().int(),
  col: z.number().int(),
  path: z.string(),
  message: z.string(),
  excerpt: ManifestExcerptSchema.optional(),
});
export type ManifestProblem = z.infer<typeof ManifestProblemSchema>;

export const IpcErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  hint: z.string().optional(),
  /** For MANIFEST_INVALID: every problem with its position. */
  problems: z.array(ManifestProblemSchema).optional(),
  /** For NEEDS_INPUT: the personal secrets to ask for. */
  missing: z.array(EnvNameSchema).optional(),
  /** What the app offers to do about it (a button); the hint, written for the CLI, is not shown in the app. */
  action: ErrorActionSchema.optional(),
});
export type IpcError = z.infer<typeof IpcErrorSchema>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: IpcError };
