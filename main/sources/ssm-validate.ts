import { LatchkeyError } from '../core/errors';
import type { ChamberSpec, SsmSpec } from '../core/types';

const SERVICE_PATTERN = /^[\w\-.]+(\/[\w\-.]+)*$/;
const KEY_PATTERN = /^[\w\-.]+$/;
/** SSM's own rule for names: letters, digits, `_ . -` and `/`. Version or label selectors are not supported. */
const PARAMETER_NAME_PATTERN = /^\/?[\w\-.]+(\/[\w\-.]+)*$/;

/** Throws INVALID_NAME for a name SSM or chamber would refuse, before any request is sent. */
export function validateSsmSpec(spec: ChamberSpec | SsmSpec): void {
  const at = spec.pos ? ` (latchkey.yml line ${spec.pos.line}, column ${spec.pos.col})` : '';
  if (spec.kind === 'ssm') {
    if (!PARAMETER_NAME_PATTERN.test(spec.name)) {
      throw new LatchkeyError(
        'INVALID_NAME',
        `"${spec.name}" is not a valid SSM parameter name${at}`,
        'A name has letters, digits, _ . - and / only, e.g. /legacy/stripe_key.',
      );
    }
    return;
  }
  const service = spec.service.toLowerCase();
  if (!SERVICE_PATTERN.test(service)) {
    throw new LatchkeyError(
      'INVALID_NAME',
      `"${spec.service}" is not a valid chamber service${at}`,
      'A service is words of letters, digits, _ . - separated by /, e.g. api/dev (no leading slash).',
    );
  }
  if (service.split('/')[0] === '_chamber') {
    throw new LatchkeyError('INVALID_NAME', `The chamber service "_chamber" is reserved${at}`);
  }
  for (const key of spec.only ?? []) {
    if (!KEY_PATTERN.test(key.toLowerCase())) {
      throw new LatchkeyError(
        'INVALID_NAME',
        `"${key}" in only: of chamber ${spec.service} is not a valid chamber key${at}`,
        'A key has letters, digits, _ . - only.',
      );
    }
  }
}
