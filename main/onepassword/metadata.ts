import { LatchkeyError } from '../core/errors';
import type { OpSpec } from '../core/types';
import type { OpApi } from './client';
import { isOpId, parseOpRef } from './ref';

/**
 * What the Rotation worklist knows of an `op:` reference, from metadata: the vault and item it reaches, the item's
 * version and date (from the vault's item list: summaries carry no fields), and the fields it produces. A whole-item
 * import (`fields: all`) needs the item itself to learn its field labels: the labels are kept, every value and
 * one-time password seed is dropped at once and never leaves this function.
 */
export interface OpReferenceMetadata {
  spec: OpSpec;
  vaultId: string;
  /** The vault's name, where the token's vault list shows it: the row names the secret the same way for everyone. */
  vaultName: string;
  itemId: string;
  itemTitle: string;
  version?: number | undefined;
  updatedAt?: string | undefined;
  lastEditedBy?: string | undefined;
  /** The fields the reference produces (label, else id), as the sync names them. */
  fields: string[];
}

const quote = (s: string) => JSON.stringify(s);

/** One vault list, one item list per vault, one item per whole-item import. */
export async function describeOpReferences(
  api: OpApi,
  specs: OpSpec[],
  signal?: AbortSignal,
): Promise<OpReferenceMetadata[]> {
  const refs = specs.map((spec) => ({
    spec,
    ref: parseOpRef(spec.ref, { allFields: spec.fields === 'all', otpCodes: spec.totp === 'code' }),
  }));
  const vaultIds = new Map<string, string>();
  const vaults = await api.listVaults(signal);
  const vaultNames = new Map(vaults.map((v) => [v.id ?? '', v.name ?? '']));
  {
    for (const { ref } of refs) {
      if (isOpId(ref.vault) || vaultIds.has(ref.vault)) continue;
      const matches = vaults.filter((v) => v.name === ref.vault);
      if (matches.length !== 1)
        throw new LatchkeyError(
          matches.length === 0 ? 'SOURCE_NOT_FOUND' : 'SOURCE_FAILED',
          matches.length === 0
            ? `no 1Password vault named ${quote(ref.vault)} is visible to the Connect token`
            : `${matches.length} 1Password vaults are named ${quote(ref.vault)}; use the vault id`,
        );
      vaultIds.set(ref.vault, matches[0]!.id!);
    }
  }
  const vaultOf = (vault: string) => (isOpId(vault) ? vault : vaultIds.get(vault)!);
  const summaries = new Map<string, ReturnType<OpApi['listItems']>>();
  const listed = (vaultId: string) => {
    let list = summaries.get(vaultId);
    if (!list) summaries.set(vaultId, (list = api.listItems(vaultId, signal)));
    return list;
  };
  return Promise.all(
    refs.map(async ({ spec, ref }) => {
      const vaultId = vaultOf(ref.vault);
      const items = await listed(vaultId);
      const matches = items.filter((i) => (isOpId(ref.item) ? i.id === ref.item : i.title === ref.item));
      if (matches.length !== 1)
        throw new LatchkeyError(
          matches.length === 0 ? 'SOURCE_NOT_FOUND' : 'SOURCE_FAILED',
          matches.length === 0
            ? `1Password reference ${spec.ref}: no item ${quote(ref.item)} in vault ${quote(ref.vault)}`
            : `1Password reference ${spec.ref}: ${matches.length} items are titled ${quote(ref.item)}; use the item id`,
        );
      const summary = matches[0]!;
      const fields =
        ref.field !== undefined
          ? [ref.field]
          : wholeItemLabels(await api.getItem(vaultId, summary.id, signal), ref.otp);
      return {
        spec,
        vaultId,
        vaultName: vaultNames.get(vaultId) || ref.vault,
        itemId: summary.id,
        itemTitle: summary.title || ref.item,
        version: summary.version,
        updatedAt: summary.updatedAt,
        lastEditedBy: summary.lastEditedBy,
        fields,
      };
    }),
  );
}

type Field = NonNullable<Awaited<ReturnType<OpApi['getItem']>>['fields']>[number];

/**
 * The labels a whole-item import writes (source.ts wholeItemValues): fields with a value, a one-time password
 * field only as its code (`totp: code`), a label carried by two fields by neither.
 */
function wholeItemLabels(item: Awaited<ReturnType<OpApi['getItem']>>, otpCodes: boolean): string[] {
  const holdsSeed = (f: Field) => ['OTP', 'TOTP'].includes(String(f.type)) || /^\s*otpauth:\/\//i.test(f.value ?? '');
  const labels = (item.fields ?? [])
    .filter((f) => f.value !== undefined && f.value !== '' && (otpCodes || !holdsSeed(f)))
    .map((f) => f.label || f.id || '');
  return labels.filter((label) => labels.indexOf(label) === labels.lastIndexOf(label));
}
