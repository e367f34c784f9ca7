import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLatchkeyError } from '../../../../main/core/errors';
import { documentValues, parseDotenv } from '../../../../main/core/dotenv/parse';
import { renderDotenv, type DotenvChanges } from '../../../../main/core/dotenv/render';
import { spellEntry } from '../../../../main/core/dotenv/spell';
import type { Dialect } from '../../../../main/core/types';
import { readWithDotenv } from '../../../support/env-readers';

const DIALECTS: Dialect[] = ['portable', 'docker', 'shell'];
const NO_CHANGES: DotenvChanges = { set: new Map(), remove: new Set() };

function changes(set: Record<string, string> = {}, remove: string[] = []): DotenvChanges {
  return { set: new Map(Object.entries(set)), remove: new Set(remove) };
}

function apply(text: string, change: DotenvChanges, dialect: Dialect = 'portable'): string {
  return renderDotenv(parseDotenv(text, dialect), change, dialect);
}

describe('renderDotenv keeps what it does not change', () => {
  it('keeps comments, blank lines, local-only keys, order and CRLF while applying changes', () => {
    const before = [
      '# Team settings\r\n',
      'DB_HOST=localhost\r\n',
      '\r\n',
      'MY_LOCAL = "mine"   # only on my machine\r\n',
      '# secrets below\r\n',
      'API_KEY=old\r\n',
      'STALE=gone\r\n',
      '  \r\n',
      'LOG_LEVEL=debug\r\n',
    ].join('');
    const after = apply(before, changes({ API_KEY: 'new key', DB_HOST: 'localhost', NEW_ONE: 'a\nb' }, ['STALE']));
    expect(after).toBe(
      [
        '# Team settings\r\n',
        'DB_HOST=localhost\r\n',
        '\r\n',
        'MY_LOCAL = "mine"   # only on my machine\r\n',
        '# secrets below\r\n',
        'API_KEY=new key\r\n',
        '  \r\n',
        'LOG_LEVEL=debug\r\n',
        "NEW_ONE='a\nb'\r\n",
      ].join(''),
    );
    expect(readWithDotenv(after)).toEqual({
      DB_HOST: 'localhost',
      MY_LOCAL: 'mine',
      API_KEY: 'new key',
      LOG_LEVEL: 'debug',
      NEW_ONE: 'a\nb',
    });
  });

  it('keeps the raw line of a key whose value is unchanged, however it was written', () => {
    const text = 'export  TOKEN = \'abc\'   # rotated in May\nURL="http://x"\n';
    expect(apply(text, changes({ TOKEN: 'abc', URL: 'http://x' }))).toBe(text);
    // A changed line is respelled, keeping its export prefix (issue 10, item 23).
    expect(apply(text, changes({ TOKEN: 'abd' }))).toBe('export TOKEN=abd\nURL="http://x"\n');
  });

  it('updates the last occurrence of a duplicated key and removes every occurrence', () => {
    const text = 'A=1\nB=2\nA=3\nC=4\n';
    expect(apply(text, changes({ A: 'x' }))).toBe('A=1\nB=2\nA=x\nC=4\n');
    expect(apply(text, changes({}, ['A']))).toBe('B=2\nC=4\n');
    expect(apply(text, changes({ A: '3' }))).toBe(text);
  });

  it('sets a key that is both set and removed', () => {
    expect(apply('A=1\n', changes({ A: '2' }, ['A']))).toBe('A=2\n');
  });

  it('appends new keys in set order, terminating an unterminated last line first', () => {
    expect(apply('A=1', changes({ Z: 'z', B: 'b' }))).toBe('A=1\nZ=z\nB=b\n');
    expect(apply('# only a comment', changes({ K: 'v' }))).toBe('# only a comment\nK=v\n');
    expect(apply('A=1\r\n', changes({ K: 'v' }))).toBe('A=1\r\nK=v\r\n');
    expect(apply('', changes({ K: 'v' }))).toBe('K=v\n');
  });

  it('keeps a missing final newline, and a BOM', () => {
    expect(apply('A=1\nB=2', changes({ B: '3' }))).toBe('A=1\nB=3');
    expect(apply('A=1\nB=2', changes({}, ['B']))).toBe('A=1');
    expect(apply('\ufeffA=1\n', changes({ A: '2' }))).toBe('\ufeffA=2\n');
    expect(apply('\ufeffA=1\n', changes({}, ['A']))).toBe('\ufeff');
  });

  it('keeps mixed line endings line by line', () => {
    const text = 'A=1\r\nB=2\nC=3\r\n';
    expect(apply(text, changes({ B: 'x' }))).toBe('A=1\r\nB=x\nC=3\r\n');
  });

  it('replaces a multi-line entry as a whole', () => {
    expect(apply("A='l1\nl2'\nB=2\n", changes({ A: 'one' }))).toBe('A=one\nB=2\n');
  });
});

describe('renderDotenv writes new files', () => {
  it('writes each dialect with LF and no BOM', () => {
    const set = changes({ A: 'plain', B: "it's", C: ' x' });
    expect(renderDotenv(undefined, set, 'portable')).toBe("A=plain\nB=it's\nC=' x'\n");
    expect(renderDotenv(undefined, set, 'shell')).toBe("export A='plain'\nexport B='it'\\''s'\nexport C=' x'\n");
    expect(renderDotenv(undefined, changes({ A: 'plain', B: "it's" }), 'docker')).toBe("A=plain\nB=it's\n");
    expect(renderDotenv(undefined, NO_CHANGES, 'portable')).toBe('');
  });

  it('refuses, naming the key and never the value, a value that cannot be spelled', () => {
    let caught: unknown;
    try {
      renderDotenv(undefined, changes({ SECRET_TOKEN: 'hunter2\r' }), 'portable');
    } catch (error) {
      caught = error;
    }
    expect(isLatchkeyError(caught)).toBe(true);
    expect((caught as Error).message).toContain('SECRET_TOKEN');
    expect((caught as Error).message).not.toContain('hunter2');
  });
});

const TEXT_PIECES = [
  'A=1',
  'export B',
  ' = ',
  "'",
  '"',
  '`',
  '#',
  '\\',
  '\n',
  '\r\n',
  '\r',
  ' ',
  '\ufeff',
  '\u2028',
  'x',
  '$',
];
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(fc.constantFrom(...TEXT_PIECES), { maxLength: 60 }).map((parts) => parts.join('')),
);

describe('renderDotenv properties', () => {
  it('gives back any text byte for byte when nothing changes, in every dialect', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(...DIALECTS), (text, dialect) => {
        expect(renderDotenv(parseDotenv(text, dialect), NO_CHANGES, dialect)).toBe(text);
      }),
      { numRuns: 20_000 },
    );
  });

  const key = fc.constantFrom('A', 'B', 'C', 'D', 'E', 'LONG_NAME_1');
  const value = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc
      .array(fc.constantFrom('a', ' ', "'", '"', '#', '\\', '\n', '$', '=', '😀'), { maxLength: 6 })
      .map((parts) => parts.join('')),
  );
  const userLine = (dialect: Dialect) =>
    fc.oneof(
      fc.constantFrom('# comment', '', '   ', '#', 'garbage without equals'),
      fc.tuple(key, value).map(([k, v]) => {
        const spelled = spellEntry(k, v, dialect);
        return spelled.ok ? spelled.text : '# refused';
      }),
    );
  const scenario = fc.constantFrom(...DIALECTS).chain((dialect) =>
    fc.record({
      dialect: fc.constant(dialect),
      lines: fc.array(userLine(dialect), { maxLength: 12 }),
      eol: fc.constantFrom('\n', '\r\n'),
      finalNewline: fc.boolean(),
      set: fc.dictionary(key, value, { maxKeys: 4 }),
      remove: fc.uniqueArray(key, { maxLength: 3 }),
    }),
  );

  it('produces exactly the expected values, and re-rendering the same changes changes nothing', () => {
    fc.assert(
      fc.property(scenario, ({ dialect, lines, eol, finalNewline, set, remove }) => {
        const text = lines.join(eol) + (finalNewline && lines.length > 0 ? eol : '');
        const spellable = Object.fromEntries(Object.entries(set).filter(([k, v]) => spellEntry(k, v, dialect).ok));
        const change = changes(spellable, remove);
        const before = documentValues(parseDotenv(text, dialect));

        const rendered = renderDotenv(parseDotenv(text, dialect), change, dialect);
        const expected = new Map(before);
        for (const k of remove) expected.delete(k);
        for (const [k, v] of Object.entries(spellable)) expected.set(k, v);
        const sorted = (entries: Iterable<[string, string]>) => new Map([...entries].sort());
        expect(sorted(documentValues(parseDotenv(rendered, dialect)))).toEqual(sorted(expected));
        if (dialect === 'portable') expect(sorted(Object.entries(readWithDotenv(rendered)))).toEqual(sorted(expected));

        // Re-syncing the same values is byte-identical.
        expect(renderDotenv(parseDotenv(rendered, dialect), change, dialect)).toBe(rendered);
      }),
      { numRuns: 5_000 },
    );
  });
});
