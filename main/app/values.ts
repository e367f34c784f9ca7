import { resolveValues, type SyncProgress } from '../core/sync';
import { recordAudit } from './audit-trail';
import type { AppDeps } from './deps';
import { formatExport, type ExportFormat } from './export-formats';
import { loadProject, type ProjectRef } from './project-lookup';

export { EXPORT_FORMATS, type ExportFormat } from './export-formats';

export interface ValuesRequest {
  project: ProjectRef;
  profile: string | undefined;
  onProgress?: (progress: SyncProgress) => void;
  /** The sources' warnings, told as soon as the values are resolved. */
  onWarning?: (text: string) => void;
}

/** Who got which keys (never their values), and through what: the command's name, or the export format. */
function auditUse(
  deps: AppDeps,
  action: 'exec' | 'export',
  profile: string,
  values: Map<string, string>,
  detail: string,
) {
  return recordAudit(deps, { action, profile, keys: [...values.keys()], outcome: 'ok', detail });
}

async function resolveFor(deps: AppDeps, request: ValuesRequest) {
  const manifest = await loadProject(request.project);
  const resolved = await resolveValues(manifest, request.profile, deps.runtime.syncEnvironment(manifest), {
    ...(request.onProgress && { onProgress: request.onProgress }),
  });
  resolved.warnings.forEach((w) => request.onWarning?.(w));
  return resolved;
}

/** The profile's values for a child process's environment (no file is written); audited with the command's name. */
export async function valuesForExec(
  deps: AppDeps,
  request: ValuesRequest & { command: string },
): Promise<Map<string, string>> {
  const { profile, values } = await resolveFor(deps, request);
  await auditUse(deps, 'exec', profile.name, values, request.command);
  return values;
}

/** The profile's values in another tool's format (they are revealed); audited once the text exists. */
export async function exportValues(deps: AppDeps, request: ValuesRequest & { format: ExportFormat }): Promise<string> {
  const { profile, values } = await resolveFor(deps, request);
  const text = formatExport(values, request.format, profile.name);
  await auditUse(deps, 'export', profile.name, values, request.format);
  return text;
}
