import type { AuditEvent, AuditInput, AuditVerification } from '../core/audit';
import type { AuditFilter } from '../../contract/audit-filter';
import { auditFilterPredicate } from '../../contract/audit-filter-predicate';
import type { AuditExportFormat } from '../../contract/ipc/audit';
import { writeFileAtomic } from '../core/atomic-write';
import { isLatchkeyError } from '../core/errors';
import { nowOf, type AppDeps } from './deps';
import { lazyModule } from './lazy';

// The trail (its schemas) and its export formats load with the first event written or read: a plan records none,
// and loading them was on its way to its first request (issue 12: start-up).
const trail = lazyModule(() => import('../core/audit'));
const formats = lazyModule(() => import('../core/audit-export'));

export type { AuditEvent, AuditInput, AuditVerification };

export async function recordAudit(deps: AppDeps, input: AuditInput): Promise<void> {
  await trail.fn('appendAuditEvent')(deps.runtime.appDir, input);
}

/**
 * Runs `work` and records how it went: one `ok` event after it succeeds, or one `error` event naming the error's
 * code (never its message, which may quote data) before its error is rethrown. A failure to record the error
 * event must not hide the error itself.
 */
export async function auditedAttempt<T>(
  deps: AppDeps,
  event: (outcome: 'ok' | 'error', code?: string) => AuditInput,
  work: () => Promise<T>,
): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    const code = isLatchkeyError(error) ? error.code : 'INTERNAL';
    await recordAudit(deps, event('error', code)).catch(() => undefined);
    throw error;
  }
  await recordAudit(deps, event('ok'));
  return result;
}

/** The latest `count` events, oldest first, as the log holds them. */
export function auditTail(deps: AppDeps, count: number): Promise<AuditEvent[]> {
  return trail.fn('tailAudit')(deps.runtime.appDir, count);
}

/**
 * The hash chain checked end to end (any edit, deletion or truncation is found), and the keychain-sealed anchor
 * (a log cut and re-sealed is found too). The anchor is checked with the runtime's keychain itself: the sealing
 * view answers only once something else used the keychain, and a verify is asked for by name, so it may reach it.
 */
export function auditVerify(deps: AppDeps): Promise<AuditVerification> {
  return trail.fn('verifyAudit')(deps.runtime.appDir, { keychain: deps.runtime.keychain });
}

export interface AuditExportRequest {
  /** Chosen by the user in main's save dialog, never by the window. */
  file: string;
  format: AuditExportFormat;
  filter: AuditFilter;
}

/** Writes the events of the whole trail that the filter matches; returns how many. Private to the user, atomic. */
export async function auditExport(deps: AppDeps, request: AuditExportRequest): Promise<number> {
  const { auditCsv, auditJson } = await formats.get();
  const matches = auditFilterPredicate(request.filter);
  const events = (await trail.fn('tailAudit')(deps.runtime.appDir, Number.MAX_SAFE_INTEGER)).filter(matches);
  const text = request.format === 'csv' ? auditCsv(events) : auditJson(events, nowOf(deps));
  await writeFileAtomic(request.file, text, { mode: 0o600 });
  return events.length;
}
