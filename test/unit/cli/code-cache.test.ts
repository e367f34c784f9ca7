import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeCacheDir, codeCacheKey, resolvingCommand, runWithCodeCache } from '../../../main/cli/code-cache';

// Issue 12 (start-up): on Node 20 a resolving command runs the command tree as one CommonJS file with a V8 code
// cache. The cache must only ever be an optimisation: a missing, stale or damaged one runs the program as built.

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'latchkey-code-cache-test-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

/** A CommonJS program that uses what Node's wrapper gives it; `marker` makes each source unique to V8. */
function writeProgram(marker: string): string {
  const file = path.join(tmp, 'program.cjs');
  writeFileSync(
    file,
    `const path = require('node:path');
exports.answer = (x) => \`\${x}:${marker}:\${path.basename(__filename)}:\${module.exports === exports}\`;
`,
  );
  return file;
}

describe('runWithCodeCache', () => {
  it('runs the program as Node would, writes the cache once, then runs from it', () => {
    const file = writeProgram(`first-${process.pid}-${Date.now()}`);
    const cacheDir = path.join(tmp, 'cache');
    mkdirSync(cacheDir, { mode: 0o700 });

    const first = runWithCodeCache<{ answer(x: string): string }>(file, cacheDir, 'build1-plan');
    expect(first.exports.answer('a')).toMatch(/^a:first-.*:program\.cjs:true$/);
    first.saveCache({ complete: true });
    const cacheFile = path.join(cacheDir, 'build1-plan.v8');
    const written = statSync(cacheFile);
    expect(written.size).toBeGreaterThan(0);
    expect(written.mode & 0o777).toBe(0o600);

    const second = runWithCodeCache<{ answer(x: string): string }>(file, cacheDir, 'build1-plan');
    expect(second.exports.answer('b')).toMatch(/^b:first-/);
    second.saveCache({ complete: true });
    // Accepted, so not written again.
    expect(statSync(cacheFile).mtimeMs).toBe(written.mtimeMs);
  });

  it("keeps a failed run's cache apart, until a run that succeeds writes the whole one", () => {
    const file = writeProgram(`partial-${process.pid}-${Date.now()}`);
    const whole = path.join(tmp, 'build1-plan.v8');
    const partial = path.join(tmp, 'build1-plan.partial.v8');

    runWithCodeCache(file, tmp, 'build1-plan').saveCache({ complete: false });
    expect(statSync(partial).size).toBeGreaterThan(0);
    expect(() => statSync(whole)).toThrow();
    const partialWritten = statSync(partial).mtimeMs;

    // Another failed run reads the partial cache, and has nothing better to give.
    const second = runWithCodeCache<{ answer(x: string): string }>(file, tmp, 'build1-plan');
    expect(second.exports.answer('p')).toMatch(/^p:partial-/);
    second.saveCache({ complete: false });
    expect(statSync(partial).mtimeMs).toBe(partialWritten);

    // The first run that succeeds replaces it with its own.
    runWithCodeCache(file, tmp, 'build1-plan').saveCache({ complete: true });
    expect(statSync(whole).size).toBeGreaterThan(0);
    expect(readdirSync(tmp).sort()).toEqual(['build1-plan.v8', 'program.cjs']);

    // From then on a failed run leaves the whole cache alone.
    const wholeWritten = statSync(whole).mtimeMs;
    runWithCodeCache(file, tmp, 'build1-plan').saveCache({ complete: false });
    expect(statSync(whole).mtimeMs).toBe(wholeWritten);
    expect(readdirSync(tmp).sort()).toEqual(['build1-plan.v8', 'program.cjs']);
  });

  it('runs the program from source when the cache is damaged, and writes a good one', () => {
    const file = writeProgram(`damaged-${process.pid}-${Date.now()}`);
    const cacheFile = path.join(tmp, 'build1-sync.v8');
    writeFileSync(cacheFile, Buffer.from('not bytecode at all, but the right place for it'));
    const program = runWithCodeCache<{ answer(x: string): string }>(file, tmp, 'build1-sync');
    expect(program.exports.answer('c')).toMatch(/^c:damaged-/);
    program.saveCache({ complete: true });
    expect(readFileSync(cacheFile).toString()).not.toContain('not bytecode');
  });

  it('runs without a cache folder, and then writes nothing', () => {
    const file = writeProgram(`nofolder-${process.pid}-${Date.now()}`);
    const program = runWithCodeCache<{ answer(x: string): string }>(file, undefined, 'build1-plan');
    expect(program.exports.answer('d')).toMatch(/^d:nofolder-/);
    program.saveCache({ complete: true });
    expect(readdirSync(tmp)).toEqual(['program.cjs']);
  });

  it('keeps the twelve most recently written caches when it writes one', () => {
    const file = writeProgram(`many-${process.pid}-${Date.now()}`);
    const old = Date.now() / 1000 - 3600;
    for (let i = 0; i < 12; i++) {
      const name = path.join(tmp, `build${i}-v8-1-x64-plan.v8`);
      writeFileSync(name, 'an older build');
      utimesSync(name, old + i, old + i);
    }
    runWithCodeCache(file, tmp, 'newbuild-v8-1-x64-plan').saveCache({ complete: true });
    const left = readdirSync(tmp);
    expect(left).toHaveLength(13);
    expect(left).toContain('program.cjs');
    expect(left).toContain('newbuild-v8-1-x64-plan.v8');
    expect(left).not.toContain('build0-v8-1-x64-plan.v8');
  });
});

describe('codeCacheDir', () => {
  it('makes a folder only this user can open', () => {
    const dir = codeCacheDir({}, tmp);
    expect(dir).toBeDefined();
    expect(path.dirname(dir!)).toBe(tmp);
    if (process.platform !== 'win32') expect(statSync(dir!).mode & 0o777).toBe(0o700);
    expect(codeCacheDir({}, tmp)).toBe(dir);
  });

  // Runs on Linux and macOS, CI included; only Windows, which has no POSIX file modes to check, skips it.
  const skipReason = process.platform === 'win32' ? 'Windows has no POSIX file modes' : undefined;
  if (skipReason) console.warn(`skipped: the folder-permission check (${skipReason})`);
  it.skipIf(skipReason !== undefined)(
    `refuses a folder others can write, and a symlink in its place${skipReason ? ` (skipped: ${skipReason})` : ''}`,
    () => {
      const dir = codeCacheDir({}, tmp)!;
      chmodSync(dir, 0o777);
      expect(codeCacheDir({}, tmp)).toBeUndefined();
      rmSync(dir, { recursive: true });
      const elsewhere = path.join(tmp, 'elsewhere');
      mkdirSync(elsewhere, { mode: 0o700 });
      symlinkSync(elsewhere, dir);
      expect(codeCacheDir({}, tmp)).toBeUndefined();
    },
  );

  it("honours Node's switch that turns compile caches off", () => {
    expect(codeCacheDir({ NODE_DISABLE_COMPILE_CACHE: '1' }, tmp)).toBeUndefined();
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe('which runs use the code cache', () => {
  it('finds the resolving command among the global options, not in what exec runs', () => {
    expect(resolvingCommand(['--dir', '/p', 'plan', 'all', '--json'])).toBe('plan');
    expect(resolvingCommand(['exec', 'dev', '--', 'latchkey', 'sync'])).toBe('exec');
    expect(resolvingCommand(['--help'])).toBeUndefined();
    // Help resolves nothing: a cache written by it would hold none of the reads.
    expect(resolvingCommand(['plan', '--help'])).toBeUndefined();
    expect(resolvingCommand(['sync', 'dev', '-h'])).toBeUndefined();
    expect(resolvingCommand(['exec', 'dev', '--', 'tool', '--help'])).toBe('exec');
    expect(resolvingCommand(['chamber', 'list', '--', 'plan'])).toBeUndefined();
  });

  it('keys a cache by build, V8 and command', () => {
    expect(codeCacheKey('abc123', 'plan')).toBe(`abc123-v8-${process.versions.v8}-${process.arch}-plan`);
  });
});
