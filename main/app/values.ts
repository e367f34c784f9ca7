import { appendFile } from 'node:fs/promises';
import { LatchkeyError } from '../core/errors';
import { execEnvironment } from '../core/exec-env';
import {
  formatExport,
  githubEnvEntries,
  githubMasks,
  type ExportFormat,
  type ExportOutput,
  type FileEntry,
  type K8sSecretOptions,
} from '../core/export';
import { transformNames, type NameTransform } from '../core/name-transform';
import { resolveValues, type SyncProgress } from '../core/sync';
import { recordAudit } from './audit-trail';
import type { AppDeps } from './deps';
import { loadProject, type ProjectRef } from './project-lookup';

export type { ExportFormat, K8sSecretOptions } from '../core/export';
export type { NameCase, NameTransform } from '../core/name-transform';

interface ValuesRequest {
  project: ProjectRef;
  profile: string | undefined;
  /** `--prefix` and `--case`: the names the consumer gets. */
  names?: NameTransform;
  onProgress?: (progress: SyncProgress) => void;
  /** The sources' warnings, told as soon as the values are resolved. */
  onWarning?: (text: string) => void;
  /** `--timeout`: how long reading every source may take in all, in ms (default 60 s). */
  deadlineMs?: number | undefined;
}

async function resolveFor(deps: AppDeps, request: ValuesRequest, nothingWas: 'run' | 'printed') {
  const manifest = await loadProject(request.project);
  const resolved = await resolveValues(manifest, request.profile, deps.runtime.syncEnvironment(manifest), {
    ...(request.onProgress && { onProgress: request.onProgress }),
    ...(request.deadlineMs !== undefined && { deadlineMs: request.deadlineMs }),
    nothingWas,
  });
  resolved.warnings.forEach((w) => request.onWarning?.(w));
  const files: FileEntry[] = resolved.files.flatMap((secret) =>
    secret.spec.kind === 's3' && secret.spec.file !== undefined
      ? [{ path: secret.spec.file, bytes: Buffer.from(secret.bytes ?? new Uint8Array()) }]
      : [],
  );
  return {
    profile: resolved.profile,
    values: transformNames(resolved.values, request.names ?? {}),
    // The audit names the profile's keys as the manifest knows them, whatever the consumer called them.
    keys: [...resolved.values.keys()],
    files,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// exec

export interface ExecRequest extends ValuesRequest {
  /** The command and its arguments. */
  command: string[];
  /** The caller's environment: what the child inherits, or with `pristine` only PATH, HOME, TERM and USER of it. */
  baseEnv: NodeJS.ProcessEnv;
  pristine?: boolean;
  /**
   * On a GitHub Actions runner: called with the `::add-mask::` lines for every value before the command starts,
   * so that whatever the command prints, the runner's log shows *** instead.
   */
  onGithubMasks?: (text: string) => void;
}

/** How a child ended: its exit code (shell convention: 128 + signal, 127 not found, 126 not executable). */
export interface ExecOutcome {
  exitCode: number;
  /** The signal that ended it, when one did. */
  signal?: string;
  /** Why it never ran, in words (no value): `command not found`, `permission denied`. */
  notRun?: string;
}

/** Starts the command with `env` and settles when it has ended; the CLI's runner, a test's stand-in. */
export type RunCommand = (command: string[], env: NodeJS.ProcessEnv) => Promise<ExecOutcome>;

/**
 * Runs a command with the profile's values in its environment (no file is written), then records the real
 * outcome in the audit trail: the command's name and how it ended, the key names, never a value.
 */
export async function execWithValues(deps: AppDeps, request: ExecRequest, run: RunCommand): Promise<ExecOutcome> {
  const [file] = request.command;
  if (file === undefined) throw new LatchkeyError('INVALID_INPUT', 'no command given');
  const { profile, values, keys } = await resolveFor(deps, request, 'run');
  const env = execEnvironment(request.baseEnv, values, { pristine: request.pristine });
  request.onGithubMasks?.(githubMasks(values.values()));
  const outcome = await run(request.command, env);
  await recordAudit(deps, {
    action: 'exec',
    profile: profile.name,
    keys,
    outcome: outcome.exitCode === 0 ? 'ok' : 'error',
    detail: describeOutcome(file, outcome),
  });
  return outcome;
}

function describeOutcome(file: string, outcome: ExecOutcome): string {
  const name = file.length > 200 ? `${file.slice(0, 200)}…` : file;
  if (outcome.notRun) return `${name}: ${outcome.notRun} (exit ${outcome.exitCode})`;
  if (outcome.signal) return `${name}: ended by ${outcome.signal} (exit ${outcome.exitCode})`;
  return `${name}: exit ${outcome.exitCode}`;
}

// ---------------------------------------------------------------------------------------------------------------
// export

export interface ExportRequest extends ValuesRequest {
  format: ExportFormat;
  k8s?: K8sSecretOptions;
  /**
   * `--github-env`: append the values to this file (the runner's $GITHUB_ENV) instead of returning them; the text
   * returned then holds only the `::add-mask::` lines.
   */
  githubEnvFile?: string;
}

/** The profile's values in another tool's format (they are revealed); audited once the text exists. */
export async function exportValues(deps: AppDeps, request: ExportRequest): Promise<ExportOutput> {
  const { profile, values, keys, files } = await resolveFor(deps, request, 'printed');
  let output: ExportOutput;
  let detail: string = request.format;
  if (request.githubEnvFile !== undefined) {
    if (request.format !== 'github') {
      throw new LatchkeyError('INVALID_INPUT', '--github-env goes with --format github');
    }
    const entries = githubEnvEntries(values);
    await appendFile(request.githubEnvFile, entries, { encoding: 'utf8', mode: 0o600 });
    output = { text: githubMasks(values.values()), warnings: [] };
    detail = 'github, appended to $GITHUB_ENV';
  } else {
    output = formatExport({ values, files, profile: profile.name, format: request.format, k8s: request.k8s });
  }
  await recordAudit(deps, { action: 'export', profile: profile.name, keys, outcome: 'ok', detail });
  return output;
}
