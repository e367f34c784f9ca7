import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentValues, parseDotenv } from '../../../../main/core/dotenv/parse';
import { readWithDotenv } from '../../../support/env-readers';

const values = (text: string, dialect?: Parameters<typeof parseDotenv>[1]) =>
  Object.fromEntries(documentValues(parseDotenv(text, dialect)));

describe('parseDotenv, portable (what the dotenv package accepts)', () => {
  it('reads assignments, export prefixes and spaces around =', () => {
    const doc = parseDotenv('A=1\n  B = two  \nexport C=3\nexport   D =4\nE: colon\n');
    expect(doc.lines.map((line) => [line.kind, line.key, line.value])).toEqual([
      ['entry', 'A', '1'],
      ['entry', 'B', 'two'],
      ['entry', 'C', '3'],
      ['entry', 'D', '4'],
      ['entry', 'E', 'colon'],
    ]);
    expect(doc.lines[1].raw).toBe('  B = two  ');
  });

  it('reads single, double and backtick quotes, decoding \\n and \\r only in double quotes', () => {
    expect(values(`S='a\\nb'\nD="a\\nb\\r\\tc"\nT=\`it's "x"\`\nE=''\n`)).toEqual({
      S: 'a\\nb',
      D: 'a\nb\r\\tc',
      T: `it's "x"`,
      E: '',
    });
  });

  it('reads comments, inline comments and # inside values the way dotenv does', () => {
    const doc = parseDotenv('# top\nA=v # note\nB=v#tight\nC="x # y" # note\n  # indented\nD=\'#\'\n');
    expect(doc.lines.map((line) => line.kind)).toEqual(['other', 'entry', 'entry', 'entry', 'other', 'entry']);
    expect(documentValues(doc)).toEqual(
      new Map([
        ['A', 'v'],
        ['B', 'v'],
        ['C', 'x # y'],
        ['D', '#'],
      ]),
    );
  });

  it('spans multi-line quoted values in one line whose raw keeps every source line', () => {
    const text = 'A=\'line1\nline2\'\nB="x\ny" # c\nC=1\n';
    const doc = parseDotenv(text);
    expect(doc.lines).toEqual([
      { kind: 'entry', raw: "A='line1\nline2'", key: 'A', value: 'line1\nline2', terminator: '\n' },
      { kind: 'entry', raw: 'B="x\ny" # c', key: 'B', value: 'x\ny', terminator: '\n' },
      { kind: 'entry', raw: 'C=1', key: 'C', value: '1', terminator: '\n' },
    ]);
  });

  it('keeps blank lines, comments and lines it does not understand verbatim as other', () => {
    const text = '\n   \n# comment\nnot an assignment\nfoo bar=baz\n=novalue\nA=1';
    const doc = parseDotenv(text);
    expect(doc.lines.map((line) => [line.kind, line.raw])).toEqual([
      ['other', ''],
      ['other', '   '],
      ['other', '# comment'],
      ['other', 'not an assignment'],
      ['other', 'foo bar=baz'],
      ['other', '=novalue'],
      ['entry', 'A=1'],
    ]);
    expect(doc.finalNewline).toBe(false);
  });

  it('handles CRLF files: remembers the eol, keeps CRs out of raw and values', () => {
    const doc = parseDotenv('# c\r\nA=1\r\nB="x\r\ny"\r\n');
    expect(doc.eol).toBe('\r\n');
    expect(doc.finalNewline).toBe(true);
    expect(doc.lines.map((line) => line.raw)).toEqual(['# c', 'A=1', 'B="x\r\ny"']);
    expect(documentValues(doc)).toEqual(
      new Map([
        ['A', '1'],
        ['B', 'x\ny'],
      ]),
    );
    expect(parseDotenv('A=1\nB=2\r\n').eol).toBe('\n');
  });

  it('notes a BOM and keeps it out of the first key', () => {
    const doc = parseDotenv('\ufeffA=1\n');
    expect(doc.bom).toBe(true);
    expect(doc.lines[0]).toMatchObject({ key: 'A', raw: 'A=1' });
    expect(parseDotenv('A=1\n').bom).toBe(false);
  });

  it('reports every occurrence of a key; documentValues keeps the last, as readers do', () => {
    const doc = parseDotenv('A=1\nB=2\nA=3\n');
    expect(doc.lines.filter((line) => line.key === 'A')).toHaveLength(2);
    expect(documentValues(doc).get('A')).toBe('3');
  });

  it('describes empty and newline-only files', () => {
    expect(parseDotenv('')).toEqual({ lines: [], eol: '\n', finalNewline: false, bom: false });
    expect(parseDotenv('\n')).toEqual({
      lines: [{ kind: 'other', raw: '', terminator: '\n' }],
      eol: '\n',
      finalNewline: true,
      bom: false,
    });
  });

  it('agrees with dotenv on a table of awkward lines', () => {
    const awkward = [
      "A='unterminated\nB=2\n",
      'A="a\\"b" junk\nB=2\n',
      "A='a\\'b'\n",
      "A='x\\'\nB=y'\n",
      'A=\n"on the next line"\n',
      'A\n=value on the next line\n',
      'A:\nnext\n',
      'A = " spaced "  # c\n',
      'A=`a\nb`\n',
      'export=1\nexport\nexport X\n',
      'A.B-c=1\n',
      'A="\\\\n"\n',
      "A='a' # c\n# c2\nB=2\n",
      'A=\'"x"\'\n',
      'A="\'x\'"\n',
      "A='a'b'\n",
      'A=x\rB=y\r',
    ];
    for (const text of awkward) expect(values(text), JSON.stringify(text)).toEqual(readWithDotenv(text));
  });

  it('agrees with dotenv on random text', () => {
    // U+2028/U+2029 are left out on purpose: dotenv's regex treats them as line starts, a quirk no other reader
    // shares and that the writer never relies on (it always quotes such values).
    const token = fc.constantFrom(
      ...['a', 'B', '_', '.', '-', '1', '=', "'", '"', '`', '#', ' ', '\t', '\n', '\r', '\r\n', '\\', 'n', 'r', ':'],
      ...['export ', 'export', 'K=', '\v', '\u00a0', '\ufeff', 'é', '😀', '\\n', "\\'", '\\"'],
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 80 }), (tokens) => {
        const text = tokens.join('');
        expect(values(text)).toEqual(readWithDotenv(text));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('parseDotenv scales', () => {
  it('reads large and hostile files in linear time', () => {
    const big = Array.from({ length: 20_000 }, (_, i) => `KEY_${i}='value ${i}'\n# note ${i}\n`).join('');
    const unterminated = Array.from({ length: 20_000 }, (_, i) => `K${i}="no closing quote ${i}\n`).join('');
    const started = performance.now();
    expect(documentValues(parseDotenv(big)).size).toBe(20_000);
    expect(documentValues(parseDotenv(unterminated)).get('K7')).toBe('"no closing quote 7');
    expect(parseDotenv(big, 'shell').lines).toHaveLength(40_000);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});

describe('parseDotenv, shell', () => {
  it("decodes POSIX quoting, including '\\''", () => {
    const text = [
      "export A='it'\\''s'",
      'B="x\\"y\\$z\\\\w\\q" # comment',
      'C=a\\ b\\\\c',
      "D='l1\nl2'",
      '  export   E=plain',
      "F=''",
      'G=',
      'H=\'a\'"b"c',
      'I=abc\\\ndef',
    ].join('\n');
    expect(values(text, 'shell')).toEqual({
      A: "it's",
      B: 'x"y$z\\w\\q',
      C: 'a b\\c',
      D: 'l1\nl2',
      E: 'plain',
      F: '',
      G: '',
      H: 'abc',
      I: 'abcdef',
    });
  });

  it('keeps as other what depends on the shell or does more than assign', () => {
    const text = 'A=$HOME\nB="$x"\nC=`date`\nD=~/x\nE=a b\nF=1; G=2\nH=\'open\n# c\nI=x:~/y\nJ=a#b\n';
    const doc = parseDotenv(text, 'shell');
    expect(doc.lines.filter((line) => line.kind === 'entry').map((line) => [line.key, line.value])).toEqual([
      ['J', 'a#b'],
    ]);
    expect(doc.lines.map((line) => line.raw).join('\n') + '\n').toBe(text);
  });
  it('reads a CR the way sh does: as part of the line, so CRLF lines leave a CR in the value', () => {
    const doc = parseDotenv("export A='x'\r\nexport B='l1\r\nl2'\n", 'shell');
    expect(documentValues(doc)).toEqual(
      new Map([
        ['A', 'x\r'],
        ['B', 'l1\r\nl2'],
      ]),
    );
    expect(doc.eol).toBe('\n');
  });
});

describe('parseDotenv, docker (docker run --env-file)', () => {
  it('takes the text after the first = literally', () => {
    const text = [
      "A='quoted'",
      'B= spaced # not a comment ',
      'C=a=b',
      '   D=indented',
      '#E=1',
      'export F=1',
      'G H=1',
      'I',
      '=J',
      'K=x\r',
      'L=$HOME',
      '',
    ].join('\n');
    expect(values(text, 'docker')).toEqual({
      A: "'quoted'",
      B: ' spaced # not a comment ',
      C: 'a=b',
      D: 'indented',
      K: 'x',
      L: '$HOME',
    });
  });

  it('drops a CR that ends the last line, as bufio.ScanLines does', () => {
    expect(values('A=1\r', 'docker')).toEqual({ A: '1' });
    expect(values('A=1\rB=2\n', 'docker')).toEqual({ A: '1\rB=2' });
  });
});
