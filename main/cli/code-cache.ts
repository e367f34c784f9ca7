import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/**
 * Node 20 has no compile cache for ES modules, so a bundled command tree was parsed and compiled again on every run
 * (issue 12: start-up). This runs the command tree's CommonJS build (scripts/cli-build-options.mjs, PROGRAM_FILE)
 * as a `vm.Script` with a V8 code cache, the bytecode of what the last run of the same command compiled.
 *
 * The cache is an optimisation only: any failure to read, check or write it runs the program compiled from source.
 * V8 checks the cache against the source, its own version and flags (`cachedDataRejected`), and a rejected cache is
 * written again. Caches sit in a folder of the user's own in the temporary folder, as Node's compile cache does
 * (`module.enableCompileCache`), and never hold a value: bytecode of the bundle, nothing a run read.
 */

/** A program run from a cache-backed script: its exports, and the cache to write once it has run. */
interface CachedProgram<T> {
  exports: T;
  /**
   * Writes the code cache when this run has a better one to give; never throws. `complete` says the run went to its
   * end (it succeeded): a failed one may have stopped before the reads, and compiled too little to be worth keeping
   * for good (below).
   */
  saveCache(run: { complete: boolean }): void;
}

/**
 * The commands that resolve sources: each compiles a large part of the bundle (the SDK, the plan) before its first
 * request, which a code cache saves. Each has a cache of its own, as the cache holds what its run compiled. Other
 * commands load less than this one file holds, and start faster from their ES module chunks.
 */
const RESOLVING_COMMANDS = new Set(['plan', 'sync', 'status', 'exec', 'export', 'inject']);

/**
 * The resolving command among latchkey's own arguments (before exec's `--`), if any. A request for a command's help
 * resolves nothing, so it is not one.
 */
export function resolvingCommand(argv: readonly string[]): string | undefined {
  const dash = argv.indexOf('--');
  const own = dash === -1 ? argv : argv.slice(0, dash);
  if (own.includes('--help') || own.includes('-h')) return undefined;
  return own.find((arg) => RESOLVING_COMMANDS.has(arg));
}

/** The cache's name: the build, the V8 that compiled it, and the command. */
export function codeCacheKey(programHash: string, command: string): string {
  return `${programHash}-v8-${process.versions.v8}-${process.arch}-${command}`;
}

/**
 * The folder for code caches, made private to this user; undefined (no cache) when Node's own switch turns compile
 * caches off, or when the folder is not a directory of this user's that only they can write: bytecode read from a
 * folder another user can write would run as this user.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env, tmp: string = os.tmpdir()): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const uid = process.getuid?.();
  const dir = path.join(tmp, uid === undefined ? 'latchkey-code-cache' : `latchkey-code-cache-${uid}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  try {
    const stat = lstatSync(dir);
    if (!stat.isDirectory()) return undefined;
    if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o077) !== 0)) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/**
 * Runs the CommonJS `file` as Node would, compiled with the code cache `key` in `cacheDir` when there is one.
 *
 * A cache holds only what its run compiled, and an accepted cache is never written again (writing one costs about
 * as much as it saves). So a cache from a run that failed early (no credentials yet, a bad manifest) would have
 * left every later run compiling the SDK anew, until the next build. Such a run's cache is kept apart, as partial:
 * it serves until a run that succeeds writes the whole one.
 */
export function runWithCodeCache<T>(file: string, cacheDir: string | undefined, key: string): CachedProgram<T> {
  const whole = cacheDir === undefined ? undefined : path.join(cacheDir, `${key}.v8`);
  const partial = cacheDir === undefined ? undefined : path.join(cacheDir, `${key}.partial.v8`);
  const wholeData = whole === undefined ? undefined : readOrUndefined(whole);
  const cachedData = wholeData ?? (partial === undefined ? undefined : readOrUndefined(partial));
  // Node's own CommonJS wrapper, so the bundle sees the module, require and __filename it was built for.
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
  const script = new vm.Script(source, { filename: file, ...(cachedData && { cachedData }) });
  const module = { exports: {} as T };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return {
    exports: module.exports,
    saveCache({ complete }) {
      if (cacheDir === undefined || whole === undefined || partial === undefined) return;
      const accepted = cachedData !== undefined && !script.cachedDataRejected;
      if (complete) {
        if (accepted && wholeData !== undefined) return;
        writeCache(cacheDir, whole, script.createCachedData());
        removeQuietly(partial);
      } else if (!accepted) {
        writeCache(cacheDir, partial, script.createCachedData());
        // A whole cache that V8 rejected (a new Node, other flags) would only be read and rejected again.
        if (wholeData !== undefined) removeQuietly(whole);
      }
    },
  };
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** At most this many caches are kept: two builds in use side by side (a global and a project install) fit. */
const MAX_CACHES = 12;

/** Whole or not at all (a rename); beyond MAX_CACHES, the least recently written go (each is megabytes). */
function writeCache(dir: string, file: string, data: Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, data, { mode: 0o600 });
    renameSync(temporary, file);
    const caches = readdirSync(dir)
      .filter((name) => name.endsWith('.v8'))
      .map((name) => ({ name, written: lstatSync(path.join(dir, name)).mtimeMs }))
      .sort((a, b) => b.written - a.written);
    for (const { name } of caches.slice(MAX_CACHES)) rmSync(path.join(dir, name), { force: true });
  } catch {
    // Left for the next write of this key to replace; the cache is only ever an optimisation.
    removeQuietly(temporary);
  }
}

function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // As above: a cache file left behind is read, checked by V8, and replaced.
  }
}
