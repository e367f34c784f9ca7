import { isBuiltin } from 'node:module';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  CLI_EXTERNAL,
  cliBuildOptions,
  credentialProcessBuildOptions,
  programBuildOptions,
} from '../../../scripts/cli-build-options.mjs';
import { REPO_ROOT } from '../../support/paths';

// Issue 12 (start-up): which packages each start-up path of the CLI bundle loads, read from esbuild's account of
// the real build options. A static import that pulls zod, yaml, commander or an SDK into one of these paths makes
// every run of it compile that package again.

const OUT = path.join(REPO_ROOT, 'test-results', 'cli-bundle-graph');

let built: Promise<Metafile> | undefined;

/** One build for the whole file, in memory. */
function cliMetafile(): Promise<Metafile> {
  built ??= buildMetafile();
  return built;
}

async function buildMetafile(): Promise<Metafile> {
  const options = cliBuildOptions({ outdir: OUT, version: '0.0.0-test' }) as Parameters<typeof build>[0];
  const result = await build({ ...options, absWorkingDir: REPO_ROOT, write: false, logLevel: 'silent' });
  return result.metafile!;
}

/** The outputs a run loads: `from`, what it imports statically, and `dynamic` (its dynamic imports, by source). */
function loadedBy(meta: Metafile, entry: string, dynamicSources: string[]): Set<string> {
  const loaded = new Set<string>();
  const visit = (output: string) => {
    if (loaded.has(output)) return;
    loaded.add(output);
    for (const imported of meta.outputs[output]!.imports) {
      if (imported.external) continue;
      if (imported.kind === 'import-statement') visit(imported.path);
    }
  };
  visit(entry);
  for (const source of dynamicSources) {
    const output = Object.entries(meta.outputs).find(([, o]) => o.entryPoint === source)?.[0];
    if (!output) throw new Error(`no chunk has ${source} as its entry`);
    visit(output);
  }
  return loaded;
}

function packagesIn(meta: Metafile, outputs: Set<string>): Set<string> {
  const packages = new Set<string>();
  for (const output of outputs) {
    for (const input of Object.keys(meta.outputs[output]!.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      if (match) packages.add(match[1]!);
    }
  }
  return packages;
}

describe('the CLI bundle: what each start-up path loads', () => {
  it('aws credential-process with the credentials at hand is one file that bundles no package', async () => {
    const options = credentialProcessBuildOptions({ outdir: OUT, version: '0.0.0-test' }) as Parameters<
      typeof build
    >[0];
    const { metafile } = await build({ ...options, absWorkingDir: REPO_ROOT, write: false, logLevel: 'silent' });
    const outputs = Object.keys(metafile!.outputs).filter((o) => !o.endsWith('.map'));
    expect(outputs).toHaveLength(1);
    expect([...packagesIn(metafile!, new Set(outputs))]).toEqual([]);
    // Native modules (through createRequire, which esbuild leaves alone) and Node's own are all it loads at run time.
    const external = metafile!.outputs[outputs[0]!]!.imports.filter((i) => i.external).map((i) => i.path);
    expect(external.filter((spec) => !spec.startsWith('node:'))).toEqual([]);
  }, 60_000);

  it('the entry loads only the command tree besides it, and the command tree no zod', async () => {
    const meta = await cliMetafile();
    const entry = Object.entries(meta.outputs).find(([, o]) => o.entryPoint === 'main/cli/index.ts')![0];
    expect([...packagesIn(meta, loadedBy(meta, entry, []))]).toEqual([]);
    const program = packagesIn(meta, loadedBy(meta, entry, ['main/cli/run.ts']));
    expect(program.has('commander')).toBe(true);
    expect(program.has('zod')).toBe(false);
  }, 60_000);

  it("a command's app loads chamber's verbs, the audit trail and the session refresher only when asked", async () => {
    const meta = await cliMetafile();
    const entry = Object.entries(meta.outputs).find(([, o]) => o.entryPoint === 'main/cli/index.ts')![0];
    const app = loadedBy(meta, entry, ['main/cli/run.ts', 'main/app/index.ts']);
    const sources = new Set([...app].flatMap((output) => Object.keys(meta.outputs[output]!.inputs)));
    // What every plan, sync and exec loads: the engine.
    expect(sources).toContain('main/core/sync.ts');
    // What none of them needs before its first request: chamber's verbs and the two features on them, the audit
    // trail (a sync loads it when it writes; a plan never does) and the Audit screen's IPC schemas, personal-secret
    // records, and the desktop app's session refresher.
    for (const lazy of [
      'main/app/chamber.ts',
      'main/core/chamber-rules.ts',
      'main/app/rotate-shared.ts',
      'main/app/rotation-scan.ts',
      'main/core/audit.ts',
      'contract/ipc/audit.ts',
      'main/core/personal-secret-dates.ts',
      'main/aws/refresher.ts',
    ]) {
      expect(sources).not.toContain(lazy);
    }
  }, 60_000);

  it('the command tree for Node without a compile cache is one CommonJS file with no import() left', async () => {
    const options = programBuildOptions({ outdir: OUT, version: '0.0.0-test' }) as Parameters<typeof build>[0];
    const { metafile, outputFiles } = await build({
      ...options,
      absWorkingDir: REPO_ROOT,
      write: false,
      logLevel: 'silent',
    });
    const outputs = outputFiles!.filter((o) => !o.path.endsWith('.map'));
    expect(outputs).toHaveLength(1);
    expect(Object.keys(metafile!.inputs)).toContain('main/cli/run.ts');
    // A function restored from a V8 code cache has no dynamic-import callback on Node 20 (main/cli/code-cache.ts):
    // an import() left in the file would fail at run time, only when the cache is warm. (`{import('x')}` is a
    // type in a bundled comment.)
    expect(outputs[0]!.text).not.toMatch(/(?<![\w$.{])import\(/);
    // The native modules (keytar, koffi) and Node's own modules are all it loads from outside.
    const external = Object.values(metafile!.outputs).flatMap((o) => o.imports.filter((i) => i.external));
    expect(external.map((i) => i.path).filter((spec) => !isBuiltin(spec) && !CLI_EXTERNAL.includes(spec))).toEqual([]);
  }, 60_000);

  it('the SSM client is bundled from its ES module build, without the commands Latchkey never sends', async () => {
    const meta = await cliMetafile();
    const ssmBytes = Object.values(meta.outputs)
      .flatMap((o) => Object.entries(o.inputs))
      .filter(([input]) => input.includes('node_modules/@aws-sdk/client-ssm/') && input.endsWith('.js'))
      .reduce((sum, [input, v]) => {
        expect(input).toContain('/dist-es/');
        return sum + v.bytesInOutput;
      }, 0);
    // The whole CommonJS build is about 450 KB; the commands used (parameters, history, tags) are far fewer.
    expect(ssmBytes).toBeGreaterThan(0);
    expect(ssmBytes).toBeLessThan(250_000);
  }, 60_000);
});
