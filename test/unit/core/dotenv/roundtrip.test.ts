/**
 * The portable dialect's promise (DESIGN.md §4): every value it writes is read back exactly by dotenv, Node
 * (util.parseEnv and node --env-file) and python-dotenv, and every value it refuses really has no spelling under
 * REFERENCE.md's rules. These tests write whole files, because a value can only hurt its neighbours in a file.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { documentValues, parseDotenv } from '../../../../main/core/dotenv/parse';
import { renderDotenv } from '../../../../main/core/dotenv/render';
import { REFUSAL, spellEntry, spellValue } from '../../../../main/core/dotenv/spell';
import {
  readWithDotenv,
  readWithDotenvFast,
  readWithNodeEnvFile,
  readWithNodeParseEnv,
  readWithPythonDotenv,
} from '../../../support/env-readers';

const workDir = mkdtempSync(join(tmpdir(), 'latchkey-dotenv-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
let fileCounter = 0;
function writeTemp(text: string): string {
  const path = join(workDir, `f${fileCounter++}.env`);
  writeFileSync(path, text, 'utf8');
  return path;
}

// ---------------------------------------------------------------------------------------------------------------
// Values: nasty pieces glued together, plus realistic secrets.
// ---------------------------------------------------------------------------------------------------------------

const NASTY = [
  ...['\\', '\\\\', "'", '"', '`', '#', ' #', '=', '==', '$', '${', '${HOME}', '$HOME', '{', '}', ':', ':-'],
  ...[' ', '  ', '\t', '\n', '\n\n', '\r', '\r\n', '\u2028', '\u2029', '\u00a0', '\ufeff', '\u0085', '\u001c'],
  ...['\v', '\f', '\u3000', '\u202e', '\u200b', '\\n', '\\r', '\\t', '\\a', '\\x41', '\\u0041', "\\'", '\\"'],
  ...["'\\''", 'export ', 'K=', 'n', 'r', 't'],
  ...['😀', '👩‍👩‍👧', 'é', 'e\u0301', 'مرحبا', '中文', '\u{10FFFF}'],
];
const RARE = ['\0', '\ud800', '\udfff'];

const piece = fc.oneof(
  { weight: 16, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
  { weight: 6, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom(...RARE) },
);
const base64 = fc.base64String({ minLength: 16, maxLength: 88 });
const pem = fc
  .tuple(fc.array(base64, { minLength: 1, maxLength: 6 }), fc.constantFrom('', '\n'))
  .map(([lines, end]) => `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----${end}`);
const url = fc
  .tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }))
  .map(([user, password]) => `postgres://${user}:${password}@db:5432/app?ssl=1#x`);
const realistic = fc.oneof(base64, pem, fc.json({ maxDepth: 2 }), url);
const nastyValue = fc.oneof(
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 12, arbitrary: fc.array(piece, { maxLength: 10 }).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: realistic },
);

// ---------------------------------------------------------------------------------------------------------------
// REFERENCE.md's rules, restated here independently of spell.ts, so that the tests judge the writer.
// ---------------------------------------------------------------------------------------------------------------

/** White space that some reader trims: JavaScript's \s (dotenv) and Python's str.isspace (python-dotenv). */
const isTrimmed = (ch: string) => /\s/.test(ch) || ch === '\x85' || (ch >= '\x1c' && ch <= '\x1f');
const hasUnpairedSurrogate = (v: string) => [...v].some((ch) => /^[\ud800-\udfff]$/.test(ch));

const rule1Unquoted = (v: string) =>
  !(v !== '' && (isTrimmed(v[0]) || isTrimmed(v[v.length - 1]))) && !/[#\n\r\u2028\u2029]/.test(v) && !/^['"`]/.test(v);
const rule2SingleQuoted = (v: string) => !v.includes("'") && !v.includes('\\\\') && !v.endsWith('\\');
const rule3DoubleQuoted = (v: string) => !v.includes('"') && !/\\([\\'"abfnrtv\n]|$)/.test(v);

/** The reason the rules require for refusing `v`, or undefined when the rules give it a spelling. */
function requiredRefusal(v: string): string | undefined {
  if (hasUnpairedSurrogate(v)) return REFUSAL.surrogate;
  if (v.includes('\0')) return REFUSAL.nul;
  if (v.includes('\r')) return REFUSAL.carriageReturn;
  if (v.includes('${')) return REFUSAL.interpolation;
  if (rule1Unquoted(v) || rule2SingleQuoted(v) || rule3DoubleQuoted(v)) return undefined;
  // Needs quotes, and fits neither quoting: name which conflict.
  if (v.endsWith('\\')) return REFUSAL.endsInBackslash;
  if (v.includes('\\\\')) return REFUSAL.doubleBackslash;
  if (v.includes("'") && v.includes('"')) return REFUSAL.bothQuotes;
  return REFUSAL.quoteAndEscape;
}

/**
 * The documented class of values with no portable spelling (re-derived from the three rules; REFERENCE.md's list
 * omits the last case and NUL).
 */
function documentedUnrepresentable(v: string): boolean {
  if (hasUnpairedSurrogate(v) || v.includes('\0') || v.includes('\r') || v.includes('${')) return true;
  const needsQuotes = !rule1Unquoted(v);
  return (
    needsQuotes &&
    (v.endsWith('\\') ||
      v.includes('\\\\') ||
      (v.includes("'") && v.includes('"')) ||
      (v.includes("'") && /\\['abfnrtv\n]/.test(v)))
  );
}

// ---------------------------------------------------------------------------------------------------------------

interface Written {
  text: string;
  entries: Map<string, string>;
  refused: { value: string; reason: string }[];
}

/** A new file from the real writer, holding every value that spells; the others are set aside with their reason. */
function writePortableFile(values: string[], prefix: string): Written {
  const entries = new Map<string, string>();
  const refused: Written['refused'] = [];
  values.forEach((value, index) => {
    const key = `${prefix}_${index}`;
    const spelling = spellEntry(key, value, 'portable');
    if (spelling.ok) entries.set(key, value);
    else refused.push({ value, reason: spelling.reason });
  });
  const text = renderDotenv(undefined, { set: entries, remove: new Set() }, 'portable');
  return { text, entries, refused };
}

type Reading = Record<string, string | null>;

/** Every way a reader got the file wrong: a value misread, a key lost, or a key that should not exist. */
function misreads(reader: string, file: Written, read: Reading): string[] {
  const problems: string[] = [];
  for (const [key, value] of file.entries) {
    if (read[key] !== value) {
      problems.push(`${reader} ${key}: wrote ${JSON.stringify(value)}, read ${JSON.stringify(read[key])}`);
    }
  }
  for (const key of Object.keys(read)) {
    if (!file.entries.has(key)) problems.push(`${reader}: unexpected key ${JSON.stringify(key)}`);
  }
  return problems;
}

async function checkWithAllReaders(files: Written[], envFileCount: number): Promise<string[]> {
  const paths = files.map((file) => writeTemp(file.text));
  const [python, envFile] = await Promise.all([
    readWithPythonDotenv(paths),
    readWithNodeEnvFile(paths.slice(0, envFileCount)),
  ]);
  const problems: string[] = [];
  files.forEach((file, index) => {
    problems.push(...misreads('dotenv', file, readWithDotenv(file.text)));
    problems.push(...misreads('dotenv(fast)', file, readWithDotenvFast(file.text)));
    problems.push(...misreads('util.parseEnv', file, readWithNodeParseEnv(file.text)));
    problems.push(...misreads('python-dotenv', file, python[index]));
    if (index < envFileCount) problems.push(...misreads('node --env-file', file, envFile[index]));
    problems.push(...misreads('latchkey parser', file, Object.fromEntries(documentValues(parseDotenv(file.text)))));
  });
  return problems;
}

describe('portable round trip through the real readers', () => {
  const wholeFiles = fc.array(fc.array(nastyValue, { minLength: 2000, maxLength: 3000 }), {
    minLength: 3,
    maxLength: 3,
  });

  it('reads back every written value exactly, in whole files of thousands of values', async () => {
    let written = 0;
    await fc.assert(
      fc.asyncProperty(wholeFiles, async (valueSets) => {
        const files = valueSets.map((values, index) => writePortableFile(values, `K${index}`));
        written += files.reduce((sum, file) => sum + file.entries.size, 0);
        expect(await checkWithAllReaders(files, 1)).toEqual([]);

        // Every refusal is one the rules require, for the reason they give.
        for (const file of files) {
          for (const { value, reason } of file.refused) {
            expect(requiredRefusal(value), JSON.stringify(value)).toBeDefined();
            expect(reason, JSON.stringify(value)).toBe(requiredRefusal(value));
          }
        }
      }),
      { numRuns: 5, endOnFailure: true },
    );
    // The generator must mostly produce writable values, or the test proves little.
    expect(written).toBeGreaterThan(20_000);
  });

  it('reads back every short value over the troublesome characters, exhaustively', async () => {
    const alphabet = ['a', ' ', '\\', "'", '"', '`', '#', '\n', 'n', '$', '{', '\u2028'];
    const all: string[] = [''];
    for (let length = 1, frontier = ['']; length <= 4; length++) {
      frontier = frontier.flatMap((prefix) => alphabet.map((ch) => prefix + ch));
      all.push(...frontier);
    }
    const chunks = [0, 1, 2, 3].map((part) => all.filter((_, index) => index % 4 === part));
    const files = chunks.map((values, index) => writePortableFile(values, `S${index}`));
    expect(files.reduce((sum, file) => sum + file.entries.size, 0)).toBeGreaterThan(all.length * 0.6);
    expect(await checkWithAllReaders(files, 1)).toEqual([]);
  });

  it('reads back keys that look like keywords or object members', async () => {
    const keys = ['export', 'EXPORT', 'export_x', 'constructor', 'hasOwnProperty', 'toString', 'valueOf', '_', 'a1'];
    const entries = new Map(keys.map((key, index) => [key, index % 2 ? ` value ${index}` : `v${index}`]));
    const text = [...entries].map(([key, value]) => {
      const spelling = spellEntry(key, value, 'portable');
      if (!spelling.ok) throw new Error(`${key} refused: ${spelling.reason}`);
      return `${spelling.text}\n`;
    });
    expect(await checkWithAllReaders([{ text: text.join(''), entries, refused: [] }], 1)).toEqual([]);
  });

  it('reads back values rendered into an existing, hand-written CRLF file, and keeps its own keys', async () => {
    const values = fc.sample(nastyValue, { numRuns: 1500, seed: 4242 });
    const userFile = '# hand written\r\nexport LOCAL_ONE = "kept"  # mine\r\n\r\nLOCAL_TWO=two\r\nK_5=old\r\n';
    const set = new Map<string, string>();
    values.forEach((value, index) => {
      if (spellEntry(`K_${index}`, value, 'portable').ok) set.set(`K_${index}`, value);
    });
    const text = renderDotenv(parseDotenv(userFile), { set, remove: new Set() }, 'portable');
    const entries = new Map([['LOCAL_ONE', 'kept'], ['LOCAL_TWO', 'two'], ...set]);
    expect(await checkWithAllReaders([{ text, entries, refused: [] }], 1)).toEqual([]);
  });
});

describe('portable refusals are exactly the documented unrepresentable class', () => {
  it('holds for random values', () => {
    fc.assert(
      fc.property(nastyValue, (value) => {
        expect(!spellValue(value, 'portable').ok, JSON.stringify(value)).toBe(documentedUnrepresentable(value));
      }),
      { numRuns: 30_000 },
    );
  });

  it('holds for every short value over the characters the rules talk about', () => {
    const alphabet = ['a', ' ', '\\', "'", '"', '#', '\n', '\r', 't', 'n', '$', '{', '\u2028', '\0'];
    let frontier = [''];
    let checked = 0;
    for (let length = 0; length <= 4; length++) {
      for (const value of frontier) {
        const spelling = spellValue(value, 'portable');
        expect(!spelling.ok, JSON.stringify(value)).toBe(documentedUnrepresentable(value));
        if (!spelling.ok) expect(spelling.reason).toBe(requiredRefusal(value));
        checked++;
      }
      frontier = frontier.flatMap((prefix) => alphabet.map((ch) => prefix + ch));
    }
    expect(checked).toBeGreaterThan(40_000);
  });
});

describe('each refusal category guards against a real misreading', () => {
  /** What each reader makes of `text`, for key K (and whether a sentinel after it survived). */
  async function readAll(text: string): Promise<Record<string, unknown>> {
    const [python] = await readWithPythonDotenv([writeTemp(text)]);
    return {
      dotenv: readWithDotenv(text),
      dotenvFast: readWithDotenvFast(text),
      parseEnv: readWithNodeParseEnv(text),
      python,
    };
  }

  it('a CR: dotenv makes it LF, Node drops it, python keeps it', async () => {
    const readings = await readAll("K='a\rb'\n");
    expect(readings).toMatchObject({ dotenv: { K: 'a\nb' }, parseEnv: { K: 'ab' }, python: { K: 'a\nb' } });
  });

  it('${…}: python-dotenv expands it, even in single quotes', async () => {
    const readings = await readAll("K='x${NOT_SET_ANYWHERE}y'\n");
    expect(readings).toMatchObject({ dotenv: { K: 'x${NOT_SET_ANYWHERE}y' }, python: { K: 'xy' } });
  });

  it('a NUL: node --env-file cuts the value there', async () => {
    const [env] = await readWithNodeEnvFile([writeTemp('K=a\0b\n')]);
    expect(env.K).toBe('a');
  });

  it('an unpaired surrogate: it cannot survive UTF-8', () => {
    expect(Buffer.from('a\ud800b', 'utf8').toString('utf8')).not.toBe('a\ud800b');
  });

  it('a final backslash inside quotes swallows the next line', async () => {
    const readings = await readAll("K=' x\\'\nL=y'\n");
    expect(readings).toMatchObject({ dotenv: { K: " x\\'\nL=y" }, python: { K: " x'\nL=y" } });
  });

  it('two backslashes: python-dotenv reads one, in either quoting', async () => {
    const readings = await readAll(`K=' a\\\\b'\nL=" a\\\\b"\n`);
    expect(readings).toMatchObject({ dotenv: { K: ' a\\\\b', L: ' a\\\\b' }, python: { K: ' a\\b', L: ' a\\b' } });
  });

  it('\' with ": no quoting holds both (dotenv and Node end the value at the first inner quote)', async () => {
    const readings = await readAll(`K=' it's "x"'\nL=" it's "x""\n`);
    expect(readings).toMatchObject({ parseEnv: { K: ' it', L: " it's " } });
  });

  it("' with a backslash escape: python-dotenv decodes it inside double quotes", async () => {
    const readings = await readAll(`K="#it's\\tx"\n`);
    expect(readings).toMatchObject({ dotenv: { K: "#it's\\tx" }, python: { K: "#it's\tx" } });
  });

  it('unquoted: readers trim white space, cut at #, and dotenv unquotes after U+2028', async () => {
    const readings = await readAll(`A=\ufeffx\nB=\u0085x\nC=a#b\nD=a\u2028'b'\n`);
    expect(readings).toMatchObject({
      dotenv: { A: 'x', C: 'a', D: 'a\u2028b' },
      python: { B: 'x', C: 'a#b' },
    });
  });
});

describe('shell round trip through sh', () => {
  const shells = ['/bin/sh', '/bin/bash'].filter((shell) => existsSync(shell));

  /** `sh -c '. ./file; …'`, then print each key's value NUL-terminated (no value holds a NUL). */
  function source(shell: string, path: string, keys: string[]): Promise<string[]> {
    const script = '. "./$1"; shift; for k do eval "v=\\${$k}"; printf \'%s\\0\' "$v"; done';
    const options = { cwd: dirname(path), env: { PATH: '/usr/bin:/bin' }, maxBuffer: 1 << 28 };
    return new Promise((resolve, reject) => {
      execFile(shell, ['-c', script, 'sh', basename(path), ...keys], options, (error, stdout, stderr) => {
        if (error) reject(new Error(`${shell} failed: ${stderr}`));
        else resolve(stdout.split('\0').slice(0, -1));
      });
    });
  }

  it('has a POSIX shell to test with', () => {
    expect(shells).toContain('/bin/sh');
  });

  it('sources a generated file and reads every value back exactly', async () => {
    const values = fc.sample(nastyValue, { numRuns: 4000 });
    // Values shells cannot hold are refused; everything else must be written.
    const set = new Map<string, string>();
    values.forEach((value, index) => {
      if (spellEntry(`K_${index}`, value, 'shell').ok) set.set(`K_${index}`, value);
      else expect(value.includes('\0') || hasUnpairedSurrogate(value)).toBe(true);
    });
    const keys = [...set.keys()];
    const expected = [...set.values()];
    const text = renderDotenv(undefined, { set, remove: new Set() }, 'shell');
    const path = writeTemp(text);
    expect(keys.length).toBeGreaterThan(3000);
    for (const shell of shells) expect(await source(shell, path, keys), shell).toEqual(expected);

    // And Latchkey's own parser decodes the same values.
    const parsed = documentValues(parseDotenv(text, 'shell'));
    expect(keys.map((key) => parsed.get(key))).toEqual(expected);
  });
});

describe('docker round trip through the parser', () => {
  /** compose-go's reading of an unquoted env_file value (older versions cut at any #, newer ones at " #"). */
  function composeReads(rhs: string, cutAtAnyHash: boolean): string | undefined {
    let value = rhs.replace(/^[\t\v\f\r \x85\xa0]+/, '');
    if (/^['"]/.test(value)) return undefined;
    value = cutAtAnyHash ? value.split('#')[0] : value.split(' #')[0];
    value = value.replace(/[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/, '');
    if (value.includes('$')) return undefined; // interpolated
    return value;
  }

  it('writes values that docker run (the parser) and compose (old and new) all read back exactly', () => {
    const set = new Map<string, string>();
    fc.sample(nastyValue, { numRuns: 5000 }).forEach((value, index) => {
      if (spellEntry(`K_${index}`, value, 'docker').ok) set.set(`K_${index}`, value);
    });
    expect(set.size).toBeGreaterThan(500);
    const text = renderDotenv(undefined, { set, remove: new Set() }, 'docker');
    const lines = text.split('\n').slice(0, -1);
    expect(lines).toHaveLength(set.size);
    [...set].forEach(([key, value], index) => {
      const rhs = lines[index].slice(`${key}=`.length);
      expect(lines[index].startsWith(`${key}=`)).toBe(true);
      expect(composeReads(rhs, false), JSON.stringify(value)).toBe(value);
      expect(composeReads(rhs, true), JSON.stringify(value)).toBe(value);
    });
    const parsed = documentValues(parseDotenv(text, 'docker'));
    expect(new Map([...set].map(([key]) => [key, parsed.get(key)]))).toEqual(set);
  });
});
