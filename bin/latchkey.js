#!/usr/bin/env node
// The published entry: the CLI is bundled by `npm run build:cli` (run automatically by npm install's prepare step).
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node 22.1+ keeps the compiled bundle on disk between runs (V8's code cache), which saves most of the parse and
// compile time of every start; older Node has no such call and compiles as before.
module.enableCompileCache?.();

const bundle = new URL('../out/cli/latchkey.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('latchkey: the CLI is not built yet. Run `npm run build:cli` in the Latchkey folder.\n');
  process.exit(1);
}
// The AWS SDK's notice about its own future Node support is for SDK users choosing versions; Latchkey pins its
// SDK in the lockfile, so on every run the notice would only bury the plan in CI logs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { runCli } = await import(bundle.href);
process.exitCode = await runCli(process.argv.slice(2));
