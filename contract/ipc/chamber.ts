import * as z from 'zod';
import { ProjectIdSchema, type MethodSchemas } from './shared';

/**
 * The service browser: chamber's services and their keys in SSM, read-only. Names, versions, dates and who changed
 * them; no method here returns a value.
 */

/** chamber's service rule (lower-cased by main): segments of letters, digits, `_ - .`, joined by single `/`. */
const ChamberServiceSchema = z
  .string()
  .regex(/^[\w\-.]+(\/[\w\-.]+)*$/)
  .max(512);

/**
 * Where to look: the AWS settings (`aws:`) of the open project when its id is given, else the environment's
 * credentials, as `latchkey chamber` does outside a project. Strict: a folder path beside the id is refused,
 * never ignored (main takes no path from the window).
 */
const ScopeInput = z.strictObject({ projectId: ProjectIdSchema.optional() });

const ChamberServiceViewSchema = z.object({ service: z.string(), keys: z.number().int().nonnegative() });
export type ChamberServiceView = z.infer<typeof ChamberServiceViewSchema>;

const ChamberKeyViewSchema = z.object({
  service: z.string(),
  key: z.string(),
  /** SSM's version of the parameter. */
  version: z.number().int(),
  /** chamber's own counter (the Description); 0 where another tool wrote the parameter. */
  chamberVersion: z.number().int(),
  lastModified: z.string().optional(),
  /** The ARN of who wrote the current version (SSM's LastModifiedUser). */
  lastModifiedUser: z.string().optional(),
});
export type ChamberKeyView = z.infer<typeof ChamberKeyViewSchema>;

export const CHAMBER_METHODS = {
  /** Every service the credentials can see, with how many keys each holds. */
  'chamber.listServices': {
    input: ScopeInput,
    output: z.object({ services: z.array(ChamberServiceViewSchema) }),
  },
  'chamber.listKeys': {
    input: ScopeInput.extend({ service: ChamberServiceSchema }),
    output: z.object({ keys: z.array(ChamberKeyViewSchema) }),
  },
  /**
   * Keys matching a glob across every service: `*` and `?` within a segment, `**` across; a pattern with a `/`
   * is matched against `service/key`, otherwise against the key.
   */
  'chamber.find': {
    input: ScopeInput.extend({ pattern: z.string().min(1).max(512) }),
    output: z.object({ keys: z.array(ChamberKeyViewSchema) }),
  },
} as const satisfies Record<string, MethodSchemas>;
