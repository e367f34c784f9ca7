import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { fontUsesPlugin } from './tools/vite-font-uses';

// electron-vite builds the three Electron bundles (main, preload, renderer) with one config and gives the app a
// dev server with reload; the CLI is bundled separately by esbuild (scripts/build-cli.mjs) because it runs under
// plain Node and must not depend on Electron's build.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'main/electron/index.ts') },
        external: ['electron', 'keytar', 'koffi'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // The window is sandboxed: its preload's require() knows only electron, events, timers and url, so every
      // other dependency (zod, the contract) must be inside the one file. Minified, because that is ~100 kB of
      // zod and schemas parsed on every page load (test/unit/preload/bundle.test.ts holds the budget).
      externalizeDeps: false,
      minify: true,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    // Relative asset URLs: the same build is served from app://latchkey/ (Electron) and https://latchkey.test/ (e2e).
    base: './',
    plugins: [react(), fontUsesPlugin(resolve(import.meta.dirname, 'renderer/styles'))],
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves bundles unminified by default; the renderer has a size budget (DESIGN.md §8).
      minify: true,
      // The CSP forbids inline script, so Vite must not inline its module-preload helper or small assets as data: JS.
      modulePreload: { polyfill: false },
      assetsInlineLimit: 0,
      rollupOptions: { input: resolve(import.meta.dirname, 'renderer/index.html') },
    },
  },
});
