import type { RotationInfo } from '../../contract/plan';
import { chamberEnvName, validateEnvName } from './names';
import { isRotated, rotationStatus } from './rotation';
import type { AwsSettings, ChamberSpec, OpSpec, Profile, RotationPolicy, S3Spec, SsmSpec } from './types';

/**
 * The Rotation worklist, pure: which of a profile's sources the background scan describes (chamber, ssm, 1Password
 * and S3, never `set:` nor keychain values), and how the secrets it found become one row per underlying secret,
 * however many profiles read it. Metadata only: names, versions and dates, never a value.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

export type ScannedSpec = ChamberSpec | SsmSpec | OpSpec | S3Spec;

/** The sources a scan describes: the rotated ones (not set:, not keychain). */
export function scannedSources(profile: Profile): ScannedSpec[] {
  return profile.sources.filter((s): s is ScannedSpec => isRotated(s));
}

/** The kinds Latchkey itself can rotate from the worklist (rotate-shared: chamber and ssm); the others link out. */
function isRotatableKind(kind: ScannedSpec['kind']): boolean {
  return kind === 'chamber' || kind === 'ssm';
}

/**
 * Where a parameter lives, as the scan tells secrets apart: the AWS profile and region it is read with, and its
 * name. Two manifests naming the same profile, region and parameter read one secret; a different AWS profile may
 * be another account, so it stays another row rather than being merged by guess.
 */
interface ParameterPlace {
  awsProfile: string | undefined;
  region: string | undefined;
  /** What the row shows: an SSM name, `op://<vault>/<item>/<field>` as the manifest names it, or `s3://bucket/key`. */
  parameter: string;
  /**
   * What tells this secret apart where the shown name does not: a 1Password field is its vault id, item id and
   * field, whichever title or id a manifest used to reach it.
   */
  identity?: string | undefined;
}

function secretId(place: ParameterPlace & { sourceKind: ScannedSpec['kind'] }): string {
  if (place.identity !== undefined) return JSON.stringify([place.sourceKind, place.identity]);
  // chamber and ssm read the same parameters: they share one identity space.
  const family = place.sourceKind === 's3' ? ['s3'] : [];
  return JSON.stringify([...family, place.awsProfile ?? '', place.region ?? '', place.parameter]);
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

/**
 * The variable a 1Password field becomes, as names.ts names it in a sync: `as:` for one field; for a whole item the
 * `as:` map, else `<ITEM>_<FIELD>`. Undefined where it is not valid.
 */
export function opEnvNameOf(spec: OpSpec, field: string, itemTitle: string): string | undefined {
  let named;
  if (spec.fields === 'all') {
    const mapped = Object.hasOwn(spec.fieldNames ?? {}, field) ? spec.fieldNames![field] : undefined;
    named = mapped !== undefined ? validateEnvName(mapped) : chamberEnvName(`${itemTitle}_${field}`);
  } else named = spec.as !== undefined ? validateEnvName(spec.as) : chamberEnvName(field);
  return named.ok ? named.name : undefined;
}

/** What an `s3:` source gives a profile: its variable (`as:`), or for a file secret the file's path. */
export function s3KeyOf(spec: S3Spec): string {
  return spec.as ?? spec.file ?? spec.url;
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

/** One secret a scan found for one profile. */
export interface ScanFinding extends ParameterPlace {
  sourceKind: ScannedSpec['kind'];
  /** SSM's and 1Password's versions are numbers; S3's is its VersionId (or ETag where the bucket is unversioned). */
  version: number | string;
  lastModified?: string | undefined;
  lastModifiedUser?: string | undefined;
  /** The secret's own link (1Password, S3), built here; chamber and ssm rows get the SSM console's. */
  link?: string | undefined;
  user: SecretUser;
}

/** One row of the worklist: one underlying secret, every profile that reads it. */
export interface WorklistRow extends ParameterPlace {
  id: string;
  sourceKind: ScannedSpec['kind'];
  version: number | string;
  lastModified?: string | undefined;
  lastModifiedUser?: string | undefined;
  /** Judged on the strictest policy among its users: a secret is as due as its most demanding reader makes it. */
  rotation: RotationInfo;
  /** When it turns overdue (its date plus the strictest maximum age); absent without a date. */
  overdueAt?: string | undefined;
  users: SecretUser[];
  /**
   * Where the secret can be seen and changed, built here (https, fixed hosts): the SSM or S3 console, or the item in
   * 1Password. Absent where no safe link can be built.
   */
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
    users.sort(
      (a, b) => a.project.localeCompare(b.project) || a.profile.localeCompare(b.profile) || a.key.localeCompare(b.key),
    );
    rows.push({
      id,
      awsProfile: first.awsProfile,
      region: first.region,
      parameter: first.parameter,
      ...(first.identity !== undefined && { identity: first.identity }),
      sourceKind: first.sourceKind,
      version: first.version,
      lastModified: first.lastModified,
      lastModifiedUser: first.lastModifiedUser,
      rotation,
      overdueAt: Number.isFinite(modifiedMs)
        ? new Date(modifiedMs + policy.maxAgeDays * DAY_MS).toISOString()
        : undefined,
      users,
      consoleUrl: isRotatableKind(first.sourceKind)
        ? first.region !== undefined
          ? ssmConsoleUrl(first.region, first.parameter)
          : undefined
        : first.link,
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

/**
 * An object's page in the S3 console, https only. The bucket must be a valid bucket name and the key travels as one
 * percent-encoded query value, so neither can change the host or the path. Without a known region the console
 * finds the bucket's own.
 */
export function s3ConsoleUrl(bucket: string, key: string, region: string | undefined): string | undefined {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || key === '') return undefined;
  const query = new URLSearchParams({
    ...(region !== undefined && REGION_PATTERN.test(region) && { region }),
    prefix: key,
  });
  return `https://s3.console.aws.amazon.com/s3/object/${bucket}?${query.toString()}`;
}

const OP_ID = /^[a-z0-9]{26}$/;

/**
 * The item in 1Password, by 1Password's documented item link (`https://start.1password.com/open/i?a=&v=&i=`), which
 * the 1Password app takes over where it is installed. Connect knows the vault and item ids but not the account's, so
 * the link carries the account only where one is known; without it 1Password asks which account to look in (or
 * opens the sign-in page in a browser). Only 26-character ids pass: nothing else can reach the query.
 */
export function onePasswordItemUrl(ids: { vaultId: string; itemId: string; accountId?: string }): string | undefined {
  if (!OP_ID.test(ids.vaultId) || !OP_ID.test(ids.itemId)) return undefined;
  const account = ids.accountId !== undefined && ACCOUNT_ID.test(ids.accountId) ? `a=${ids.accountId}&` : '';
  return `https://start.1password.com/open/i?${account}v=${ids.vaultId}&i=${ids.itemId}`;
}

/** 1Password's account ids are 26 characters too, shown upper-case in its apps. */
const ACCOUNT_ID = /^[A-Za-z0-9]{26}$/;
