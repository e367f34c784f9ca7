import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeCacheDir } from '../../../main/cli/code-cache';
import { cliEnv, makeProject, runLatchkey } from '../../support/cli';
import { skipReason } from '../../support/consumers';

// Under a Node without a compile cache, a resolving command runs the command tree with a V8 code cache of the
// CLI's own (main/cli/code-cache.ts). The unit tests drive that module; this runs the shipped bin, so it also checks
// that the entry tells it which runs went to their end: a failed run leaves a partial cache, never the whole one.

const MANIFEST = `version: 1
profiles:
  dev:
    target: .env
    sources: [{ set: { SYNCED: "new" } }]
`;

const ownCompileCache =
  'enableCompileCache' in module ? `Node ${process.version} keeps its own compile cache instead` : undefined;

describe("the shipped CLI's code cache", () => {
  it('is not written by help, is partial after a failed run, and whole after one that succeeds', async (ctx) => {
    if (skipReason(ownCompileCache, "the CLI's own code cache")) return ctx.skip();
    const project = makeProject(MANIFEST);
    const tmp = mkdtempSync(path.join(tmpdir(), 'latchkey-cache-tmp-'));
    const env = cliEnv(project, 'http://127.0.0.1:9', { TMPDIR: tmp });
    const cacheDir = codeCacheDir({}, tmp)!;
    const caches = () => {
      try {
        return readdirSync(cacheDir).sort();
      } catch {
        return [];
      }
    };
    const run = (args: string[]) => runLatchkey(args, { cwd: project.root, env });

    expect((await run(['plan', '--help'])).code).toBe(0);
    expect(caches()).toEqual([]);

    const failed = await run(['plan', 'no-such-profile']);
    expect(failed.code).not.toBe(0);
    expect(caches()).toEqual([expect.stringMatching(/-plan\.partial\.v8$/)]);

    const succeeded = await run(['plan', 'dev']);
    expect(succeeded.code, succeeded.stderr).toBe(0);
    const [whole] = caches();
    expect(caches()).toEqual([expect.stringMatching(/-plan\.v8$/)]);
    expect(whole).not.toMatch(/partial/);

    // A later failure leaves the whole cache as it is.
    const written = statSync(path.join(cacheDir, whole!)).mtimeMs;
    expect((await run(['plan', 'no-such-profile'])).code).not.toBe(0);
    expect(caches()).toEqual([whole]);
    expect(statSync(path.join(cacheDir, whole!)).mtimeMs).toBe(written);
  }, 60_000);
});
