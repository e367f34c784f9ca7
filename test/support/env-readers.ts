/**
 * The real `.env` readers that Latchkey's portable dialect must satisfy, wrapped so tests can read a file back
 * through each of them. Spawning is the slow part, so the multi-file readers batch: python-dotenv reads every
 * file in ONE interpreter, and `node --env-file` (one process per file by nature) runs two at a time.
 */
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { parseEnv } from 'node:util';
import dotenv from 'dotenv';

export type EnvValues = Record<string, string>;

/** The `dotenv` npm package's default parser (what `dotenv.config()` uses unless DOTENV_FAST is set). */
export function readWithDotenv(text: string): EnvValues {
  return { ...dotenv.parse(text) };
}

/**
 * dotenv's alternative `fast` parser. `dotenv.config()` switches to it when the environment says DOTENV_FAST=1, so
 * an app can end up on it without its author choosing it.
 */
export function readWithDotenvFast(text: string): EnvValues {
  const parse = dotenv.parse as (src: string, options?: { fast?: boolean }) => EnvValues;
  return { ...parse(text, { fast: true }) };
}

/** Node's own parser, the one behind `--env-file` and `process.loadEnvFile`. */
export function readWithNodeParseEnv(text: string): EnvValues {
  return { ...parseEnv(text) } as EnvValues;
}

interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, maxBuffer: 1 << 30, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(error);
        return;
      }
      resolve({ stdout, stderr, code: error ? Number(error.code) : 0 });
    });
  });
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const PRINT_ENV = 'process.stdout.write(JSON.stringify(process.env))';

/**
 * What `node --env-file=F` puts into process.env, for each file. The child starts with an empty environment so
 * that nothing inherited can shadow a key from the file (`--env-file` never overrides an existing variable), and
 * whatever we did pass in is subtracted again.
 */
export async function readWithNodeEnvFile(paths: string[]): Promise<EnvValues[]> {
  const inherited: NodeJS.ProcessEnv = {};
  return mapLimited(paths, Math.max(2, availableParallelism()), async (path) => {
    const { stdout, stderr, code } = await run(process.execPath, [`--env-file=${path}`, '-e', PRINT_ENV], inherited);
    if (code !== 0) throw new Error(`node --env-file=${path} exited with ${code}: ${stderr.trim()}`);
    const env = JSON.parse(stdout) as EnvValues;
    for (const key of Object.keys(inherited)) delete env[key];
    return env;
  });
}

const PYTHON_SCRIPT = `
import json, sys
try:
    from dotenv import dotenv_values
except ImportError:
    sys.exit(3)
out = [dotenv_values(p, encoding="utf-8") for p in sys.argv[1:]]
sys.stdout.write(json.dumps(out))
`;
const NO_DOTENV_MODULE = 3;
const PYTHON_CANDIDATES = ['python3', '/usr/bin/python3'];
let workingPython: string | undefined;

/**
 * What python-dotenv's `dotenv_values` returns for each file, read in one interpreter. A key written without `=`
 * comes back as null, as python-dotenv returns None for it.
 */
export async function readWithPythonDotenv(paths: string[]): Promise<Record<string, string | null>[]> {
  if (paths.length === 0) return [];
  const candidates = workingPython ? [workingPython] : PYTHON_CANDIDATES;
  const failures: string[] = [];
  for (const python of candidates) {
    let result: RunResult;
    try {
      result = await run(python, ['-c', PYTHON_SCRIPT, ...paths], { ...process.env, PYTHONIOENCODING: 'utf-8' });
    } catch (error) {
      failures.push(`${python}: ${(error as Error).message}`);
      continue;
    }
    if (result.code === NO_DOTENV_MODULE) {
      failures.push(`${python}: has no dotenv module`);
      continue;
    }
    if (result.code !== 0) {
      throw new Error(`${python} failed reading .env files (exit ${result.code}): ${result.stderr.trim()}`);
    }
    workingPython = python;
    return JSON.parse(result.stdout) as Record<string, string | null>[];
  }
  throw new Error(`No python3 with python-dotenv found (tried ${failures.join('; ')}). Install python-dotenv.`);
}
