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
