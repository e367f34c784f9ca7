import type { RotationInfo } from '../../contract/plan';
import { chamberEnvName, validateEnvName } from './names';
import { isRotated, rotationStatus } from './rotation';
import type { AwsSettings, ChamberSpec, Profile, RotationPolicy, SsmSpec } from './types';

/**
 * The Rotation worklist, pure: which of a profile's sources the background scan describes (chamber and ssm, never
 * `set:` nor keychain values), and how the parameters it found become one row per underlying secret, however many
 * profiles read it. Metadata only: names, versions and dates, never a value.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** The sources a scan describes: the rotated ones (not set:, not keychain) that Latchkey can also rotate. */
export function scannedSources(profile: Profile): (ChamberSpec | SsmSpec)[] {
  return profile.sources.filter(
    (s): s is ChamberSpec | SsmSpec => isRotated(s) && (s.kind === 'chamber' || s.kind === 'ssm'),
  );
}

/**
 * Where a parameter lives, as the scan tells secrets apart: the AWS profile and region it is read with, and its
 * name. Two manifests naming the same profile, region and parameter read one secret; a different AWS profile may
 * be another account, so it stays another row rather than being merged by guess.
 */
interface ParameterPlace {
  awsProfile: string | undefined;
  region: string | undefined;
  parameter: string;
}

function secretId(place: ParameterPlace): string {
  return JSON.stringify([place.awsProfile ?? '', place.region ?? '', place.parameter]);
}

/**
 * The region a source's client uses, as main/sources/ssm-client.ts chooses it: AWS_REGION, then
 * AWS_DEFAULT_REGION, over the manifest's `aws.region`. Undefined where only the AWS config file would say.
 */
export function regionOf(aws: AwsSettings, env: NodeJS.ProcessEnv): string | undefined {
  const nonEmpty = (v: string | undefined) => (v !== undefined && v.trim() !== '' ? v.trim() : undefined);
  return nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? nonEmpty(aws.region);
}

/** The variable a parameter becomes in a profile's .env, as a sync names it; undefined where it is not valid. */
export function envNameOf(spec: ChamberSpec | SsmSpec, parameter: string): string | undefined {
  const last = parameter.slice(parameter.lastIndexOf('/') + 1);
  const named = spec.kind === 'ssm' && spec.as !== undefined ? validateEnvName(spec.as) : chamberEnvName(last);
  return named.ok ? named.name : undefined;
}

/** One profile that reads a secret, under the variable name it gives it. */
interface SecretUser {
  dir: string;
  project: string;
  profile: string;
  key: string;
  maxAgeDays: number;
  /** The parameter's version differs from the one this profile last synced (drift at the source); metadata only. */
  drifted: boolean;
}

/** One parameter a scan found for one profile. */
export interface ScanFinding extends ParameterPlace {
  sourceKind: 'chamber' | 'ssm';
  version: number;
  lastModified?: string | undefined;
  lastModifiedUser?: string | undefined;
  user: SecretUser;
}

/** One row of the worklist: one underlying secret, every profile that reads it. */
export interface WorklistRow extends ParameterPlace {
  id: string;
  sourceKind: 'chamber' | 'ssm';
  version: number;
  lastModified?: string | undefined;
  lastModifiedUser?: string | undefined;
  /** Judged on the strictest policy among its users: a secret is as due as its most demanding reader makes it. */
  rotation: RotationInfo;
  /** When it turns overdue (its date plus the strictest maximum age); absent without a date. */
  overdueAt?: string | undefined;
  users: SecretUser[];
  /** The parameter in the AWS console, where its region is known. */
  consoleUrl?: string | undefined;
}

/** Folds findings into one row per secret, most urgent first (overdue, due, ok, unknown; then oldest). */
export function buildWorklist(findings: ScanFinding[], now: Date): WorklistRow[] {
  const byId = new Map<string, { first: ScanFinding; users: SecretUser[] }>();
  for (const f of findings) {
    const id = secretId(f);
    const entry = byId.get(id);
    if (!entry) byId.set(id, { first: f, users: [f.user] });
    else if (!entry.users.some((u) => u.dir === f.user.dir && u.profile === f.user.profile && u.key === f.user.key))
      entry.users.push(f.user);
  }
  const rows: WorklistRow[] = [];
  for (const [id, { first, users }] of byId) {
    const policy: RotationPolicy = { maxAgeDays: users.reduce((min, u) => Math.min(min, u.maxAgeDays), Infinity) };
    const rotation = rotationStatus(first.lastModified, policy, now);
    const modifiedMs = first.lastModified !== undefined ? Date.parse(first.lastModified) : Number.NaN;
    users.sort((a, b) => a.project.localeCompare(b.project) || a.profile.localeCompare(b.profile));
    rows.push({
      id,
      awsProfile: first.awsProfile,
      region: first.region,
      parameter: first.parameter,
      sourceKind: first.sourceKind,
      version: first.version,
      lastModified: first.lastModified,
      lastModifiedUser: first.lastModifiedUser,
      rotation,
      overdueAt: Number.isFinite(modifiedMs)
        ? new Date(modifiedMs + policy.maxAgeDays * DAY_MS).toISOString()
        : undefined,
      users,
      consoleUrl: first.region !== undefined ? ssmConsoleUrl(first.region, first.parameter) : undefined,
    });
  }
  const urgency = { overdue: 0, due: 1, ok: 2, unknown: 3 } as const;
  return rows.sort(
    (a, b) =>
      urgency[a.rotation.status] - urgency[b.rotation.status] ||
      (b.rotation.ageDays ?? 0) - (a.rotation.ageDays ?? 0) ||
      a.parameter.localeCompare(b.parameter),
  );
}

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * The parameter's page in the AWS console (Systems Manager ▸ Parameter Store), https only. The name's segments are
 * percent-encoded one by one, so a name cannot add a query or leave the parameters path; a name with a dot
 * segment gets no link.
 */
export function ssmConsoleUrl(region: string, parameter: string): string | undefined {
  if (!REGION_PATTERN.test(region)) return undefined;
  const segments = parameter.split('/').filter((s) => s !== '');
  // A dot segment would climb out of the path once the URL is parsed (even percent-encoded: WHATWG reads %2e as .).
  if (segments.length === 0 || segments.some((s) => s === '.' || s === '..')) return undefined;
  const path = segments.map((s) => encodeURIComponent(s)).join('/');
  return `https://${region}.console.aws.amazon.com/systems-manager/parameters/${path}/description?region=${region}&tab=Table`;
}
