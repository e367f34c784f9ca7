// Bundles the CLI for plain Node (issue 12: start-up).
// - The pure-JS dependencies are bundled in: resolving and reading hundreds of files in node_modules on every run
//   cost more than running them. Native modules (keytar) stay external and load from node_modules.
// - Code splitting: what only some commands need (the app's use cases, the AWS SDK clients, 1Password Connect) sits
//   in chunks loaded by dynamic import(), so `--help`, `--version` and completion load only what they use.
// - `aws credential-process`'s fast path is a second, unsplit build: one file (cli-build-options.mjs).
// - The command tree is also one CommonJS file, for Node without a compile cache (a V8 code cache, keyed by the
//   file's hash, which the entry is built to know: so it is built first).
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import {
  CLI_EXTERNAL,
  PROGRAM_FILE,
  cliBuildOptions,
  credentialProcessBuildOptions,
  programBuildOptions,
} from './cli-build-options.mjs';

const OUT_DIR = 'out/cli';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Old chunks have hashed names; a stale one would only mislead whoever reads the folder.
rmSync(OUT_DIR, { recursive: true, force: true });
const program = await build({ ...programBuildOptions({ outdir: OUT_DIR, version }), sourcemap: true });
const programHash = createHash('sha256')
  .update(readFileSync(`${OUT_DIR}/${PROGRAM_FILE}`))
  .digest('hex')
  .slice(0, 16);
const builds = [
  program,
  ...(await Promise.all(
    [cliBuildOptions, credentialProcessBuildOptions].map((options) =>
      build({ ...options({ outdir: OUT_DIR, version, programHash }), sourcemap: true }),
    ),
  )),
];

// What the CLI loads at run time from outside its own files, read from esbuild's own account of the build rather
// than from the bundled text (where a bundled SDK's error messages name packages too): scripts/shipping.mjs.
// keytar is loaded through createRequire (main/adapters/keytar-keychain.ts), which esbuild does not follow.
const runtimeImports = new Set(CLI_EXTERNAL);
for (const { metafile } of builds) {
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) if (imported.external) runtimeImports.add(imported.path);
  }
}
writeFileSync(`${OUT_DIR}/runtime-imports.json`, `${JSON.stringify([...runtimeImports].sort(), null, 2)}\n`);
