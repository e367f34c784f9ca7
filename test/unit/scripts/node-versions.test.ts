import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/paths';

// Which Node each command needs (scripts/check-node.mjs says it once): npm start needs Electron's range, the CLI,
// the builds and the tests package.json's `engines`, and .nvmrc a version that runs everything.

interface CheckNode {
  startRequirement(): { electron: string; range: string; minimum: number[] };
  startProblem(version: string): string | undefined;
}
const checkNode = (await import(pathToFileURL(path.join(REPO_ROOT, 'scripts/check-node.mjs')).href)) as CheckNode;
// semver as electron-builder uses it (no package of ours depends on it directly).
const semver = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'))('semver') as {
  satisfies(version: string, range: string): boolean;
  subset(sub: string, sup: string): boolean;
};

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const pkg = readJson(path.join(REPO_ROOT, 'package.json')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const engines = pkg.engines.node;
const nvmrc = readFileSync(path.join(REPO_ROOT, '.nvmrc'), 'utf8').trim();
/** A top-level package's `engines.node` (read from node_modules: not every package exports its package.json). */
const nodeEnginesOf = (name: string) =>
  (readJson(path.join(REPO_ROOT, 'node_modules', name, 'package.json')).engines as { node?: string } | undefined)?.node;

describe('Node versions', () => {
  it('.nvmrc names a Node that runs every command: npm start and the rest', () => {
    expect(semver.satisfies(nvmrc, checkNode.startRequirement().range)).toBe(true);
    expect(semver.satisfies(nvmrc, engines)).toBe(true);
  });

  it('engines admits the Node 20 the CLI runs on, and every runtime dependency and the build accept all of it', () => {
    expect(semver.satisfies('20.19.0', engines)).toBe(true);
    expect(semver.satisfies('20.18.3', engines)).toBe(false);
    for (const name of [...Object.keys(pkg.dependencies), 'vite', 'electron-vite']) {
      const range = nodeEnginesOf(name);
      if (range) expect({ name, accepts: semver.subset(engines, range) }).toEqual({ name, accepts: true });
    }
  });

  it("takes npm start's requirement from Electron itself", () => {
    expect(checkNode.startRequirement()).toMatchObject({ range: nodeEnginesOf('electron') });
    expect(pkg.scripts.prestart).toBe('node scripts/check-node.mjs start');
  });

  it('says what an older Node lacks, and lets a new enough one through', () => {
    const needed = checkNode.startRequirement().minimum.join('.');
    expect(checkNode.startProblem('20.20.2')).toMatch(
      new RegExp(`^npm start needs Node ${needed.replace(/\./g, '\\.')} or later; this is Node 20\\.20\\.2\\.`),
    );
    expect(checkNode.startProblem('v22.11.9')).toMatch(/this is Node 22\.11\.9/);
    expect(checkNode.startProblem(needed)).toBeUndefined();
    expect(checkNode.startProblem('24.1.0')).toBeUndefined();
  });

  const tooOld = checkNode.startProblem(process.versions.node) !== undefined;
  if (!tooOld) console.warn(`skipped: npm start on an old Node (this is Node ${process.versions.node}, new enough)`);
  it.skipIf(!tooOld)('npm start on this older Node stops at once, naming the version, before any build', () => {
    const run = spawnSync('npm', ['start'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`this is Node ${process.versions.node}`);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/electron-vite|vite v\d|building/i);
  });
});
