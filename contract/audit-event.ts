import * as z from 'zod';

// The audit trail's own vocabulary, apart from the audit IPC methods (ipc/audit.ts re-exports the actions):
// main/core/audit.ts needs only these two enums, and every resolving CLI command loads it, so it should not build
// the methods' schemas and the audit filter's on the way (issue 12: start-up).

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
  'secret.delete',
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
