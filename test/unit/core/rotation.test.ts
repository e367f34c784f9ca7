import { describe, expect, it } from 'vitest';
import { RotationInfoSchema } from '../../../contract/plan';
import { rotationStatus } from '../../../main/core/rotation';

const DAY = 24 * 60 * 60 * 1000;
const now = new Date('2025-06-01T12:00:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const policy = { maxAgeDays: 90 };

describe('rotationStatus', () => {
  it('is ok for a fresh secret and reports its age', () => {
    expect(rotationStatus(ago(10 * DAY), policy, now)).toEqual({ status: 'ok', ageDays: 10, maxAgeDays: 90 });
  });

  it('turns due exactly at 80 % of the maximum age, not a millisecond before', () => {
    expect(rotationStatus(ago(72 * DAY - 1), policy, now).status).toBe('ok');
    expect(rotationStatus(ago(72 * DAY), policy, now)).toEqual({ status: 'due', ageDays: 72, maxAgeDays: 90 });
  });

  it('stays due on the last day of the policy and turns overdue just after it', () => {
    expect(rotationStatus(ago(90 * DAY), policy, now)).toEqual({ status: 'due', ageDays: 90, maxAgeDays: 90 });
    expect(rotationStatus(ago(90 * DAY + 1), policy, now)).toEqual({ status: 'overdue', ageDays: 90, maxAgeDays: 90 });
    expect(rotationStatus(ago(400 * DAY), policy, now).status).toBe('overdue');
  });

  it('is exact at 80 % for policies whose 80 % is not a whole number of days', () => {
    const odd = { maxAgeDays: 7 }; // 80 % = 5.6 days
    expect(rotationStatus(ago(5.6 * DAY - 1), odd, now).status).toBe('ok');
    expect(rotationStatus(ago(5.6 * DAY), odd, now).status).toBe('due');
  });

  it('gives ageDays rounded down to one decimal', () => {
    expect(rotationStatus(ago(DAY * 1.26), policy, now).ageDays).toBe(1.2);
    expect(rotationStatus(ago(0.3 * DAY), policy, now).ageDays).toBe(0.3);
    expect(rotationStatus(ago(0), policy, now).ageDays).toBe(0);
  });

  it('accepts ISO strings as the sources give them', () => {
    expect(rotationStatus('2025-05-22T12:00:00Z', policy, now)).toEqual({ status: 'ok', ageDays: 10, maxAgeDays: 90 });
    expect(rotationStatus('2025-03-01T12:00:00.000Z', policy, now)).toEqual({
      status: 'overdue',
      ageDays: 92,
      maxAgeDays: 90,
    });
  });

  it('is unknown without a date, or with an unparseable one', () => {
    for (const value of [undefined, '', '   ', 'yesterday-ish', 'not a date', new Date(Number.NaN)]) {
      expect(rotationStatus(value, policy, now)).toEqual({ status: 'unknown', maxAgeDays: 90 });
    }
  });

  it('tolerates up to a day of clock skew into the future as age 0, and is unknown beyond', () => {
    expect(rotationStatus(new Date(now.getTime() + DAY), policy, now)).toEqual({
      status: 'ok',
      ageDays: 0,
      maxAgeDays: 90,
    });
    expect(rotationStatus(new Date(now.getTime() + 60_000), policy, now).ageDays).toBe(0);
    expect(rotationStatus(new Date(now.getTime() + DAY + 1), policy, now)).toEqual({
      status: 'unknown',
      maxAgeDays: 90,
    });
  });

  it('uses the current time by default', () => {
    expect(rotationStatus(new Date(Date.now() - 100 * DAY), policy).status).toBe('overdue');
  });

  it('always returns what the contract schema accepts', () => {
    for (const age of [-2 * DAY, -1, 0, 1, 71 * DAY, 72 * DAY, 90 * DAY, 91 * DAY]) {
      expect(RotationInfoSchema.safeParse(rotationStatus(ago(age), policy, now)).success).toBe(true);
    }
  });

  it('refuses a policy without a positive maximum age', () => {
    for (const maxAgeDays of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => rotationStatus(ago(DAY), { maxAgeDays }, now)).toThrow(/positive maxAgeDays/);
    }
  });
});
