// Bundles the CLI for plain Node. Dependencies stay external (resolved from node_modules at run time), which keeps
// the native keytar module loadable and the bundle small.
import { build } from 'esbuild';

await build({
  entryPoints: ['main/cli/index.ts'],
  outfile: 'out/cli/latchkey.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  define: { 'process.env.LATCHKEY_CLI_BUNDLE': '"1"' },
});
