// The esbuild options of the CLI bundle (scripts/build-cli.mjs), shared with the test that checks which packages
// each command's import graph holds (test/unit/scripts/cli-bundle.test.ts).

/** Packages that must load from node_modules: native code, found next to the package at run time. */
export const CLI_EXTERNAL = ['keytar'];

/**
 * @param {{ outdir: string, version: string }} opts
 * @returns {import('esbuild').BuildOptions & { metafile: true }}
 */
export function cliBuildOptions({ outdir, version }) {
  return {
    entryPoints: { latchkey: 'main/cli/index.ts' },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    // The ES module builds first (the AWS SDK's dist-es, as AWS advises for bundling): esbuild can then drop what
    // is not used (most of client-ssm's hundreds of commands) and need not wrap CommonJS, whose export copying cost
    // a cold `plan` tens of milliseconds. Packages without a `module` build use `main` as before.
    mainFields: ['module', 'main'],
    format: 'esm',
    target: 'node20',
    external: CLI_EXTERNAL,
    // Bundled CommonJS packages call require() for Node built-ins; an ES module has none of its own.
    banner: {
      js: "import { createRequire as __latchkeyRequire } from 'node:module'; const require = __latchkeyRequire(import.meta.url);",
    },
    logLevel: 'warning',
    legalComments: 'none',
    metafile: true,
    define: {
      'process.env.LATCHKEY_CLI_BUNDLE': '"1"',
      'process.env.LATCHKEY_VERSION': JSON.stringify(version),
    },
  };
}

/** The file, next to the entry, that holds `aws credential-process`'s fast path on its own (main/cli/index.ts). */
export const CREDENTIAL_PROCESS_FILE = 'credential-process.mjs';

/**
 * `aws credential-process`'s fast path (main/app/credential-process.ts) as one file, without code splitting: a tool
 * runs it before every AWS call, and as chunks of the main build it was ten modules for Node's loader to resolve,
 * read and link. The command tree never shares its state (it reads the keychain again if this path gives up).
 *
 * @param {{ outdir: string, version: string }} opts
 * @returns {import('esbuild').BuildOptions & { metafile: true }}
 */
export function credentialProcessBuildOptions({ outdir, version }) {
  const {
    entryPoints: _entry,
    outdir: _outdir,
    outExtension: _ext,
    chunkNames: _chunks,
    ...shared
  } = cliBuildOptions({ outdir, version });
  return {
    ...shared,
    entryPoints: ['main/app/credential-process.ts'],
    outfile: `${outdir}/${CREDENTIAL_PROCESS_FILE}`,
    splitting: false,
  };
}
