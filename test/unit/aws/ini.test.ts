import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isSectionEmpty,
  parseIniLines,
  readIniSections,
  removeIniSection,
  serializeIni,
  setIniKeys,
} from '../../../main/aws/ini';

const FIXTURE = [
  '# my AWS credentials -- hand edited',
  '',
  '[default]',
  'aws_access_key_id=AKIADEFAULTDEFAULT01',
  'aws_secret_access_key   =    defaultsecret ; trailing comment',
  '',
  ';  a comment before the next one',
  '[  acme-dev  ]',
  'aws_access_key_id = AKIAACMEDEVACMEDEV01',
  'aws_secret_access_key = acmesecret',
  'unknown_key = kept as is',
  '   ',
  '[profile-not-managed]',
  'aws_access_key_id =AKIAOTHEROTHER000001',
  's3 =',
  '  max_concurrent_requests = 10',
  '# the end',
].join('\r\n');

describe('the AWS ini editor', () => {
  it('serializes a parsed file to the same bytes', () => {
    expect(serializeIni(parseIniLines(FIXTURE))).toBe(FIXTURE);
    expect(serializeIni(parseIniLines(`${FIXTURE}\r\n`))).toBe(`${FIXTURE}\r\n`);
  });

  it('reads sections as the AWS loaders do (trimmed names, inline comments dropped, nested values skipped)', () => {
    const sections = readIniSections(FIXTURE);
    expect(sections.get('default')).toEqual({
      aws_access_key_id: 'AKIADEFAULTDEFAULT01',
      aws_secret_access_key: 'defaultsecret',
    });
    expect(sections.get('acme-dev')?.unknown_key).toBe('kept as is');
    expect(sections.get('profile-not-managed')).toEqual({ aws_access_key_id: 'AKIAOTHEROTHER000001', s3: '' });
  });

  it('replaces a key in place and keeps every other byte, CRLF included', () => {
    const after = setIniKeys(FIXTURE, 'acme-dev', { aws_secret_access_key: 'rotated', aws_session_token: 'tok' });
    expect(after).toBe(
      FIXTURE.replace('aws_secret_access_key = acmesecret', 'aws_secret_access_key = rotated').replace(
        'unknown_key = kept as is\r\n',
        'unknown_key = kept as is\r\naws_session_token = tok\r\n',
      ),
    );
  });

  it('removes a key with its nested lines, and a whole section', () => {
    const noS3 = setIniKeys(FIXTURE, 'profile-not-managed', { s3: undefined });
    expect(noS3).toBe(FIXTURE.replace('s3 =\r\n  max_concurrent_requests = 10\r\n', ''));
    const noDev = removeIniSection(FIXTURE, 'acme-dev');
    expect(noDev).toBe(FIXTURE.replace(/\[ {2}acme-dev {2}\][\s\S]*?(?=\[profile-not-managed\])/, ''));
  });

  it('appends a missing section after a final line that had no line ending', () => {
    expect(setIniKeys('[a]\nx = 1', 'b', { y: '2' })).toBe('[a]\nx = 1\n\n[b]\ny = 2\n');
    expect(setIniKeys('', 'b', { y: '2' })).toBe('[b]\ny = 2\n');
    expect(setIniKeys('[a]', 'a', { y: '2' })).toBe('[a]\ny = 2\n');
  });

  it('knows an empty section', () => {
    expect(isSectionEmpty('[a]\n\n[b]\nk = v\n', 'a')).toBe(true);
    expect(isSectionEmpty('[a]\n# note\n', 'a')).toBe(false);
    expect(isSectionEmpty('[b]\n', 'a')).toBe(false);
  });

  it('reads keys named like object properties as plain keys (issue 10, item 16)', () => {
    const sections = readIniSections('[p]\n__proto__ = a\nconstructor = b\ntoString = c\n');
    const p = sections.get('p')!;
    expect(Object.keys(p)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getOwnPropertyDescriptor(p, '__proto__')?.value).toBe('a');
    expect(p.constructor).toBe('b');
    expect(sections.get('constructor')).toBeUndefined();
    // A section without the key does not answer with Object's own members.
    expect(readIniSections('[q]\nregion = x\n').get('q')!.toString).toBeUndefined();
  });

  describe('property: editing section A never changes a byte outside A', () => {
    const name = fc.constantFrom('default', 'a', 'b', 'profile a', 'profile b');
    const key = fc.stringMatching(/^[a-z_]{1,8}$/);
    const value = fc.stringMatching(/^[A-Za-z0-9/+=._-]{0,12}$/);
    const eol = fc.constantFrom('\n', '\r\n');
    const line = fc.oneof(
      fc.tuple(name, fc.constantFrom('', ' ', '  ')).map(([n, pad]) => `[${pad}${n}${pad}]`),
      fc.tuple(key, fc.constantFrom('=', ' = ', '  =', '=   '), value).map(([k, sep, v]) => `${k}${sep}${v}`),
      fc.constantFrom('', '   ', '# comment', '; other comment', '  nested = 1', 'garbage without equals'),
    );
    const file = fc.tuple(fc.array(fc.tuple(line, eol), { maxLength: 25 }), fc.boolean()).map(([lines, finalEol]) => {
      const text = lines.map(([l, e]) => l + e).join('');
      return finalEol ? text : text.replace(/(\r\n|\n)$/, '');
    });
    const edits = fc.dictionary(key, fc.option(value, { nil: undefined }), { maxKeys: 4 });

    it('setIniKeys', () => {
      fc.assert(
        fc.property(file, name, edits, (text, section, entries) => {
          const after = setIniKeys(text, section, entries);
          const had = readIniSections(text).has(section);
          const willAdd = Object.values(entries).some((v) => v !== undefined);
          if (had || !willAdd) {
            expect(removeIniSection(after, section)).toBe(removeIniSection(text, section));
          } else {
            const base = text === '' || /[\r\n]$/.test(text) ? text : `${text}${text.includes('\r\n') ? '\r\n' : '\n'}`;
            expect(after.startsWith(base)).toBe(true);
          }
          const read = readIniSections(after).get(section) ?? {};
          for (const [k, v] of Object.entries(entries)) {
            if (v === undefined) expect(read).not.toHaveProperty(k);
            else expect(read[k]).toBe(v);
          }
        }),
        { numRuns: 500 },
      );
    });

    it('removeIniSection', () => {
      fc.assert(
        fc.property(file, name, (text, section) => {
          const after = removeIniSection(text, section);
          expect(readIniSections(after).has(section)).toBe(false);
          // Every other section reads the same, and the bytes are the original minus A's lines.
          const others = [...readIniSections(text)].filter(([n]) => n !== section);
          expect([...readIniSections(after)]).toEqual(others);
          expect(removeIniSection(after, section)).toBe(after);
          expect(text.length - after.length).toBeGreaterThanOrEqual(0);
        }),
        { numRuns: 500 },
      );
    });
  });
});
