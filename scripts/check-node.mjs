// Which Node each command needs, said once, here (README, package.json `engines` and .nvmrc agree with it, and
// test/unit/scripts/node-versions.test.ts checks that they do):
//
//   npm start (electron-vite preview)   Electron's own `engines` (node_modules/electron/package.json), today
//                                       >= 22.12.0: Electron 45 downloads its binary on first launch, and its
//                                       installer needs that Node. Run by `prestart`, so an older Node stops at
//                                       once, with this message, not deep inside Electron's download.
//   everything else                     package.json `engines` (^20.19.0 || >=22.12.0): the CLI (latchkey), the
//                                       builds and the tests run on Node 20.19 or later. It is Vite's range (the
//                                       builds), and every runtime dependency of the CLI accepts all of it.
//   .nvmrc                              a version that runs both.
//
//   node scripts/check-node.mjs start   exits 1 with a message when this Node cannot run `npm start`
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The lowest Node version `>= X.Y.Z` admits; the only form Electron's `engines` uses. Anything else is an error. */
export function minimumOf(range) {
  const match = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
  if (!match) throw new Error(`scripts/check-node.mjs cannot read the engines range "${range}"`);
  return match.slice(1).map(Number);
}

function parse(version) {
  return version.replace(/^v/, '').split('.').map(Number);
}

export function atLeast(version, minimum) {
  const have = parse(version);
  for (let i = 0; i < 3; i++) if ((have[i] ?? 0) !== minimum[i]) return (have[i] ?? 0) > minimum[i];
  return true;
}

/** What `npm start` needs: Electron's engines, read without loading the electron package (that downloads). */
export function startRequirement(root = ROOT) {
  const manifest = createRequire(path.join(root, 'package.json')).resolve('electron/package.json');
  const electron = JSON.parse(readFileSync(manifest, 'utf8'));
  return { electron: electron.version, range: electron.engines.node, minimum: minimumOf(electron.engines.node) };
}

/** The message for a Node that cannot run `npm start`, or undefined when it can. */
export function startProblem(version, requirement = startRequirement()) {
  if (atLeast(version, requirement.minimum)) return undefined;
  const needed = requirement.minimum.join('.');
  return [
    `npm start needs Node ${needed} or later; this is Node ${version.replace(/^v/, '')}.`,
    `Electron ${requirement.electron} downloads its binary on first launch and requires Node ${requirement.range}.`,
    'The CLI, the builds and the tests run on Node 20.19 or later; only the desktop app needs the newer Node.',
    `With nvm: nvm install && nvm use (.nvmrc names ${readFileSync(path.join(ROOT, '.nvmrc'), 'utf8').trim()}).`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === 'start') {
  const problem = startProblem(process.versions.node);
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
}
