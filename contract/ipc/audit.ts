import * as z from 'zod';
import { AuditFilterSchema } from '../audit-filter';
import type { MethodSchemas } from './shared';

export { AUDIT_ACTIONS, type AuditAction } from '../audit-event';

/**
 * One event as the timeline reads it. `action` and `outcome` stay plain strings here: a trail written by a newer
 * Latchkey may hold actions this one does not know, and the timeline still shows them.
 */
const AuditEntrySchema = z.object({
  seq: z.number().int(),
  time: z.string(),
  user: z.string(),
  action: z.string(),
  outcome: z.string(),
  profile: z.string().optional(),
  /** The file a sync or manifest change touched, so the timeline can name the project. */
  target: z.string().optional(),
  keys: z.array(z.string()).optional(),
  detail: z.string().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** The hash chain checked end to end: where it breaks, if it does. Problems name lines and kinds, never content. */
const AuditVerificationSchema = z.object({
  ok: z.boolean(),
  events: z.number().int(),
  problems: z.array(
    z.object({
      line: z.number().int().optional(),
      seq: z.number().int().optional(),
      problem: z.string(),
      kind: z.literal('anchor').optional(),
    }),
  ),
  anchoredSeq: z.number().int().optional(),
});
export type AuditVerificationView = z.infer<typeof AuditVerificationSchema>;

const AUDIT_EXPORT_FORMATS = ['csv', 'json'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

export const AUDIT_METHODS = {
  'audit.tail': {
    input: z.object({ limit: z.number().int().min(1).max(1000) }),
    output: z.object({ events: z.array(AuditEntrySchema) }),
  },
  'audit.verify': {
    input: z.object({}),
    output: AuditVerificationSchema,
  },
  /**
   * Writes the events the filter matches, from the whole trail, to a file the user picks in main's save dialog: the
   * window never names a path. `saved: false` when the user cancelled.
   */
  'audit.export': {
    input: z.object({ format: z.enum(AUDIT_EXPORT_FORMATS), filter: AuditFilterSchema }),
    output: z.object({ saved: z.boolean(), events: z.number().int(), fileName: z.string().optional() }),
  },
} as const satisfies Record<string, MethodSchemas>;
