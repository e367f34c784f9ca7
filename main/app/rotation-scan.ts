import path from 'node:path';
import { parameterName } from '../core/chamber-rules';
import { isLatchkeyError } from '../core/errors';
import { loadManifest } from '../core/manifest';
import { listProjectEntries } from '../core/projects';
import {
  buildWorklist,
  envNameOf,
  regionOf,
  scannedSources,
  type ScanFinding,
  type WorklistRow,
} from '../core/rotation-worklist';
import { loadSyncState } from '../core/state';
import { originId, type ChamberSpec, type Manifest, type SsmSpec } from '../core/types';
import type { ParameterInfo, ParameterStore } from '../sources/chamber-store';
import { parameterStoreFor } from './chamber';
import { awsEnvOf, nowOf, type AppDeps } from './deps';

/**
 * The Rotation worklist's background scan: every recent project, every profile, its chamber and ssm sources
 * described (DescribeParameters: names, versions, dates; never a value). A project that fails (its manifest, its
 * credentials, a denied describe) is reported on its own and the others still count; each parameter is one row
 * however many profiles read it.
 */

/** How one project's scan went; `error` says why its rows are missing. */
interface ProjectScan {
  dir: string;
  name: string;
  error?: { code: string; message: string };
}

export interface RotationScan {
  rows: WorklistRow[];
  projects: ProjectScan[];
  scannedAt: string;
}

export interface RotationScanRequest {
  /** Told after each project, with everything found so far, so a window can fill in as the scan goes. */
  onProgress?: (partial: RotationScan & { done: number; total: number }) => void;
}

export async function scanRotation(deps: AppDeps, request: RotationScanRequest = {}): Promise<RotationScan> {
  const entries = await listProjectEntries(deps.runtime.appDir);
  const findings: ScanFinding[] = [];
  const projects: ProjectScan[] = [];
  // One describe per (AWS setting, path) however many profiles share it: a service read by three profiles is
  // listed once.
  const described = new Map<string, Promise<ParameterInfo[]>>();
  const snapshot = (): RotationScan => ({
    rows: buildWorklist(findings, nowOf(deps)),
    projects: [...projects],
    scannedAt: nowOf(deps).toISOString(),
  });
  for (const entry of entries) {
    const name = path.basename(entry.dir) || entry.dir;
    let manifest: Manifest;
    try {
      manifest = await loadManifest({ dir: entry.dir });
    } catch (error) {
      // A folder without latchkey.yml has nothing to scan; that is no failure to report.
      const none = isLatchkeyError(error) && error.code === 'MANIFEST_NOT_FOUND';
      projects.push(none ? { dir: entry.dir, name } : { dir: entry.dir, name, error: scanError(error) });
      request.onProgress?.({ ...snapshot(), done: projects.length, total: entries.length });
      continue;
    }
    // One source that fails (credentials, a denied describe) loses only its own rows; the first such error is
    // the project's, so the window can say why rows may be missing.
    let firstError: unknown;
    const found = await scanProject(deps, manifest, name, described, (error) => (firstError ??= error));
    for (const f of found) findings.push(f);
    projects.push(
      firstError === undefined ? { dir: entry.dir, name } : { dir: entry.dir, name, error: scanError(firstError) },
    );
    request.onProgress?.({ ...snapshot(), done: projects.length, total: entries.length });
  }
  return snapshot();
}

async function scanProject(
  deps: AppDeps,
  manifest: Manifest,
  project: string,
  described: Map<string, Promise<ParameterInfo[]>>,
  failed: (error: unknown) => void,
): Promise<ScanFinding[]> {
  const env = awsEnvOf(deps);
  const out: ScanFinding[] = [];
  for (const profile of manifest.profiles.values()) {
    const sources = scannedSources(profile);
    if (sources.length === 0) continue;
    // The versions this profile last synced, by origin: a remote version that differs is drift.
    const state = await loadSyncState(deps.runtime.appDir, profile.target).catch(() => undefined);
    const synced = new Map<string, string | undefined>();
    for (const e of state?.entries.values() ?? []) synced.set(e.origin, e.version);
    for (const spec of sources) {
      let parameters: ParameterInfo[];
      try {
        parameters = await describeSpec(await parameterStoreFor(deps, spec.aws), spec, described);
      } catch (error) {
        failed(error);
        continue;
      }
      for (const p of parameters) {
        const key = envNameOf(spec, p.name);
        if (key === undefined) continue;
        const origin = originId(spec, spec.kind === 'ssm' ? spec.name : p.name.slice(p.name.lastIndexOf('/') + 1));
        const syncedVersion = synced.get(origin);
        out.push({
          awsProfile: nonEmpty(env.AWS_PROFILE) ?? spec.aws.profile,
          region: regionOf(spec.aws, env),
          parameter: p.name,
          sourceKind: spec.kind,
          version: p.version,
          lastModified: p.lastModified,
          lastModifiedUser: p.lastModifiedUser,
          user: {
            dir: manifest.dir,
            project,
            profile: profile.name,
            key,
            maxAgeDays: (spec.rotation ?? profile.rotation).maxAgeDays,
            drifted: syncedVersion !== undefined && syncedVersion !== String(p.version),
          },
        });
      }
    }
  }
  return out;
}

function describeSpec(
  store: ParameterStore,
  spec: ChamberSpec | SsmSpec,
  described: Map<string, Promise<ParameterInfo[]>>,
): Promise<ParameterInfo[]> {
  const awsKey = JSON.stringify([spec.aws.profile ?? '', spec.aws.region ?? '', spec.aws.roleArn ?? '']);
  const once = (what: string, list: () => Promise<ParameterInfo[]>) => {
    const id = `${awsKey}${what}`;
    let found = described.get(id);
    if (!found) {
      found = list();
      described.set(id, found);
    }
    return found;
  };
  if (spec.kind === 'ssm')
    return once(`=${spec.name}`, async () => [await store.describe(spec.name)].flatMap((p) => p ?? []));
  if (spec.only) {
    const names = new Set(spec.only.map((k) => parameterName(spec.service, k)));
    return once(`/${spec.service}`, () => store.describeService(`/${spec.service}`)).then((all) =>
      all.filter((p) => names.has(p.name)),
    );
  }
  return once(`/${spec.service}`, () => store.describeService(`/${spec.service}`));
}

function scanError(error: unknown): { code: string; message: string } {
  return isLatchkeyError(error)
    ? { code: error.code, message: error.message }
    : { code: 'INTERNAL', message: 'the scan of this project failed unexpectedly' };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}
