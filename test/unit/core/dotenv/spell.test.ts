import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentValues, parseDotenv } from '../../../../main/core/dotenv/parse';
import { REFUSAL, spellEntry, spellValue } from '../../../../main/core/dotenv/spell';
import type { Dialect } from '../../../../main/core/types';

const DIALECTS: Dialect[] = ['portable', 'docker', 'shell'];
const REASONS = new Set<string>(Object.values(REFUSAL));

function text(value: string, dialect: Dialect): string {
  const spelling = spellValue(value, dialect);
  if (!spelling.ok) throw new Error(`expected a spelling, got: ${spelling.reason}`);
  return spelling.text;
}

function reason(value: string, dialect: Dialect): string {
  const spelling = spellValue(value, dialect);
  if (spelling.ok) throw new Error(`expected a refusal, got: ${spelling.text}`);
  return spelling.reason;
}

describe('portable spelling, in REFERENCE.md order', () => {
  it('writes plain values unquoted', () => {
    expect(text('abc', 'portable')).toBe('abc');
    expect(text('', 'portable')).toBe('');
    expect(text('a b\tc', 'portable')).toBe('a b\tc');
    expect(text('p@ss=w:rd!', 'portable')).toBe('p@ss=w:rd!');
    expect(text("it's", 'portable')).toBe("it's");
    expect(text('say "hi"', 'portable')).toBe('say "hi"');
    expect(text('C:\\dir\\\\x\\', 'portable')).toBe('C:\\dir\\\\x\\');
    expect(text('$HOME and $', 'portable')).toBe('$HOME and $');
    expect(text('😀 é e\u0301 \u202e', 'portable')).toBe('😀 é e\u0301 \u202e');
  });

  it('single-quotes what cannot stand unquoted but holds no single quote or backslash trouble', () => {
    expect(text(' lead', 'portable')).toBe("' lead'");
    expect(text('trail\u00a0', 'portable')).toBe("'trail\u00a0'");
    expect(text('\ufeffbom', 'portable')).toBe("'\ufeffbom'");
    expect(text('\u0085nel', 'portable')).toBe("'\u0085nel'");
    expect(text('a#b', 'portable')).toBe("'a#b'");
    expect(text('line1\nline2', 'portable')).toBe("'line1\nline2'");
    expect(text('a\u2028b', 'portable')).toBe("'a\u2028b'");
    expect(text('"quoted"', 'portable')).toBe('\'"quoted"\'');
    expect(text('`tick', 'portable')).toBe("'`tick'");
    expect(text(' C:\\dir', 'portable')).toBe("' C:\\dir'");
  });

  it('double-quotes, escaping only newlines, when single quotes do not fit', () => {
    expect(text("it's #1", 'portable')).toBe('"it\'s #1"');
    expect(text("'quoted'", 'portable')).toBe('"\'quoted\'"');
    expect(text("line1\nit's", 'portable')).toBe('"line1\\nit\'s"');
    expect(text("#it's C:\\dir", 'portable')).toBe('"#it\'s C:\\dir"');
  });

  it('refuses, naming the category, values with no portable spelling', () => {
    expect(reason('a\rb', 'portable')).toBe(REFUSAL.carriageReturn);
    expect(reason('x${HOME}', 'portable')).toBe(REFUSAL.interpolation);
    expect(reason('${', 'portable')).toBe(REFUSAL.interpolation);
    expect(reason('a\0b', 'portable')).toBe(REFUSAL.nul);
    expect(reason('\ud800x', 'portable')).toBe(REFUSAL.surrogate);
    expect(reason('x\udc00', 'portable')).toBe(REFUSAL.surrogate);
    expect(reason(' ends\\', 'portable')).toBe(REFUSAL.endsInBackslash);
    expect(reason('#a\\\\b', 'portable')).toBe(REFUSAL.doubleBackslash);
    expect(reason(`#it's "x"`, 'portable')).toBe(REFUSAL.bothQuotes);
    expect(reason("#it's\\t", 'portable')).toBe(REFUSAL.quoteAndEscape);
    expect(reason("#it's\\'", 'portable')).toBe(REFUSAL.quoteAndEscape);
    expect(reason("it's\\\nx", 'portable')).toBe(REFUSAL.quoteAndEscape);
  });

  it('keeps a value that only needs no quoting even with backslashes at the end', () => {
    // Unquoted, nobody decodes backslashes, so the quoting-only refusals do not apply.
    expect(text('ends\\', 'portable')).toBe('ends\\');
    expect(text("it's\\\\", 'portable')).toBe("it's\\\\");
  });
});

describe('docker spelling', () => {
  it('writes the subset both docker readers read literally, unquoted', () => {
    for (const value of ['abc', '', 'a b', 'a\\b\\n', "it's", 'say "hi"', 'k=v', '😀', 'a\u2028b', '`tick`']) {
      expect(text(value, 'docker')).toBe(value);
    }
  });

  it('refuses what compose and docker run would read differently', () => {
    expect(reason('a\nb', 'docker')).toBe(REFUSAL.lineBreak);
    expect(reason('a\rb', 'docker')).toBe(REFUSAL.lineBreak);
    expect(reason(' a', 'docker')).toBe(REFUSAL.dockerEdgeWhitespace);
    expect(reason('a\t', 'docker')).toBe(REFUSAL.dockerEdgeWhitespace);
    expect(reason("'a'", 'docker')).toBe(REFUSAL.dockerQuote);
    expect(reason('"a', 'docker')).toBe(REFUSAL.dockerQuote);
    expect(reason('a #b', 'docker')).toBe(REFUSAL.dockerHash);
    expect(reason('a#b', 'docker')).toBe(REFUSAL.dockerHash);
    expect(reason('$HOME', 'docker')).toBe(REFUSAL.dockerDollar);
    expect(reason('a$', 'docker')).toBe(REFUSAL.dockerDollar);
    expect(reason('a\0', 'docker')).toBe(REFUSAL.nul);
    expect(reason('x'.repeat(70_000), 'docker')).toBe(REFUSAL.dockerTooLong);
  });

  it('checks the 64 KiB line limit against the whole line, key included', () => {
    const value = 'é'.repeat(32_000); // 64,000 bytes
    expect(spellEntry('K', value, 'docker').ok).toBe(true);
    expect(spellEntry('K'.repeat(2000), value, 'docker')).toEqual({ ok: false, reason: REFUSAL.dockerTooLong });
  });
});

describe('shell spelling', () => {
  it('single-quotes everything, closing and escaping each single quote', () => {
    expect(text('abc', 'shell')).toBe("'abc'");
    expect(text('', 'shell')).toBe("''");
    expect(text("it's", 'shell')).toBe("'it'\\''s'");
    expect(text("''", 'shell')).toBe("''\\'''\\'''");
    expect(text('$(rm -rf /) `x` \\ "\n\r', 'shell')).toBe("'$(rm -rf /) `x` \\ \"\n\r'");
    expect(spellEntry('KEY', "a'b", 'shell')).toEqual({ ok: true, text: "export KEY='a'\\''b'" });
  });

  it('refuses only NUL and invalid Unicode', () => {
    expect(reason('a\0b', 'shell')).toBe(REFUSAL.nul);
    expect(reason('\udfff', 'shell')).toBe(REFUSAL.surrogate);
  });
});

describe('spellEntry', () => {
  it('writes KEY=… for portable and docker, export KEY=… for shell', () => {
    expect(spellEntry('API_KEY', 'v 1', 'portable')).toEqual({ ok: true, text: 'API_KEY=v 1' });
    expect(spellEntry('API_KEY', ' v', 'portable')).toEqual({ ok: true, text: "API_KEY=' v'" });
    expect(spellEntry('_k9', 'v', 'docker')).toEqual({ ok: true, text: '_k9=v' });
    expect(spellEntry('K', 'v', 'shell')).toEqual({ ok: true, text: "export K='v'" });
  });

  it('refuses keys that are not portable environment variable names, in every dialect', () => {
    for (const dialect of DIALECTS) {
      for (const key of ['', '1ABC', 'A-B', 'A B', 'A.B', 'ÄB', 'A=B', 'export K', 'K\n']) {
        expect(spellEntry(key, 'v', dialect)).toEqual({ ok: false, reason: REFUSAL.badKey });
      }
    }
  });

  it('refuses __proto__ in the portable dialect only, where the JavaScript readers lose it', () => {
    expect(spellEntry('__proto__', 'v', 'portable')).toEqual({ ok: false, reason: REFUSAL.protoKey });
    expect(spellEntry('__proto__', 'v', 'shell').ok).toBe(true);
    expect(spellEntry('__proto__', 'v', 'docker').ok).toBe(true);
  });

  it('passes on the value refusal', () => {
    expect(spellEntry('K', 'a\rb', 'portable')).toEqual({ ok: false, reason: REFUSAL.carriageReturn });
  });
});

describe('refusal reasons never carry the value', () => {
  const anyValue = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc
      .array(fc.constantFrom('\\', "'", '"', '#', ' ', '\n', '\r', '$', '{', '\0', 'SECRET', '\ud800'), {
        maxLength: 8,
      })
      .map((parts) => parts.join('')),
  );

  it('every reason is one of the fixed REFUSAL texts', () => {
    fc.assert(
      fc.property(anyValue, fc.constantFrom(...DIALECTS), (value, dialect) => {
        const spelling = spellEntry('K', value, dialect);
        if (!spelling.ok) expect(REASONS.has(spelling.reason)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('what the writer spells, the parser reads back', () => {
  it('holds for single entries in every dialect', () => {
    const value = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc
        .array(fc.constantFrom('\\', "'", '"', '`', '#', ' ', '\t', '\n', '=', '$', 'a', '\u2028', '\u00a0'), {
          maxLength: 10,
        })
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(value, fc.constantFrom(...DIALECTS), (v, dialect) => {
        const spelling = spellEntry('KEY', v, dialect);
        if (!spelling.ok) return;
        const doc = parseDotenv(`${spelling.text}\n`, dialect);
        expect(doc.lines).toHaveLength(1);
        expect(doc.lines[0]).toMatchObject({ kind: 'entry', key: 'KEY', value: v, raw: spelling.text });
        expect(documentValues(doc).get('KEY')).toBe(v);
      }),
      { numRuns: 10_000 },
    );
  });
});
