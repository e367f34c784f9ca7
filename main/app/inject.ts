import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { assertSafeTarget, ensureParentDir, writeFileAtomic } from '../core/atomic-write';
import { LatchkeyError } from '../core/errors';
import { insidePathProblem } from '../core/manifest-schema';
import { profileOf, resolveSpecs, resolveValues, type SyncProgress } from '../core/sync';
import { parseTemplate, renderTemplate, type TemplateRef } from '../core/template';
import type { AwsSettings, Manifest, OpSpec, ResolvedSecret, SsmSpec } from '../core/types';
import { recordAudit } from './audit-trail';
import type { AppDeps } from './deps';
import { loadProject, type CliProjectRef } from './project-lookup';

export interface InjectRequest {
  project: CliProjectRef;
  /** The profile whose `env:` names and `aws:` settings the template uses (optional with one profile). */
  profile: string | undefined;
  /** The template file, relative to the working directory. */
  template: string;
  /** The output file, relative to the working directory; `-` returns the text instead (stdout). */
  output: string;
  onProgress?: (progress: SyncProgress) => void;
  onWarning?: (text: string) => void;
  /** `--timeout`: how long reading every source may take in all, in ms (default 60 s). */
  deadlineMs?: number | undefined;
}

export interface InjectResult {
  /** Set when the output is `-`: the rendered text, for the caller to print. */
  text?: string;
  /** The file written, when the output is a file. */
  wrote?: string;
  references: number;
}

/**
 * Renders a template with its references resolved. Every reference is resolved before anything is written: one
 * that fails writes nothing. The output file follows the `.env` target's rules: inside the manifest's folder,
 * not a symlink, not a place another program runs, written atomically and 0600.
 */
export async function injectTemplate(deps: AppDeps, request: InjectRequest): Promise<InjectResult> {
  const manifest = await loadProject(request.project);
  const templateFile = path.resolve(request.project.cwd, request.template);
  const parts = parseTemplate(await readTemplate(templateFile), request.template);
  const refs = parts.filter((p): p is TemplateRef => typeof p !== 'string');
  const output = request.output === '-' ? undefined : await checkedOutput(manifest, request);

  const needsProfile = refs.some((r) => r.kind === 'env') || request.profile !== undefined;
  const profile = needsProfile ? profileOf(manifest, request.profile) : undefined;
  const aws = profile?.aws ?? manifest.aws;
  const [byRef, envValues] = await Promise.all([
    resolveReferences(deps, manifest, refs, aws, { deadlineMs: request.deadlineMs }),
    refs.some((r) => r.kind === 'env') && profile
      ? resolveValues(manifest, profile.name, deps.runtime.syncEnvironment(manifest), {
          ...(request.onProgress && { onProgress: request.onProgress }),
          ...(request.deadlineMs !== undefined && { deadlineMs: request.deadlineMs }),
          nothingWas: 'written',
        }).then((r) => r.values)
      : Promise.resolve(new Map<string, string>()),
  ]);
  const missingEnv = refs.filter((r) => r.kind === 'env' && !envValues.has(r.body));
  if (missingEnv.length > 0) {
    throw new LatchkeyError(
      'SOURCE_NOT_FOUND',
      `the profile ${profile?.name ?? ''} produces no ${missingEnv.map((r) => r.body).join(', ')} (${missingEnv
        .map((r) => `${request.template}:${r.line}:${r.col}`)
        .join(', ')})`,
      'Nothing was written.',
    );
  }
  const text = renderTemplate(parts, (ref) => (ref.kind === 'env' ? envValues.get(ref.body)! : byRef.get(ref.text)!));

  if (output) {
    await ensureParentDir(output, manifest.dir);
    await writeFileAtomic(output, text, { mode: 0o600 });
  }
  await recordAudit(deps, {
    action: 'inject',
    ...(profile && { profile: profile.name }),
    target: output ?? '-',
    keys: [...new Set(refs.map((r) => r.text))],
    outcome: 'ok',
    detail: request.template.length > 200 ? `${request.template.slice(0, 200)}…` : request.template,
  });
  return output ? { wrote: output, references: refs.length } : { text, references: refs.length };
}

async function readTemplate(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unexpected error';
    throw new LatchkeyError('INVALID_INPUT', `cannot read the template ${file} (${code})`);
  }
}

/** The output path, held to the target rules before any source is contacted. */
async function checkedOutput(manifest: Manifest, request: InjectRequest): Promise<string> {
  const absolute = path.resolve(request.project.cwd, request.output);
  const relative = path.relative(manifest.dir, absolute).split(path.sep).join('/');
  const problem = insidePathProblem(relative);
  if (problem) {
    throw new LatchkeyError(
      'TARGET_UNSAFE',
      `-o ${request.output}: ${problem.replace(/^"[^"]*"/, JSON.stringify(relative))}`,
      `The output must be a file inside ${manifest.dir}, like a profile's target.`,
    );
  }
  await assertSafeTarget(absolute, manifest.dir);
  return absolute;
}

/**
 * Every distinct op/chamber/ssm reference, resolved through the same sources a sync uses, all at once and within
 * the same whole-operation deadline; the values are remembered by the sanitiser like a profile's.
 */
async function resolveReferences(
  deps: AppDeps,
  manifest: Manifest,
  refs: TemplateRef[],
  aws: AwsSettings,
  options: { deadlineMs?: number | undefined },
): Promise<Map<string, string>> {
  const distinct = [...new Map(refs.filter((r) => r.kind !== 'env').map((r) => [r.text, r])).values()];
  if (distinct.length === 0) return new Map();
  const specs = distinct.map((ref, index) => specFor(ref, index, aws));
  const { secrets } = await resolveSpecs(specs, deps.runtime.syncEnvironment(manifest), {
    ...(options.deadlineMs !== undefined && { deadlineMs: options.deadlineMs }),
  });
  const values = new Map<string, string>();
  distinct.forEach((ref, index) => {
    const secret: ResolvedSecret | undefined = secrets.find((s) => s.spec.index === index);
    if (secret?.value === undefined) {
      throw new LatchkeyError('SOURCE_NOT_FOUND', `${ref.text}: no value (line ${ref.line})`, 'Nothing was written.');
    }
    values.set(ref.text, secret.value);
  });
  return values;
}

/** chamber:service/key is the SSM parameter /service/key, lower-cased as chamber stores it. */
function specFor(ref: TemplateRef, index: number, aws: AwsSettings): SsmSpec | OpSpec {
  switch (ref.kind) {
    case 'op':
      return { kind: 'op', ref: `op:${ref.body}`, index };
    case 'chamber':
      return { kind: 'ssm', name: `/${ref.body.toLowerCase()}`, index, aws };
    case 'ssm':
      return { kind: 'ssm', name: ref.body, index, aws };
    case 'env':
      throw new LatchkeyError('INTERNAL', 'env: references are not resolved by a source');
  }
}
