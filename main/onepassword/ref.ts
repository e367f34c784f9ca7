import { OP_ID_PATTERN } from '../../contract/ipc';
import { LatchkeyError } from '../core/errors';
import { opRefProblem } from '../core/manifest-schema';

/** `op://vault/item[/section]/field[?attribute=otp]`, split. Each part is a name or a 26-char id. */
export interface OpRef {
  raw: string;
  vault: string;
  item: string;
  section?: string;
  /** Absent for a whole-item reference (`fields: all`). */
  field?: string;
  /** One field: its current one-time code (`?attribute=otp`). A whole item: its OTP fields as codes (`totp: code`). */
  otp: boolean;
}

/** Connect ids are 26 characters of `[a-z0-9]`; the client, and so we, take any such part as an id. */
export function isOpId(part: string): boolean {
  return OP_ID_PATTERN.test(part);
}

/**
 * Parses a reference after checking it with the manifest's own grammar check, so that the manifest, `op read` and
 * the source can never disagree about what a valid reference is.
 */
export function parseOpRef(raw: string, opts: { allFields?: boolean; otpCodes?: boolean } = {}): OpRef {
  const problem = opRefProblem(raw, opts.allFields ?? false);
  if (problem)
    throw new LatchkeyError('INVALID_INPUT', `invalid 1Password reference ${JSON.stringify(raw)}: ${problem}`);
  const [pathPart = '', query] = raw.slice('op://'.length).split('?');
  const [vault = '', item = '', ...rest] = pathPart.split('/');
  const otp = query !== undefined;
  if (opts.allFields) return { raw, vault, item, otp: opts.otpCodes ?? false };
  return rest.length === 2
    ? { raw, vault, item, section: rest[0], field: rest[1], otp }
    : { raw, vault, item, field: rest[0], otp };
}
