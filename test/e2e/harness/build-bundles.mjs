// Builds the named app bundles (renderer, preload) with exactly the app's electron-vite config (plugins, root,
// outDir), in a process of its own so Vite's NODE_ENV handling never leaks into the test workers. Run from the
// project root: node test/e2e/harness/build-bundles.mjs renderer preload
import { resolveConfig } from 'electron-vite';
import { build } from 'vite';

process.env.NODE_ENV_ELECTRON_VITE = 'production';
const { config } = await resolveConfig({ logLevel: 'warn' }, 'build', 'production');
for (const name of process.argv.slice(2)) {
  if (!config[name]) throw new Error(`electron.vite.config.ts has no ${name} section`);
  await build(config[name]);
}
