import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

// electron-vite builds the three Electron bundles (main, preload, renderer) with one config and gives the app a
// dev server with reload; the CLI is bundled separately by esbuild (scripts/build-cli.mjs) because it runs under
// plain Node and must not depend on Electron's build.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'main/electron/index.ts') }, external: ['electron', 'keytar'] },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'preload/index.ts') }, output: { format: 'cjs' } },
    },
  },
  renderer: {
    root: 'renderer',
    build: { outDir: 'out/renderer', rollupOptions: { input: resolve(import.meta.dirname, 'renderer/index.html') } },
  },
});
