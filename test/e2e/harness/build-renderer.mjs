// Builds only the renderer, with exactly the app's electron-vite config (plugins, root, outDir), in a process of
// its own so Vite's NODE_ENV handling never leaks into the test workers. Run from the project root.
import { resolveConfig } from 'electron-vite';
import { build } from 'vite';

process.env.NODE_ENV_ELECTRON_VITE = 'production';
const { config } = await resolveConfig({ logLevel: 'warn' }, 'build', 'production');
if (!config.renderer) throw new Error('electron.vite.config.ts has no renderer section');
await build(config.renderer);
