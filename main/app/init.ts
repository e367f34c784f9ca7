import path from 'node:path';
import { isLatchkeyError, LatchkeyError } from '../core/errors';
import { addTargetToGitignore, type GitignoreResult } from '../core/gitignore';
import { localOverridesPath } from '../core/local-overrides';
import { parseManifest } from '../core/manifest';
import { newManifestPlace, createManifestFile, newManifestText, type NewManifestInput } from '../core/manifest-edit';
import { opRefProblem } from '../core/manifest-schema';
import type { AwsSettings } from '../core/types';
import { createOpApi } from '../onepassword/client';
import { recordAudit } from './audit-trail';
import { listServices } from './chamber';
import type { AppDeps } from './deps';
import { connectOp } from './onepassword/connection';

/**
 * `latchkey init` (issue 12, item 3): a new project's latchkey.yml, written by the same renderer as the app's
 * guided form (core/manifest-edit.ts), from what the caller can see (chamber services, 1Password vaults) or from
 * flags; and the .gitignore lines that keep the target and latchkey.local.yml out of commits.
 */

export interface InitRequest extends NewManifestInput {
  /** The folder the manifest goes into: a new project starts where it is asked for, never by an upward search. */
  folder: string;
  /** Replace a manifest already there (`--force`); otherwise one there is refused and left alone. */
  force: boolean;
  /** Add the target and latchkey.local.yml to the .gitignore beside the manifest. */
  gitignore: boolean;
}

export interface InitPreview {
  file: string;
  text: string;
  /** A manifest is there and `force` replaces it. */
  replaces: boolean;
  /** The .gitignore entries that would be added, relative to the manifest's folder. */
  ignore: string[];
}

export interface InitIgnoreOutcome {
  entry: string;
  result?: GitignoreResult;
  /** Why the .gitignore was not edited (the manifest is written all the same). */
  problem?: string;
}

export interface InitResult {
  file: string;
  profile: string;
  gitignore: InitIgnoreOutcome[];
}

const refuseHint = 'Pass --force to replace it, or edit its profiles instead.';

/** Refuses a folder that already has a manifest, before anyone is asked anything. */
export async function checkInitFolder(folder: string, force: boolean): Promise<{ file: string; replaces: boolean }> {
  const { file, replaced } = await newManifestPlace(folder, { replace: force, hint: refuseHint });
  return { file, replaces: replaced !== null };
}

/** The text that would be written, validated by the manifest loader itself, and the .gitignore entries. */
export async function previewInit(request: InitRequest): Promise<InitPreview> {
  const { file, replaced } = await newManifestPlace(request.folder, { replace: request.force, hint: refuseHint });
  const text = newManifestText(request);
  parseManifest(text, file);
  return { file, text, replaces: replaced !== null, ignore: request.gitignore ? ignoreEntries(request) : [] };
}

/** Writes the manifest atomically, records it in the audit trail, then offers the .gitignore entries. */
export async function runInit(deps: AppDeps, request: InitRequest): Promise<InitResult> {
  const manifest = await createManifestFile(request.folder, request, { replace: request.force, hint: refuseHint });
  await recordAudit(deps, {
    action: 'manifest.change',
    profile: request.profile.name,
    target: manifest.path,
    outcome: 'ok',
    detail: request.force ? 'replaced the manifest (latchkey init --force)' : 'created the manifest (latchkey init)',
  });
  const gitignore: InitIgnoreOutcome[] = [];
  if (request.gitignore)
    for (const entry of ignoreEntries(request)) {
      try {
        gitignore.push({ entry, result: await addTargetToGitignore(manifest.dir, path.join(manifest.dir, entry)) });
      } catch (error) {
        // The manifest is written: a .gitignore we may not edit (a link, say) is said, not a failed init.
        if (!isLatchkeyError(error)) throw error;
        gitignore.push({ entry, problem: error.message });
      }
    }
  return { file: manifest.path, profile: request.profile.name, gitignore };
}

/** The target and latchkey.local.yml, relative to the manifest's folder (`/`-separated). */
function ignoreEntries(request: InitRequest): string[] {
  const folder = path.resolve(request.folder);
  const relative = (file: string) => path.relative(folder, path.resolve(folder, file)).split(path.sep).join('/');
  return [...new Set([relative(request.profile.target), relative(localOverridesPath(folder))])];
}

// ---------------------------------------------------------------------------------------------------------------
// What the caller can pick from

/** The chamber services these AWS settings can see, or why they could not be listed. */
export async function initServices(
  deps: AppDeps,
  aws: AwsSettings,
): Promise<{ services: { service: string; keys: number }[] } | { problem: string }> {
  try {
    return { services: await listServices(deps, { aws }) };
  } catch (error) {
    // No credentials yet is common on a new machine: the services can still be typed in.
    if (!isLatchkeyError(error)) throw error;
    return { problem: error.hint ? `${error.message}. ${error.hint}` : error.message };
  }
}

export interface InitVault {
  id: string;
  name: string;
}

/** The 1Password vaults the Connect token sees; `configured: false` when no Connect server or token is set. */
export async function initVaults(
  deps: AppDeps,
): Promise<{ configured: false } | { configured: true; vaults: InitVault[] } | { configured: true; problem: string }> {
  let connection;
  try {
    connection = await connectOp(deps);
  } catch (error) {
    if (isLatchkeyError(error) && error.code === 'NEEDS_INPUT') return { configured: false };
    throw error;
  }
  try {
    const vaults = await createOpApi(connection).listVaults();
    return {
      configured: true,
      vaults: vaults
        .map((v) => ({ id: v.id ?? '', name: v.name ?? v.id ?? '' }))
        .filter((v) => v.id !== '')
        .sort((a, b) => a.name.localeCompare(b.name)),
    };
  } catch (error) {
    if (!isLatchkeyError(error)) throw error;
    return { configured: true, problem: error.message };
  }
}

/** The items of one vault, each with the reference a `fields: all` source takes. */
export async function initVaultItems(deps: AppDeps, vault: InitVault): Promise<{ title: string; ref: string }[]> {
  const items = await createOpApi(await connectOp(deps)).listItems(vault.id);
  const titles = items.map((i) => i.title);
  return items
    .map((item) => ({
      title: item.title,
      ref: wholeItemRef(vault, item, titles.filter((t) => t === item.title).length === 1),
    }))
    .sort((a, b) => a.title.localeCompare(b.title));
}

/**
 * `op://vault/item` by names, which people can read, where the names make a valid and unambiguous reference;
 * otherwise by Connect's ids.
 */
function wholeItemRef(vault: InitVault, item: { id: string; title: string }, uniqueTitle: boolean): string {
  const byName = `op://${vault.name}/${item.title}`;
  if (uniqueTitle && !/[/?]/.test(vault.name + item.title) && opRefProblem(byName, true) === undefined) return byName;
  const byId = `op://${vault.id}/${item.id}`;
  if (opRefProblem(byId, true) !== undefined)
    throw new LatchkeyError('SOURCE_FAILED', `1Password returned an item without a usable id in vault ${vault.id}`);
  return byId;
}
