import path from 'node:path';
import { parameterName } from '../core/chamber-rules';
import { isLatchkeyError } from '../core/errors';
import { loadManifest } from '../core/manifest';
import { listProjectEntries } from '../core/projects';
import { LatchkeyError } from '../core/errors';
import {
  buildWorklist,
  envNameOf,
  onePasswordItemUrl,
  opEnvNameOf,
  regionOf,
  s3ConsoleUrl,
  s3KeyOf,
  scannedSources,
  type ScanFinding,
  type WorklistRow,
} from '../core/rotation-worklist';
import { loadSyncState } from '../core/state';
import { originId, type ChamberSpec, type Manifest, type OpSpec, type S3Spec, type SsmSpec } from '../core/types';
import type { OpReferenceMetadata } from '../onepassword/metadata';
import type { S3ObjectInfo } from '../sources/s3';
import type { ParameterInfo, ParameterStore } from '../sources/chamber-store';
import { parameterStoreFor } from './chamber';
import { awsEnvOf, nowOf, type AppDeps } from './deps';

/**
 * The Rotation worklist's background scan: every recent project, every profile, its chamber and ssm sources
 * described (DescribeParameters: names, versions, dates; never a value), its 1Password references (the vault's
 * item list: version and updatedAt) and its S3 objects (HeadObject: version and LastModified, never the body). A
 * project that fails (its manifest, its credentials, a denied describe, an unreachable Connect server) is reported
 * on its own and the others still count; each secret is one row however many profiles read it.
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
  const others: OtherLookups = { op: new Map(), s3: new Map() };
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
    const found = await scanProject(deps, manifest, name, { described, others }, (error) => (firstError ??= error));
    for (const f of found) findings.push(f);
    projects.push(
      firstError === undefined ? { dir: entry.dir, name } : { dir: entry.dir, name, error: scanError(firstError) },
    );
    request.onProgress?.({ ...snapshot(), done: projects.length, total: entries.length });
  }
  return snapshot();
}

/** One lookup per 1Password reference and per S3 object (with its AWS setting) across every project. */
interface OtherLookups {
  op: Map<string, Promise<OpReferenceMetadata>>;
  s3: Map<string, Promise<S3ObjectInfo>>;
}

function lookedUpOnce<T>(cache: Map<string, Promise<T>>, id: string, look: () => Promise<T>): Promise<T> {
  let found = cache.get(id);
  if (!found) cache.set(id, (found = look()));
  return found;
}

function describeOp(deps: AppDeps, spec: OpSpec, cache: OtherLookups['op']): Promise<OpReferenceMetadata> {
  const describe = deps.runtime.describeOpReferences;
  if (!describe) return Promise.reject(new LatchkeyError('SOURCE_FAILED', '1Password is not available in this build'));
  return lookedUpOnce(cache, JSON.stringify([spec.ref, spec.fields ?? '', spec.totp ?? '']), async () => {
    const [found] = await describe([spec]);
    return found!;
  });
}

function describeS3(deps: AppDeps, spec: S3Spec, cache: OtherLookups['s3']): Promise<S3ObjectInfo> {
  const describe = deps.runtime.describeS3Object;
  if (!describe)
    return Promise.reject(new LatchkeyError('SOURCE_FAILED', 'S3 sources are not available in this build'));
  const id = JSON.stringify([spec.url, spec.aws.profile ?? '', spec.aws.region ?? '', spec.aws.roleArn ?? '']);
  return lookedUpOnce(cache, id, () => describe(spec));
}

async function scanProject(
  deps: AppDeps,
  manifest: Manifest,
  project: string,
  { described, others }: { described: Map<string, Promise<ParameterInfo[]>>; others: OtherLookups },
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
    const userOf = (key: string, spec: { rotation?: { maxAgeDays: number } | undefined }, drifted: boolean) => ({
      dir: manifest.dir,
      project,
      profile: profile.name,
      key,
      maxAgeDays: (spec.rotation ?? profile.rotation).maxAgeDays,
      drifted,
    });
    const driftedFrom = (origin: string, version: string | undefined) => {
      const syncedVersion = synced.get(origin);
      return syncedVersion !== undefined && version !== undefined && syncedVersion !== version;
    };
    for (const spec of sources) {
      if (spec.kind === 'op') {
        let item: OpReferenceMetadata;
        try {
          item = await describeOp(deps, spec, others.op);
        } catch (error) {
          failed(error);
          continue;
        }
        const version = item.version !== undefined ? String(item.version) : undefined;
        for (const field of item.fields) {
          const key = opEnvNameOf(spec, field, item.itemTitle);
          if (key === undefined) continue;
          out.push({
            awsProfile: undefined,
            region: undefined,
            // Named by vault name and item title whichever ids or names a manifest used: one row, one name.
            parameter: `op://${item.vaultName}/${item.itemTitle}/${field}`,
            identity: JSON.stringify([item.vaultId, item.itemId, field]),
            sourceKind: 'op',
            version: item.version ?? 0,
            lastModified: item.updatedAt,
            lastModifiedUser: item.lastEditedBy,
            link: onePasswordItemUrl({ vaultId: item.vaultId, itemId: item.itemId }),
            user: userOf(key, spec, driftedFrom(originId(spec, field), version)),
          });
        }
        continue;
      }
      if (spec.kind === 's3') {
        let object: S3ObjectInfo;
        try {
          object = await describeS3(deps, spec, others.s3);
        } catch (error) {
          failed(error);
          continue;
        }
        const region = regionOf(spec.aws, env);
        out.push({
          awsProfile: nonEmpty(env.AWS_PROFILE) ?? spec.aws.profile,
          region,
          parameter: spec.url,
          sourceKind: 's3',
          version: object.version ?? '',
          lastModified: object.lastModified,
          link: s3ConsoleUrl(object.bucket, object.key, region),
          user: userOf(s3KeyOf(spec), spec, driftedFrom(originId(spec, spec.file ?? spec.url), object.version)),
        });
        continue;
      }
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
        out.push({
          awsProfile: nonEmpty(env.AWS_PROFILE) ?? spec.aws.profile,
          region: regionOf(spec.aws, env),
          parameter: p.name,
          sourceKind: spec.kind,
          version: p.version,
          lastModified: p.lastModified,
          lastModifiedUser: p.lastModifiedUser,
          user: userOf(key, spec, driftedFrom(origin, String(p.version))),
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
