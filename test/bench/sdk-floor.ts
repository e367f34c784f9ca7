/**
 * What Node allows (issue 12, item 1): a process that does nothing but load the SSM client and send one request, built
 * and started the way `latchkey plan` is (scripts/cli-build-options.mjs's CommonJS program, run from the V8 code
 * cache of main/cli/code-cache.ts). Its time before that request and after its answer is what any Node CLI built on
 * the AWS SDK pays on this machine, before a line of its own work: the floor under "plan fixed overhead".
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { programBuildOptions } from '../../scripts/cli-build-options.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** One page of one chamber service, decrypted: the request `latchkey plan` sends most. */
const PROGRAM_SOURCE = `
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
export async function runProgram(service) {
  const client = new SSMClient({});
  const page = await client.send(
    new GetParametersByPathCommand({ Path: '/' + service, WithDecryption: true, MaxResults: 10 }),
  );
  process.stdout.write(JSON.stringify({ parameters: page.Parameters?.length ?? 0 }) + '\\n');
  return 0;
}
`;

/** As bin/latchkey.js and main/cli/index.ts start the command tree, without the command tree. */
const LAUNCHER_SOURCE = `
import { fileURLToPath } from 'node:url';
import { codeCacheDir, codeCacheKey, runWithCodeCache } from './main/cli/code-cache';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const file = fileURLToPath(new URL('./program.cjs', import.meta.url));
const program = runWithCodeCache(file, codeCacheDir(), codeCacheKey('sdk-floor', 'plan'));
const code = await program.exports.runProgram(process.argv[2]);
program.saveCache({ complete: code === 0 });
process.exitCode = code;
`;

/** Builds the floor's two files into `dir`; returns the launcher to run as `node <launcher> <service>`. */
export async function buildSdkFloor(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const { entryPoints: _entry, ...programOptions } = programBuildOptions({ outdir: dir, version: 'sdk-floor' });
  await build({
    ...programOptions,
    stdin: { contents: PROGRAM_SOURCE, resolveDir: ROOT, loader: 'js', sourcefile: 'sdk-floor-program.js' },
  });
  const launcher = path.join(dir, 'launcher.mjs');
  await build({
    stdin: { contents: LAUNCHER_SOURCE, resolveDir: ROOT, loader: 'ts', sourcefile: 'sdk-floor-launcher.ts' },
    outfile: launcher,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  return launcher;
}
