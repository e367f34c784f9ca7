#!/usr/bin/env node
// The published entry: the CLI is bundled by `npm run build:cli` (run automatically by npm install's prepare step).
import { existsSync } from 'node:fs';

const bundle = new URL('../out/cli/latchkey.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('latchkey: the CLI is not built yet. Run `npm run build:cli` in the Latchkey folder.\n');
  process.exit(1);
}
const { runCli } = await import(bundle.href);
process.exitCode = await runCli(process.argv.slice(2));
