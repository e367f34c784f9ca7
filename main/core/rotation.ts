import { ROTATION_DUE_FRACTION, type RotationInfo } from '../../contract/plan';
import { LatchkeyError } from './errors';
import type { RotationPolicy, SourceSpec } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Dates up to this far in the future are clock skew between us and the source; further is not believable. */
const MAX_CLOCK_SKEW_MS = DAY_MS;

/**
 * Where a secret stands against its rotation policy:
 * - `ok` while age < 80 % of maxAgeDays;
 * - `due` from 80 % of maxAgeDays up to and including maxAgeDays itself;
 * - `overdue` once age > maxAgeDays (a 90-day policy is kept on day 90, broken after it);
 * - `unknown` without a date, with an unparseable one, or one more than a day in the future.
 * The status is judged on the exact age; `ageDays` is rounded down to one decimal for display, so it never
 * shows more than the real age.
 */
export function rotationStatus(
  modifiedAt: string | Date | undefined,
  policy: RotationPolicy,
  now: Date = new Date(),
): RotationInfo {
  const { maxAgeDays } = policy;
  if (!Number.isFinite(maxAgeDays) || maxAgeDays <= 0) {
    throw new LatchkeyError(
      'INVALID_INPUT',
      `A rotation policy needs a positive maxAgeDays, not ${String(maxAgeDays)}`,
    );
  }
  const modifiedMs = toMillis(modifiedAt);
  const nowMs = now.getTime();
  if (modifiedMs === undefined || !Number.isFinite(nowMs) || modifiedMs - nowMs > MAX_CLOCK_SKEW_MS) {
    return { status: 'unknown', maxAgeDays };
  }
  const ageMs = Math.max(0, nowMs - modifiedMs);
  const maxAgeMs = maxAgeDays * DAY_MS;
  // Compare in whole milliseconds scaled by 10 so that 80 % is exact (0.8 itself is not a binary fraction).
  const status = ageMs > maxAgeMs ? 'overdue' : ageMs * 10 >= ROTATION_DUE_FRACTION * 10 * maxAgeMs ? 'due' : 'ok';
  return { status, ageDays: Math.floor((ageMs * 10) / DAY_MS) / 10, maxAgeDays };
}

function toMillis(value: string | Date | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Whether a source's values are rotated at all. A `set:` value is plain configuration written in the manifest, and a
 * keychain value is each person's own (a token, a local password): nobody rotates them on the team's policy, so they
 * have no rotation status rather than a permanent `unknown` that would drown the keys that really lack a date.
 */
export function isRotated(spec: SourceSpec): boolean {
  return spec.kind !== 'set' && spec.kind !== 'keychain';
}
