import { promises as fs } from 'node:fs';
import path from 'node:path';
import { connectHostProblem } from '../../contract/ipc/op';
import { errorCode, writeFileAtomic } from './atomic-write';
import { LatchkeyError } from './errors';
import { describeRejectedInput } from './redact';
import { ensurePrivateDir } from './paths';

/**
 * Where the 1Password Connect server lives. Kept in its own small file rather than settings.json because the
 * settings schema is part of the IPC contract, and a field it does not know would be dropped on the next save.
 * The token is never here: it lives in the keychain under OP_TOKEN_ACCOUNT.
 */
const OP_SETTINGS_FILE = 'op.json';
export const OP_TOKEN_ACCOUNT = 'op-connect-token';

export interface OpSettings {
  connectHost?: string;
  /**
   * The server the user last confirmed in the app's own (main-side) dialog as the one to send the token to. The
   * app asks again before saving any other (issue 10, finding 11); the CLI's user typed the URL, which confirms it.
   */
  confirmedHost?: string;
}

function opSettingsPath(appDir: string): string {
  return path.join(appDir, OP_SETTINGS_FILE);
}

/** Accepts only what the contract's Connect host rule accepts; returns the URL without a trailing slash. */
export function normaliseConnectHost(input: string): string {
  const problem = connectHostProblem(input);
  // Never echo the input: a token pasted here by mistake must not end up on the screen or in a log (item 17).
  if (problem) throw new LatchkeyError('INVALID_INPUT', `${problem} (${describeRejectedInput(input)})`);
  return new URL(input.trim()).href.replace(/\/+$/, '');
}

export async function loadOpSettings(appDir: string): Promise<OpSettings> {
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(opSettingsPath(appDir), 'utf8'));
  } catch (error) {
    if (errorCode(error) && errorCode(error) !== 'ENOENT') {
      throw new LatchkeyError('WRITE_FAILED', `Cannot read ${opSettingsPath(appDir)} (${errorCode(error)})`);
    }
    return {};
  }
  const { connectHost, confirmedHost } = (raw ?? {}) as { connectHost?: unknown; confirmedHost?: unknown };
  const host = validHost(connectHost);
  const confirmed = validHost(confirmedHost);
  return { ...(host && { connectHost: host }), ...(confirmed && { confirmedHost: confirmed }) };
}

function validHost(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return normaliseConnectHost(value);
  } catch {
    return undefined;
  }
}

/** Saves the server; it is the confirmed one too, since whoever saves it has confirmed it (see OpSettings). */
export async function saveOpConnectHost(appDir: string, input: string): Promise<string> {
  const connectHost = normaliseConnectHost(input);
  const settings: OpSettings = { connectHost, confirmedHost: connectHost };
  await ensurePrivateDir(appDir);
  await writeFileAtomic(opSettingsPath(appDir), `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  return connectHost;
}
