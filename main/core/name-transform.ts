import { LatchkeyError } from './errors';
import { ENV_NAME_PATTERN } from '../../contract/ipc/shared';
import type { NameCase } from './name-cases';

/**
 * How `exec`, `export` and `inject` may rename the profile's variables for a consumer: `--case lower` for
 * Terraform's lower-case variable names, `--prefix TF_VAR_` for the environment Terraform reads them from. The case
 * applies to the profile's names; the prefix is put in front as written.
 */
export type { NameCase } from './name-cases';

export interface NameTransform {
  prefix?: string;
  case?: NameCase;
}

function checkPrefix(prefix: string): void {
  if (prefix !== '' && !ENV_NAME_PATTERN.test(prefix)) {
    throw new LatchkeyError(
      'INVALID_INPUT',
      `--prefix ${JSON.stringify(prefix)} is not the start of a variable name`,
      'Use letters, digits and _, starting with a letter or _, e.g. TF_VAR_.',
    );
  }
}

function transformName(name: string, transform: NameTransform): string {
  const cased =
    transform.case === 'lower' ? name.toLowerCase() : transform.case === 'upper' ? name.toUpperCase() : name;
  return `${transform.prefix ?? ''}${cased}`;
}

/**
 * The values under their new names. Two names that become one (`Db_Host` and `DB_HOST` in lower case) are an error
 * naming both: which one a consumer would see would be an accident of order.
 */
export function transformNames(values: Map<string, string>, transform: NameTransform): Map<string, string> {
  if (!transform.prefix && (transform.case ?? 'keep') === 'keep') return values;
  checkPrefix(transform.prefix ?? '');
  const out = new Map<string, string>();
  const from = new Map<string, string>();
  const clashes: string[] = [];
  for (const [name, value] of values) {
    const renamed = transformName(name, transform);
    const earlier = from.get(renamed);
    if (earlier !== undefined) clashes.push(`${earlier} and ${name} both become ${renamed}`);
    else if (!ENV_NAME_PATTERN.test(renamed)) clashes.push(`${name} becomes ${renamed}, which is not a variable name`);
    from.set(renamed, name);
    out.set(renamed, value);
  }
  if (clashes.length > 0) {
    throw new LatchkeyError('PLAN_HAS_ERRORS', `renaming the profile's variables fails:\n  ${clashes.join('\n  ')}`);
  }
  return out;
}
