// Bundles the CLI for plain Node (issue 12: start-up).
// - The pure-JS dependencies are bundled in: resolving and reading hundreds of files in node_modules on every run
//   cost more than running them. Native modules (keytar) stay external and load from node_modules.
// - Code splitting: what only some commands need (the app's use cases, the AWS SDK clients, 1Password Connect) sits
//   in chunks loaded by dynamic import(), so `--help`, `--version` and completion load only what they use.
// - `aws credential-process`'s fast path is a second, unsplit build: one file (cli-build-options.mjs).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { CLI_EXTERNAL, cliBuildOptions, credentialProcessBuildOptions } from './cli-build-options.mjs';

const OUT_DIR = 'out/cli';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Old chunks have hashed names; a stale one would only mislead whoever reads the folder.
rmSync(OUT_DIR, { recursive: true, force: true });
const builds = await Promise.all(
  [cliBuildOptions, credentialProcessBuildOptions].map((options) =>
    build({ ...options({ outdir: OUT_DIR, version }), sourcemap: true }),
  ),
);

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
