import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  chamberKmsKey,
  globMatcher,
  normaliseImportNames,
  normaliseKey,
  normaliseService,
  parameterName,
  planImport,
  splitParameterName,
  type ImportPlan,
} from '../core/chamber-rules';
import { documentValues, parseDotenv } from '../core/dotenv/parse';
import { LatchkeyError, isLatchkeyError } from '../core/errors';
import type { AwsSettings } from '../core/types';
import type { HistoryEntry, ParameterInfo, ParameterStore } from '../sources/chamber-store';
import { auditedAttempt } from './audit-trail';
import { awsEnvOf, type AppDeps } from './deps';
import { loadProject, type ProjectRef } from './project-lookup';

/**
 * chamber's verbs over SSM, written exactly as chamber writes (SecureString, chamber's KMS key, the Description
 * counter, Overwrite), so chamber and Latchkey share one store. Nothing here returns a value except `read`, which
 * the caller asked for and which is audited.
 */

/** Where the verbs run: a project's `aws:` when one is named or found, else the environment's credentials. */
export interface ChamberScope {
  project?: ProjectRef | undefined;
  /** The AWS settings to use instead of a project's (`latchkey init`, before there is a manifest). */
  aws?: AwsSettings | undefined;
}

/** One key as listed: names, versions, dates and users; never a value. */
export interface ChamberKey {
  service: string;
  key: string;
  /** SSM's version: what `--if-version` compares. */
  version: number;
  /** chamber's own counter (the Description); 0 where another tool wrote it. */
  chamberVersion: number;
  lastModified?: string | undefined;
  lastModifiedUser?: string | undefined;
}

export interface ChamberHistoryEntry {
  version: number;
  chamberVersion: number;
  lastModified?: string | undefined;
  lastModifiedUser?: string | undefined;
  labels: string[];
}

export interface WriteResult {
  service: string;
  key: string;
  version: number;
  chamberVersion: number;
  /** The version replaced (absent for a new key). */
  previousVersion?: number;
}

export async function parameterStoreFor(deps: AppDeps, aws: AwsSettings): Promise<ParameterStore> {
  const open = deps.runtime.parameterStore;
  if (!open) throw new LatchkeyError('SOURCE_FAILED', 'AWS sources are not available in this build');
  return open(aws);
}

async function scopeStore(deps: AppDeps, scope: ChamberScope): Promise<ParameterStore> {
  return parameterStoreFor(deps, await scopeAws(scope));
}

async function scopeAws(scope: ChamberScope): Promise<AwsSettings> {
  if (scope.aws) return scope.aws;
  if (!scope.project) return {};
  try {
    return (await loadProject(scope.project)).aws;
  } catch (error) {
    // Outside a project the verbs use the environment's credentials, as chamber does.
    if (isLatchkeyError(error) && error.code === 'MANIFEST_NOT_FOUND') return {};
    throw error;
  }
}

const toKey = (info: ParameterInfo): ChamberKey | undefined => {
  const parts = splitParameterName(info.name);
  if (!parts) return undefined;
  return {
    service: parts.service,
    key: parts.key,
    version: info.version,
    chamberVersion: info.chamberVersion,
    lastModified: info.lastModified,
    lastModifiedUser: info.lastModifiedUser,
  };
};

const byName = (a: ChamberKey, b: ChamberKey) => a.service.localeCompare(b.service) || a.key.localeCompare(b.key);

/** Every service (a parameter's folder) under `prefix`, with how many keys it holds. */
export async function listServices(
  deps: AppDeps,
  request: ChamberScope & { prefix?: string | undefined },
): Promise<{ service: string; keys: number }[]> {
  const store = await scopeStore(deps, request);
  const prefix = request.prefix ? `/${request.prefix.replace(/^\/+/, '').toLowerCase()}` : '';
  const counts = new Map<string, number>();
  for (const info of await store.describeAll(prefix)) {
    const key = toKey(info);
    if (key && key.service !== '_chamber') counts.set(key.service, (counts.get(key.service) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([service, keys]) => ({ service, keys }));
}

export async function listKeys(deps: AppDeps, request: ChamberScope & { service: string }): Promise<ChamberKey[]> {
  const service = normaliseService(request.service);
  const store = await scopeStore(deps, request);
  const infos = await store.describeService(`/${service}`);
  return infos
    .map(toKey)
    .filter((k): k is ChamberKey => k !== undefined && k.service === service)
    .sort(byName);
}

/** Keys whose name (or `service/key`, for a pattern with a `/`) matches the glob, in every visible service. */
export async function findKeys(deps: AppDeps, request: ChamberScope & { pattern: string }): Promise<ChamberKey[]> {
  const matches = globMatcher(request.pattern);
  const store = await scopeStore(deps, request);
  return (await store.describeAll(''))
    .map(toKey)
    .filter((k): k is ChamberKey => k !== undefined && k.service !== '_chamber' && matches(k.service, k.key))
    .sort(byName);
}

export async function keyHistory(
  deps: AppDeps,
  request: ChamberScope & { service: string; key: string },
): Promise<ChamberHistoryEntry[]> {
  const name = parameterName(normaliseService(request.service), normaliseKey(request.key));
  const store = await scopeStore(deps, request);
  const entries = await store.history(name);
  if (entries.length === 0) throw new LatchkeyError('SOURCE_NOT_FOUND', `${name} does not exist`);
  return entries.map((e: HistoryEntry) => ({
    version: e.version,
    chamberVersion: e.chamberVersion,
    lastModified: e.lastModified,
    lastModifiedUser: e.lastModifiedUser,
    labels: e.labels,
  }));
}

/** One value, because the caller asked for it; audited whether it works or not. */
export async function readKey(
  deps: AppDeps,
  request: ChamberScope & { service: string; key: string; version?: number | undefined },
): Promise<{ service: string; key: string; version: number; value: string }> {
  const service = normaliseService(request.service);
  const key = normaliseKey(request.key);
  const name = parameterName(service, key);
  let version: number | undefined;
  return auditedAttempt(
    deps,
    (outcome, code) => ({
      action: 'chamber.read',
      target: name,
      keys: [key],
      ...(version !== undefined && { versions: { [key]: String(version) } }),
      outcome,
      ...(code !== undefined && { detail: code }),
    }),
    async () => {
      const store = await scopeStore(deps, request);
      const read = await store.read(name, request.version);
      if (!read)
        throw new LatchkeyError(
          'SOURCE_NOT_FOUND',
          request.version === undefined ? `${name} does not exist` : `${name} has no version ${request.version}`,
          `latchkey chamber history ${service} ${key} lists its versions.`,
        );
      version = read.version;
      return { service, key, version: read.version, value: read.value };
    },
  );
}

/**
 * Writes as chamber does, after checking `ifVersion` against SSM's version. SSM has no conditional put, so the
 * check narrows the window to one round trip; a write that lands in it shows as a skipped version in history.
 */
export async function writeWithStore(
  deps: AppDeps,
  store: ParameterStore,
  target: { name: string; value: string; ifVersion?: number | undefined },
): Promise<{ version: number; chamberVersion: number; previousVersion?: number }> {
  const { name } = target;
  // A plan read before this write must not hand its value to a sync after it.
  deps.handover?.clear();
  const current = await store.describe(name);
  if (target.ifVersion !== undefined && (current?.version ?? 0) !== target.ifVersion) {
    throw versionConflict(name, target.ifVersion, current);
  }
  // chamber: 1 for a new key, else its Description counter + 1 (a Description it cannot parse counts as 0).
  const chamberVersion = current ? current.chamberVersion + 1 : 1;
  const version = await store.put({
    name,
    value: target.value,
    keyId: chamberKmsKey(awsEnvOf(deps)),
    description: String(chamberVersion),
  });
  return { version, chamberVersion, ...(current && { previousVersion: current.version }) };
}

function versionConflict(name: string, expected: number, current: ParameterInfo | undefined): LatchkeyError {
  if (!current)
    return new LatchkeyError(
      'VERSION_CONFLICT',
      `${name} does not exist, but version ${expected} was expected; nothing was written`,
      'It may have been deleted. Write without --if-version to create it.',
    );
  const who = current.lastModifiedUser ? ` by ${current.lastModifiedUser}` : '';
  const when = current.lastModified ? ` at ${current.lastModified}` : '';
  return new LatchkeyError(
    'VERSION_CONFLICT',
    `${name} is at version ${current.version}, not ${expected}: it was changed${who}${when}; nothing was written`,
    'Look at its history (latchkey chamber history), then write again with the current version.',
  );
}

export async function writeKey(
  deps: AppDeps,
  request: ChamberScope & { service: string; key: string; value: string; ifVersion?: number | undefined },
): Promise<WriteResult> {
  const service = normaliseService(request.service);
  const key = normaliseKey(request.key);
  if (request.value === '')
    throw new LatchkeyError('INVALID_INPUT', `empty value for ${service}/${key}; nothing written`);
  let written: WriteResult | undefined;
  return auditedAttempt(
    deps,
    (outcome, code) => ({
      action: 'chamber.write',
      target: parameterName(service, key),
      keys: [key],
      ...(written && { versions: { [key]: String(written.version) } }),
      outcome,
      ...(code !== undefined && { detail: code }),
    }),
    async () => {
      const store = await scopeStore(deps, request);
      const name = parameterName(service, key);
      written = {
        service,
        key,
        ...(await writeWithStore(deps, store, { name, value: request.value, ifVersion: request.ifVersion })),
      };
      return written;
    },
  );
}

export async function deleteKey(
  deps: AppDeps,
  request: ChamberScope & { service: string; key: string },
): Promise<{ service: string; key: string; deleted: boolean }> {
  const service = normaliseService(request.service);
  const key = normaliseKey(request.key);
  const name = parameterName(service, key);
  return auditedAttempt(
    deps,
    (outcome, code) => ({
      action: 'chamber.delete',
      target: name,
      keys: [key],
      outcome,
      ...(code !== undefined && { detail: code }),
    }),
    async () => {
      const store = await scopeStore(deps, request);
      if (!(await store.remove(name))) throw new LatchkeyError('SOURCE_NOT_FOUND', `${name} does not exist`);
      return { service, key, deleted: true };
    },
  );
}

export interface ImportOutcome {
  plan: ImportPlan;
  /** The keys written, with their new SSM versions (empty without `write`). */
  written: Record<string, number>;
}

/**
 * Reads a `.env` or JSON file, normalises its names to chamber's rule and compares them with the service: add,
 * change, unchanged. Only with `write` are the adds and changes written (the unchanged ones are left alone).
 */
export async function importKeys(
  deps: AppDeps,
  request: ChamberScope & { service: string; file: string; cwd: string; write: boolean },
): Promise<ImportOutcome> {
  const service = normaliseService(request.service);
  const entries = parseImportFile(await readImportFile(path.resolve(request.cwd, request.file)), request.file);
  const wanted = normaliseImportNames(entries);
  const store = await scopeStore(deps, request);
  const names = [...wanted.keys()].map((key) => parameterName(service, key));
  const held = await store.readMany(names);
  const current = new Map([...held].map(([name, value]) => [name.slice(service.length + 2), value]));
  const plan = planImport(service, wanted, current);
  const written: Record<string, number> = {};
  if (!request.write) return { plan, written };
  const toWrite = plan.items.filter((item) => item.status !== 'unchanged');
  if (toWrite.length === 0) return { plan, written };
  await auditedAttempt(
    deps,
    (outcome, code) => ({
      action: 'chamber.import',
      target: `/${service}`,
      keys: toWrite.map((item) => item.key),
      versions: Object.fromEntries(Object.entries(written).map(([k, v]) => [k, String(v)])),
      outcome,
      ...(code !== undefined && { detail: code }),
    }),
    async () => {
      // One at a time: AWS quotes PutParameter at about 3 TPS, and a failure stops the rest with a clear count.
      for (const item of toWrite) {
        const result = await writeWithStore(deps, store, {
          name: parameterName(service, item.key),
          value: wanted.get(item.key)!.value,
        });
        written[item.key] = result.version;
      }
    },
  );
  return { plan, written };
}

async function readImportFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new LatchkeyError(
      'INVALID_INPUT',
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}

/** JSON (an object of strings) when the file is `.json` or starts with `{`; otherwise a `.env` file. */
function parseImportFile(text: string, shown: string): Map<string, string> {
  const isJson = shown.toLowerCase().endsWith('.json') || text.trimStart().startsWith('{');
  if (!isJson) return documentValues(parseDotenv(text));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // The parser's message can quote the text, which holds values.
    throw new LatchkeyError('INVALID_INPUT', `${shown} is not valid JSON`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new LatchkeyError('INVALID_INPUT', `${shown} must hold one JSON object of names to string values`);
  const out = new Map<string, string>();
  const bad: string[] = [];
  for (const [name, value] of Object.entries(data)) {
    if (typeof value === 'string') out.set(name, value);
    else bad.push(name);
  }
  if (bad.length > 0)
    throw new LatchkeyError('INVALID_INPUT', `${shown}: not string values: ${bad.join(', ')}; nothing was imported`);
  return out;
}
