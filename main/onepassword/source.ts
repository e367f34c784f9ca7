import type { FullItem } from '@1password/connect';
import { LatchkeyError } from '../core/errors';
import type { Keychain } from '../core/keychain';
import type { ErrorCode } from '../../contract/errors';
import type { ResolvedSecret, SecretSource, SourceMeta } from '../core/types';
import { createOpApi, resolveOpConnectionForReading, type OpApi, type OpConnection, type RetryOptions } from './client';
import { isOpId, parseOpRef, type OpRef } from './ref';
import { totpNow } from './totp';
import type { HttpTimeouts } from '../sources/http-timeouts';
import { createLimiter, DEFAULT_CONCURRENCY, type Limiter } from '../sources/limiter';

/** One value a reference produced: a single field, or one of the fields of a whole-item import. */
export interface OpFieldValue {
  /** The field's label (its id when it has none): what chamber's rule names the variable from. */
  sourceKey: string;
  value: string;
}

export interface OpResolution {
  ref: OpRef;
  values: OpFieldValue[];
  meta: SourceMeta;
  /** For a whole-item import: labels that more than one field carries, left out because no name tells them apart. */
  repeatedLabels?: string[];
  /** For a whole-item import: the item's title, which prefixes every field's variable name. */
  itemTitle?: string;
  /** For a whole-item import without `totp: code`: the one-time password fields left out (their seed never is written). */
  otpLeftOut?: string[];
}

interface Problem {
  ref: string;
  code: ErrorCode;
  message: string;
}

type Item = FullItem;
type Field = NonNullable<Item['fields']>[number];

/** A failure that belongs to some references (not found, ambiguous), collected so all are reported at once. */
class ReferenceProblems {
  readonly list: Problem[] = [];
  add(refs: OpRef[], code: ErrorCode, message: string) {
    for (const ref of refs) this.list.push({ ref: ref.raw, code, message });
  }
  has(ref: OpRef) {
    return this.list.some((p) => p.ref === ref.raw);
  }
  throwIfAny() {
    if (this.list.length === 0) return;
    const lines = this.list.map((p) => `${p.ref}: ${p.message}`);
    const message =
      lines.length === 1
        ? `1Password reference ${lines[0]}`
        : `${lines.length} 1Password references failed: ${lines.join('; ')}`;
    throw new LatchkeyError(
      this.list[0]!.code,
      message,
      'Check the reference, or use ids (op://<vault id>/<item id>/...) where names repeat.',
    );
  }
}

const groupBy = <T>(list: T[], key: (t: T) => string) => {
  const map = new Map<string, T[]>();
  for (const t of list) {
    const group = map.get(key(t));
    if (group) group.push(t);
    else map.set(key(t), [t]);
  }
  return map;
};
const quote = (s: string) => JSON.stringify(s);

/**
 * Resolves references against Connect: the vault list once (only if a vault is named), each vault's item list once
 * (only if an item is titled), then every distinct item exactly once, in parallel within `limiter`. A missing or
 * ambiguous vault, item, section or field is reported for every reference concerned, naming it, never a value.
 */
export async function resolveOpReferences(
  api: OpApi,
  refs: OpRef[],
  opts: {
    limiter: Limiter;
    signal?: AbortSignal | undefined;
    onItem?: ((done: number, total: number) => void) | undefined;
  },
): Promise<OpResolution[]> {
  const { limiter, signal } = opts;
  const problems = new ReferenceProblems();

  const vaultIds = new Map<string, string>();
  const namedVaults = [...new Set(refs.map((r) => r.vault).filter((v) => !isOpId(v)))];
  for (const v of refs.map((r) => r.vault).filter(isOpId)) vaultIds.set(v, v);
  if (namedVaults.length > 0) {
    const vaults = await limiter.run(() => api.listVaults(signal), { priority: 'high', signal });
    for (const name of namedVaults) {
      const matches = vaults.filter((v) => v.name === name);
      const users = refs.filter((r) => r.vault === name);
      if (matches.length === 1) vaultIds.set(name, matches[0]!.id!);
      else if (matches.length === 0)
        problems.add(users, 'SOURCE_NOT_FOUND', `no vault named ${quote(name)} is visible to the Connect token`);
      else
        problems.add(
          users,
          'SOURCE_FAILED',
          `${matches.length} vaults are named ${quote(name)} (${matches.map((m) => m.id).join(', ')}); use the vault id`,
        );
    }
  }

  const itemKey = (r: OpRef) => `${vaultIds.get(r.vault)}/${r.item}`;
  const itemIds = new Map<string, string>();
  const titled = refs.filter((r) => vaultIds.has(r.vault) && !isOpId(r.item));
  for (const r of refs) if (vaultIds.has(r.vault) && isOpId(r.item)) itemIds.set(itemKey(r), r.item);
  await Promise.all(
    [...groupBy(titled, (r) => vaultIds.get(r.vault)!)].map(async ([vaultId, users]) => {
      const summaries = await limiter.run(() => api.listItems(vaultId, signal), { priority: 'high', signal });
      for (const [title, sameTitle] of groupBy(users, (r) => r.item)) {
        const matches = summaries.filter((s) => s.title === title);
        const where = `vault ${quote(sameTitle[0]!.vault)}`;
        if (matches.length === 1) itemIds.set(itemKey(sameTitle[0]!), matches[0]!.id);
        else if (matches.length === 0)
          problems.add(sameTitle, 'SOURCE_NOT_FOUND', `no item titled ${quote(title)} in ${where}`);
        else
          problems.add(
            sameTitle,
            'SOURCE_FAILED',
            `${matches.length} items are titled ${quote(title)} in ${where} (${matches.map((m) => m.id).join(', ')}); use the item id`,
          );
      }
    }),
  );

  // Keyed by the resolved ids, so a title and an id naming the same item still make one request.
  const fetchKey = (r: OpRef) => `${vaultIds.get(r.vault)}/${itemIds.get(itemKey(r))}`;
  const wanted = refs.filter((r) => itemIds.has(itemKey(r)));
  const byItem = groupBy(wanted, fetchKey);
  const items = new Map<string, Item>();
  let done = 0;
  opts.onItem?.(0, byItem.size);
  await Promise.all(
    [...byItem].map(async ([key, users]) => {
      const vaultId = vaultIds.get(users[0]!.vault)!;
      try {
        items.set(
          key,
          await limiter.run(() => api.getItem(vaultId, itemIds.get(itemKey(users[0]!))!, signal), { signal }),
        );
      } catch (error) {
        // Missing and out-of-scope items belong to their references; anything else (token, server) stops everything.
        if (
          error instanceof LatchkeyError &&
          (error.code === 'SOURCE_NOT_FOUND' || error.code === 'ACCESS_DENIED') &&
          !/\(401\)/.test(error.message)
        ) {
          problems.add(
            users,
            error.code,
            error.code === 'SOURCE_NOT_FOUND'
              ? `item ${quote(users[0]!.item)} not found in vault ${quote(users[0]!.vault)}`
              : `the Connect token may not read vault ${quote(users[0]!.vault)}`,
          );
        } else throw error;
      }
      opts.onItem?.(++done, byItem.size);
    }),
  );

  const results: OpResolution[] = [];
  for (const ref of refs) {
    const item = items.get(fetchKey(ref));
    if (!item || problems.has(ref)) continue;
    if (ref.field === undefined) {
      const { values, otpLeftOut } = wholeItemValues(item, ref.otp);
      const counts = groupBy(values, (v) => v.sourceKey);
      const repeated = [...counts].filter(([, same]) => same.length > 1).map(([label]) => label);
      results.push({
        ref,
        values: values.filter((v) => !repeated.includes(v.sourceKey)),
        meta: itemMeta(item),
        itemTitle: item.title ?? ref.item,
        ...(repeated.length > 0 && { repeatedLabels: repeated }),
        ...(otpLeftOut.length > 0 && { otpLeftOut }),
      });
      continue;
    }
    const picked = pickValue(item, ref);
    if (typeof picked === 'string') {
      problems.add([ref], 'SOURCE_NOT_FOUND', picked);
      continue;
    }
    results.push({ ref, values: [picked], meta: itemMeta(item) });
  }
  problems.throwIfAny();
  return results;
}

function itemMeta(item: Item): SourceMeta {
  const updated = item.updatedAt as Date | string | undefined;
  return {
    ...(item.version !== undefined && { version: String(item.version) }),
    ...(updated !== undefined && { modifiedAt: updated instanceof Date ? updated.toISOString() : String(updated) }),
    // Who saved this version (Connect gives the user's id): the plan's review says who changed a value.
    ...(item.lastEditedBy && { modifiedBy: item.lastEditedBy }),
  };
}

const fieldKey = (f: Field) => f.label || f.id || '';
const isOtpField = (f: Field) => ['OTP', 'TOTP'].includes(String(f.type));
/** An OTP seed can also sit in a plain field (pasted as text): its `otpauth://` URI gives it away. */
const holdsOtpSeed = (f: Field) => isOtpField(f) || /^\s*otpauth:\/\//i.test(f.value ?? '');
const otpCode = (f: Field) => f.otp ?? (f.value ? totpNow(f.value) : undefined);

/**
 * Every field of an item that has a value. A one-time password field is a seed that outlives every code, so it is
 * never written: it is left out, or replaced by its current code when the manifest asks (`totp: code`).
 */
function wholeItemValues(item: Item, wantCodes: boolean): { values: OpFieldValue[]; otpLeftOut: string[] } {
  const values: OpFieldValue[] = [];
  const otpLeftOut: string[] = [];
  for (const f of item.fields ?? []) {
    if (f.value === undefined || f.value === '') continue;
    if (!holdsOtpSeed(f)) {
      values.push({ sourceKey: fieldKey(f), value: f.value });
      continue;
    }
    const code = wantCodes ? otpCode(f) : undefined;
    if (code === undefined) otpLeftOut.push(fieldKey(f));
    else values.push({ sourceKey: fieldKey(f), value: code });
  }
  return { values, otpLeftOut };
}

/** The one field a reference names, or why there is none (a message naming labels, never values). */
function pickValue(item: Item, ref: OpRef): OpFieldValue | string {
  const fields = item.fields ?? [];
  const title = quote(item.title ?? ref.item);
  if (ref.field === undefined) return `a reference to item ${title} names no field`;
  let scope = fields;
  if (ref.section !== undefined) {
    const sections = (item.sections ?? []).filter((s) => s.id === ref.section || s.label === ref.section);
    if (sections.length === 0) return `item ${title} has no section ${quote(ref.section)}`;
    if (sections.length > 1)
      return `item ${title} has ${sections.length} sections labelled ${quote(ref.section)}; use the section id`;
    scope = fields.filter((f) => f.section?.id === sections[0]!.id);
  }
  const byId = scope.filter((f) => f.id === ref.field);
  const matches = byId.length > 0 ? byId : scope.filter((f) => f.label === ref.field);
  const where = ref.section !== undefined ? `section ${quote(ref.section)} of item ${title}` : `item ${title}`;
  if (matches.length === 0) return `${where} has no field ${quote(ref.field)}`;
  if (matches.length > 1)
    return `${where} has ${matches.length} fields labelled ${quote(ref.field)}; add the section or use the field id`;
  const field = matches[0]!;
  if (!ref.otp) return { sourceKey: fieldKey(field), value: field.value ?? '' };
  if (!isOtpField(field)) return `field ${quote(ref.field)} of ${where} is not a one-time password field`;
  const code = otpCode(field);
  if (code === undefined) return `field ${quote(ref.field)} of ${where} holds no usable one-time password secret`;
  return { sourceKey: fieldKey(field), value: code };
}

export interface OpSourceOptions {
  keychain: Keychain;
  appDir: string;
  env?: NodeJS.ProcessEnv;
  /** Requests in flight per Connect server; undefined for the default. */
  concurrency?: number | undefined;
  retry?: RetryOptions;
  /** Connect and request limits of each Connect request (sources/http-timeouts.ts). */
  timeouts?: Partial<HttpTimeouts>;
  /** For tests: how an API is made for a connection (default: the real @1password/connect client). */
  apiFor?: (connection: OpConnection) => OpApi;
}

/** One client per (host, token) for the life of the process, so keep-alive connections are reused across syncs. */
export function createOpApiCache(options: Pick<OpSourceOptions, 'retry' | 'apiFor' | 'timeouts' | 'env'> = {}) {
  const apis = new Map<string, OpApi>();
  return (connection: OpConnection): OpApi => {
    const key = `${connection.host}\n${connection.token}`;
    let api = apis.get(key);
    if (!api) {
      api =
        options.apiFor?.(connection) ??
        createOpApi(connection, options.retry, {
          ...(options.timeouts && { timeouts: options.timeouts }),
          ...(options.env && { env: options.env }),
        });
      apis.set(key, api);
    }
    return api;
  };
}

/** `op:` sources: every reference of a profile resolved together, each item fetched at most once. */
export function createOpSource(options: OpSourceOptions): SecretSource<'op'> {
  const apiFor = createOpApiCache(options);
  const limiter = createLimiter(options.concurrency ?? DEFAULT_CONCURRENCY);
  return {
    kind: 'op',
    async resolve(specs, ctx) {
      if (specs.length === 0) return { secrets: [], warnings: [] };
      const refs = specs.map((spec) =>
        parseOpRef(spec.ref, { allFields: spec.fields === 'all', otpCodes: spec.totp === 'code' }),
      );
      const connection = await resolveOpConnectionForReading({
        env: options.env ?? process.env,
        appDir: options.appDir,
        keychain: options.keychain,
      });
      const resolved = await resolveOpReferences(apiFor(connection), refs, {
        limiter,
        signal: ctx.signal,
        onItem: (done, total) => ctx.onProgress?.({ kind: 'op', done, total }),
      });
      const secrets: ResolvedSecret[] = [];
      const warnings: string[] = [];
      specs.forEach((spec, i) => {
        const hit = resolved.find((r) => r.ref === refs[i]);
        if (!hit) return;
        if (spec.fields === 'all' && hit.values.length === 0)
          warnings.push(`1Password item ${spec.ref} has no fields with a value`);
        for (const label of hit.repeatedLabels ?? []) {
          warnings.push(
            `1Password item ${spec.ref} has several fields labelled ${quote(label)}; none of them is imported (reference each by section instead)`,
          );
        }
        for (const label of hit.otpLeftOut ?? []) {
          warnings.push(
            spec.totp === 'code'
              ? `1Password item ${spec.ref}: field ${quote(label)} holds no usable one-time password secret; not imported`
              : `1Password item ${spec.ref}: one-time password field ${quote(label)} is not imported (its seed is never written; add totp: code for the current code)`,
          );
        }
        const labels = new Set(hit.values.map((v) => v.sourceKey));
        for (const label of Object.keys(spec.fieldNames ?? {}).filter((l) => !labels.has(l))) {
          warnings.push(`1Password item ${spec.ref} has no imported field labelled ${quote(label)} (named in as:)`);
        }
        for (const { sourceKey, value } of hit.values) {
          secrets.push({
            spec,
            sourceKey,
            value,
            meta: hit.meta,
            ...(hit.itemTitle !== undefined && { item: hit.itemTitle }),
          });
        }
      });
      return { secrets, warnings };
    },
  };
}

/** `latchkey op read`: one reference, one value. */
export async function readOpReference(
  api: OpApi,
  raw: string,
  signal?: AbortSignal,
): Promise<OpFieldValue & { meta: SourceMeta }> {
  const ref = parseOpRef(raw);
  const [hit] = await resolveOpReferences(api, [ref], { limiter: createLimiter(1), signal });
  return { ...hit!.values[0]!, meta: hit!.meta };
}
