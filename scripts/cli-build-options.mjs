// The esbuild options of the CLI bundle (scripts/build-cli.mjs), shared with the test that checks which packages
// each command's import graph holds (test/unit/scripts/cli-bundle.test.ts).
import { isBuiltin } from 'node:module';

/** Packages that must load from node_modules: native code, found next to the package at run time. */
export const CLI_EXTERNAL = ['keytar', 'koffi'];

/**
 * @param {{ outdir: string, version: string, programHash?: string }} opts
 * @returns {import('esbuild').BuildOptions & { metafile: true }}
 */
export function cliBuildOptions({ outdir, version, programHash = 'unbuilt' }) {
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
      // Names the V8 code cache of program.cjs (main/cli/code-cache.ts): a new build never reads an old cache.
      'process.env.LATCHKEY_PROGRAM_HASH': JSON.stringify(programHash),
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

/** The command tree as one CommonJS file, beside the entry: what Node without a compile cache runs (below). */
export const PROGRAM_FILE = 'program.cjs';

/**
 * The command tree (main/cli/run.ts) with everything it loads, as one CommonJS file without code splitting. Node 20
 * has no compile cache for ES modules (`module.enableCompileCache` came in 22.1), and compiling the command tree's
 * chunks was most of a cold `plan`'s time before its first request. A classic script can be compiled with a V8 code
 * cache (`vm.Script` `cachedData`), which main/cli/code-cache.ts keeps between runs. Dynamic imports inside stay lazy
 * (esbuild runs a module's code on first import), and no `import()` is left in the file: a function restored from a
 * code cache has lost its dynamic-import callback on Node 20, so Node's own modules are `require`d instead.
 *
 * @param {{ outdir: string, version: string }} opts
 * @returns {import('esbuild').BuildOptions & { metafile: true }}
 */
export function programBuildOptions({ outdir, version }) {
  const {
    entryPoints: _entry,
    outdir: _outdir,
    outExtension: _ext,
    chunkNames: _chunks,
    banner: _banner,
    define,
    ...shared
  } = cliBuildOptions({ outdir, version });
  return {
    ...shared,
    entryPoints: ['main/cli/run.ts'],
    outfile: `${outdir}/${PROGRAM_FILE}`,
    format: 'cjs',
    splitting: false,
    define: { ...define, 'import.meta.url': '__latchkeyImportMetaUrl' },
    banner: { js: "const __latchkeyImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [builtinsRequiredOnDemand],
    // Minified, the file is a third smaller: less to read and decode on every run, and a smaller code cache to
    // deserialise (a cold `plan` reached its first request about 30 ms sooner). keepNames keeps each function's and
    // class's `name`: stack traces (LATCHKEY_DEBUG) print it, and commander names its errors after their class.
    minify: true,
    keepNames: true,
  };
}

/** `await import('node:http')` becomes a `require` run on first use, still lazy (programBuildOptions). */
const builtinsRequiredOnDemand = {
  name: 'builtins-required-on-demand',
  /** @param {import('esbuild').PluginBuild} build */
  setup(build) {
    build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) =>
      args.kind === 'dynamic-import' && isBuiltin(args.path)
        ? { path: args.path, namespace: 'node-builtin' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};
