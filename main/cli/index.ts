import module from 'node:module';
import { fileURLToPath } from 'node:url';
import type { credentialProcessAtHand as AtHand } from '../app/credential-process';
import type { CliIo } from './context';
import type { runProgram as RunProgram } from './run';

/**
 * The `latchkey` command. Returns the exit code instead of exiting, so tests can drive it in-process too.
 *
 * This module is the bundle's entry, so it stays tiny: `aws credential-process <profile>` runs before every AWS call
 * a tool makes and answers from the keychain without commander, the app or zod when it can (issue 12: start-up);
 * everything else, and every case that fast path leaves open (a session to obtain, any error), is the command tree
 * of run.ts, which words errors as every command does.
 */
export async function runCli(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, exitCode: 0 },
): Promise<number> {
  const profile = credentialProcessProfile(argv);
  if (profile !== undefined && (await answerCredentialProcess(profile, io))) return io.exitCode;
  const program = await loadProgram(argv);
  let code: number | undefined;
  try {
    code = await program.runProgram(argv, io);
    return code;
  } finally {
    program.saveCache?.({ complete: code === 0 });
  }
}

interface Program {
  runProgram: typeof RunProgram;
  saveCache?: (run: { complete: boolean }) => void;
}

/**
 * The command tree. Under a Node with a compile cache (22.1+, Electron's; bin/latchkey.js turns it on), and for
 * commands that resolve no source, its ES module chunks. A resolving command (plan, sync, ...) under an older Node
 * runs the same tree as one CommonJS file with a V8 code cache of our own (main/cli/code-cache.ts): compiling the
 * chunks was most of what a cold `plan` spent before its first request.
 */
async function loadProgram(argv: readonly string[]): Promise<Program> {
  if (process.env.LATCHKEY_CLI_BUNDLE === '1' && !('enableCompileCache' in module)) {
    const { codeCacheDir, codeCacheKey, resolvingCommand, runWithCodeCache } = await import('./code-cache');
    const command = resolvingCommand(argv);
    if (command !== undefined) {
      const file = fileURLToPath(new URL('./program.cjs', import.meta.url));
      const key = codeCacheKey(process.env.LATCHKEY_PROGRAM_HASH ?? 'unbuilt', command);
      const program = runWithCodeCache<Pick<Program, 'runProgram'>>(file, codeCacheDir(), key);
      return { runProgram: program.exports.runProgram, saveCache: program.saveCache };
    }
  }
  return import('./run');
}

/** The profile of exactly `aws credential-process <profile>`, how AWS config runs it; any other shape goes the long way. */
function credentialProcessProfile(argv: readonly string[]): string | undefined {
  const [group, command, profile, ...rest] = argv;
  if (group !== 'aws' || command !== 'credential-process' || rest.length > 0) return undefined;
  return profile !== undefined && profile !== '' && !profile.startsWith('-') ? profile : undefined;
}

/**
 * Prints the credentials when they are at hand (vaulted keys, a fresh cached session). False when they are not, or
 * when anything failed: the command tree then runs the same reads again and reports the failure the usual way, so
 * this path never words an error of its own. It makes no network call, so running the reads twice costs no request.
 */
async function answerCredentialProcess(profile: string, io: CliIo): Promise<boolean> {
  try {
    const { credentialProcessAtHand } = (await import(
      // In the bundle, the fast path is a file of its own beside this one (scripts/cli-build-options.mjs): one
      // module for Node to load instead of ten chunks. esbuild leaves an import of a computed name alone.
      process.env.LATCHKEY_CLI_BUNDLE === '1'
        ? new URL('./credential-process.mjs', import.meta.url).href
        : '../app/credential-process'
    )) as { credentialProcessAtHand: typeof AtHand };
    const credentials = await credentialProcessAtHand(profile);
    if (credentials === undefined) return false;
    io.stdout.write(`${JSON.stringify(credentials)}\n`);
    return true;
  } catch {
    return false;
  }
}
