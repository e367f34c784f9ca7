import { describe, expect, it } from 'vitest';
import {
  ageDays,
  baseName,
  capitalize,
  dayLabel,
  formatAge,
  plural,
  relativeTime,
} from '../../../../renderer/lib/format';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-10T12:00:00Z');

describe('format', () => {
  it('ageDays prefers the rotation info, else counts from the modification time', () => {
    expect(ageDays(3, '2020-01-01T00:00:00Z', NOW)).toBe(3);
    expect(ageDays(undefined, new Date(NOW - 2.5 * DAY).toISOString(), NOW)).toBe(2.5);
    expect(ageDays(undefined, new Date(NOW + DAY).toISOString(), NOW)).toBe(0);
    expect(ageDays(undefined, 'not a date', NOW)).toBeUndefined();
    expect(ageDays(undefined, undefined, NOW)).toBeUndefined();
  });

  it('formatAge says today, whole days, then years', () => {
    expect(formatAge(undefined)).toBe('—');
    expect(formatAge(0.4)).toBe('today');
    expect(formatAge(89.9)).toBe('89 d');
    expect(formatAge(730.5)).toBe('2.0 y');
  });

  it('relativeTime rounds to the unit people use', () => {
    expect(relativeTime(NOW - 5_000, NOW)).toBe('just now');
    expect(relativeTime(NOW - 42_000, NOW)).toBe('42 s ago');
    expect(relativeTime(NOW - 5 * 60_000, NOW)).toBe('5 min ago');
    expect(relativeTime(new Date(NOW - 3 * 3_600_000).toISOString(), NOW)).toBe('3 h ago');
    expect(relativeTime(NOW - 4 * DAY, NOW)).toBe('4 d ago');
    expect(relativeTime('garbage', NOW)).toBe('');
  });

  it('dayLabel names today and yesterday, and an unreadable date as such', () => {
    const now = new Date(2026, 2, 10, 9, 0);
    expect(dayLabel(new Date(2026, 2, 10, 0, 5).toISOString(), now)).toBe('Today');
    expect(dayLabel(new Date(2026, 2, 9, 23, 59).toISOString(), now)).toBe('Yesterday');
    expect(dayLabel('nope', now)).toBe('Unknown date');
    expect(dayLabel(new Date(2025, 0, 3).toISOString(), now)).toMatch(/2025/);
  });

  it('plural, baseName and capitalize', () => {
    expect(plural(1, 'key')).toBe('1 key');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
    expect(baseName('/work/acme-api/')).toBe('acme-api');
    expect(baseName('C:\\Users\\dev\\acme')).toBe('acme');
    expect(baseName('')).toBe('');
    expect(capitalize('not a URL')).toBe('Not a URL');
    expect(capitalize('')).toBe('');
  });
});
