import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ELLIPSIS, fitMiddle, middleTruncate } from '../../../../renderer/lib/middle-truncate';

/** A monospace stand-in for the browser's measurement: every code point is 7 px wide. */
const mono = (s: string) => Array.from(s).length * 7;

describe('middleTruncate', () => {
  it('keeps the start and the end, with the ellipsis in the middle', () => {
    expect(middleTruncate('acme-dev-eu-west-1', 8)).toBe('acme…st-1');
    expect(middleTruncate('acme-dev-us-east-1', 8)).toBe('acme…st-1');
    expect(middleTruncate('acme-dev-eu-west-1', 13)).toBe('acme-de…west-1');
    expect(middleTruncate('acme-dev-us-east-1', 13)).toBe('acme-de…east-1');
  });

  it('leaves a text that fits as it is', () => {
    expect(middleTruncate('shared/db', 9)).toBe('shared/db');
    expect(middleTruncate('shared/db', 40)).toBe('shared/db');
  });

  it('never splits a code point', () => {
    expect(middleTruncate('🔑🔑🔑🔑🔑', 2)).toBe(`🔑${ELLIPSIS}🔑`);
  });

  it('keeps the ellipsis alone when nothing may be kept', () => {
    expect(middleTruncate('abc', 0)).toBe(ELLIPSIS);
    expect(middleTruncate('abc', -3)).toBe(ELLIPSIS);
  });

  it('keeps exactly `keep` characters of the original, its start and its end', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 60 }).filter((s) => !s.includes(ELLIPSIS)),
        fc.nat(80),
        (text, keep) => {
          const out = middleTruncate(text, keep);
          if (keep >= Array.from(text).length) {
            expect(out).toBe(text);
          } else {
            const [head, tail] = out.split(ELLIPSIS, 2) as [string, string];
            expect(Array.from(head).length + Array.from(tail).length).toBe(keep);
            expect(text.startsWith(head)).toBe(true);
            expect(text.endsWith(tail)).toBe(true);
          }
        },
      ),
    );
  });
});

describe('fitMiddle', () => {
  it('returns the whole text when it fits', () => {
    expect(fitMiddle('shared/db/password', 18 * 7, mono)).toBe('shared/db/password');
  });

  it('keeps as much as fits, and no more', () => {
    const out = fitMiddle('shared/database/password', 12 * 7, mono);
    expect(out).toBe('shared…sword');
    expect(mono(out)).toBeLessThanOrEqual(12 * 7);
    expect(mono(middleTruncate('shared/database/password', 12))).toBeGreaterThan(12 * 7);
  });

  it('tells two long names with a common start apart by their ends', () => {
    const a = fitMiddle('shared/database/password-primary', 16 * 7, mono);
    const b = fitMiddle('shared/database/password-replica', 16 * 7, mono);
    expect(a).toBe('shared/d…primary');
    expect(a).not.toBe(b);
  });

  it('always fits, down to the ellipsis alone', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), fc.integer({ min: 7, max: 500 }), (text, width) => {
        expect(mono(fitMiddle(text, width, mono))).toBeLessThanOrEqual(width);
      }),
    );
    expect(fitMiddle('abcdef', 3, mono)).toBe(ELLIPSIS);
  });
});
