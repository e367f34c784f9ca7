import { z } from 'zod';
import type { MethodSchemas } from './shared';

/** What the audit trail records. Extend this list when a feature adds an audited action; old logs stay valid. */
export const AUDIT_ACTIONS = [
  'sync',
  'reveal',
  'copy',
  'exec',
  'export',
  'inject',
  'session.start',
  'session.stop',
  'session.refresh',
  'profile.switch',
  'key.import',
  'key.delete',
  'key.rotate',
  'settings.change',
  'manifest.change',
  'secret.set',
  'chamber.read',
  'chamber.write',
  'chamber.delete',
  'chamber.import',
  'secret.rotate',
] as const;
export const AuditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditActionSchema>;

/** `intent`: recorded before a write whose outcome follows in its own event (issue 10, item 9). */
const AUDIT_OUTCOMES = ['ok', 'error', 'cancelled', 'intent'] as const;
export const AuditOutcomeSchema = z.enum(AUDIT_OUTCOMES);

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

export const AUDIT_METHODS = {
  'audit.tail': {
    input: z.object({ limit: z.number().int().min(1).max(1000) }),
    output: z.object({ events: z.array(AuditEntrySchema) }),
  },
} as const satisfies Record<string, MethodSchemas>;
