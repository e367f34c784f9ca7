import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLossless, encodeLossless } from '../../../main/core/bytes';

// Issue 10, item 13: text that carries any bytes through a parse and a rewrite unchanged.

describe('lossless text', () => {
  it('round-trips any bytes exactly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(encodeLossless(decodeLossless(bytes)).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes valid UTF-8 as UTF-8 does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        const bytes = Buffer.from(text, 'utf8');
        expect(decodeLossless(bytes)).toBe(text);
        expect(encodeLossless(text).equals(bytes)).toBe(true);
      }),
    );
  });

  it('keeps Latin-1, overlong, surrogate and truncated sequences as their bytes', () => {
    for (const hex of ['e9', 'c0af', 'eda080', 'f4908080', 'e282', 'ff', 'f0', '41ed9fbf42', 'efbbbf']) {
      const bytes = Buffer.from(hex, 'hex');
      expect(encodeLossless(decodeLossless(bytes)).toString('hex'), hex).toBe(hex);
    }
    expect(decodeLossless(Buffer.from('caf\xe9', 'latin1'))).toBe('caf\udce9');
  });
});
