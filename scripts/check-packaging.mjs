// CI proof that the packaging configuration is valid, offline (npm run check:packaging, after electron-vite build).
//
//   1. policy   electron-builder.yml says what issue 3 and docs/SECURITY.md promise (targets, fuses, asarUnpack,
//               no rebuild, deb depends, entitlements), and the resources it names exist and are well-formed.
//   2. schema   electron-builder's own loader and validator accept the release file and the test file.
//   3. test     electron-builder.test.yml differs from the release config in exactly the inspect fuse and the
//               output folder.
//   4. runtime  what ships: every bare module out/main loads at run time is a Node built-in, electron or in
//               `dependencies`; out/preload loads nothing a sandboxed preload cannot (electron, events, timers,
//               url); out/cli loads only built-ins and `dependencies`; and every entry in `dependencies` is
//               loaded by one of them (a test-only package there would ship in every installer).
//   5. --dir    a real electron-builder run packages the app for Linux against a stub Electron folder
//               (electronDist), then app.asar is opened and checked: our bundles in, no sources/tests/maps,
//               keytar's and koffi's .node unpacked, every package the main bundle loads present with its whole production
//               dependency tree.
//
// What it cannot prove here, and says so: flipping the fuses (needs a real Electron binary), the dmg/nsis/AppImage/deb
// installers (need downloads or platform tools). Exits non-zero on the first failed step.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import YAML from 'yaml';
import { SHIPPED_BUNDLES, runtimePackages, shippingProblems } from './shipping.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const RELEASE = 'electron-builder.yml';
const TEST = 'electron-builder.test.yml';
const require = createRequire(import.meta.url);
// app-builder-lib's own copies: the exact code electron-builder runs (pinned by the lockfile), found the way
// electron-builder finds it rather than wherever npm happened to hoist it.
const builderRequire = createRequire(
  createRequire(require.resolve('electron-builder/package.json')).resolve('app-builder-lib/package.json'),
);

const REQUIRED_FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  onlyLoadAppFromAsar: true,
  enableEmbeddedAsarIntegrityValidation: true,
};

const effectiveConfigs = new Map();

if (process.argv[2] === '--child-build') {
  await childBuild(JSON.parse(process.argv[3]));
} else {
  await main();
}

async function main() {
  const steps = [
    ['policy', checkPolicy],
    ['schema', checkSchema],
    ['test config', checkTestConfig],
    ['runtime modules', checkRuntimeModules],
    ['--dir build', checkDirBuild],
  ];
  for (const [name, step] of steps) {
    try {
      const lines = await step();
      console.log(`check-packaging: ${name}: ok`);
      for (const line of lines) console.log(`  - ${line}`);
    } catch (error) {
      console.error(
        `check-packaging: ${name}: FAILED\n  ${String(error?.message ?? error)
          .split('\n')
          .join('\n  ')}`,
      );
      process.exit(1);
    }
  }
  console.log(
    'check-packaging: skipped: flipping the fuses. @electron/fuses rewrites a sentinel inside a real Electron binary, and none can be downloaded here; the fuse values are checked as configuration in "policy" and "schema" instead.',
  );
  console.log(
    'check-packaging: skipped: mac and Windows packaging (even --dir: electron-builder fetches its tools from GitHub for them) and the dmg, nsis, AppImage and deb installers (downloaded tools, or macOS/Windows). Their options are schema- and policy-checked above.',
  );
  console.log('check-packaging: all checks passed');
}

// ---------------------------------------------------------------------------------------------------------------

function readYaml(file) {
  return YAML.parse(readFileSync(path.join(ROOT, file), 'utf8'));
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

function pngSize(file) {
  const bytes = readFileSync(path.join(ROOT, file));
  expect(bytes.subarray(1, 4).toString('latin1') === 'PNG', `${file} is not a PNG`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function checkPolicy() {
  const c = readYaml(RELEASE);
  const lines = [];
  expect(c.appId === 'dev.latchkey.app' && c.productName === 'Latchkey', 'appId/productName changed');
  lines.push(`appId ${c.appId}, productName ${c.productName}`);

  expect(
    isDeepStrictEqual(c.asarUnpack, ['**/*.node']),
    'asarUnpack must be ["**/*.node"] (keytar.node cannot load from inside the asar)',
  );
  expect(c.asar !== false, 'asar must stay on (onlyLoadAppFromAsar and asar integrity depend on it)');
  expect(c.npmRebuild === false, 'npmRebuild must be false (keytar is N-API; a rebuild needs the network)');
  expect(
    c.files.includes('package.json') && c.files.some((f) => f.startsWith('out/')),
    'files must hold out/ and package.json',
  );
  expect(
    !c.files.some((f) => /^(test|main|renderer|preload|contract|scripts)\b/.test(f)),
    'files must not include sources or tests',
  );
  lines.push('asar on, asarUnpack **/*.node, npmRebuild false, files = built bundles + package.json');

  for (const [fuse, value] of Object.entries(REQUIRED_FUSES)) {
    expect(c.electronFuses?.[fuse] === value, `electronFuses.${fuse} must be ${value} in the release config`);
  }
  lines.push(
    `fuses: ${Object.entries(REQUIRED_FUSES)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
  );

  expect(isDeepStrictEqual(c.mac?.target, ['dmg']) && c.mac.hardenedRuntime === true, 'mac: dmg with hardenedRuntime');
  expect(c.mac.category === 'public.app-category.developer-tools', 'mac.category must be developer-tools');
  for (const key of ['entitlements', 'entitlementsInherit']) {
    const file = c.mac[key];
    expect(file && existsSync(path.join(ROOT, file)), `mac.${key} file missing: ${file}`);
    const plist = readFileSync(path.join(ROOT, file), 'utf8');
    const keys = [...plist.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]);
    expect(
      isDeepStrictEqual(keys, ['com.apple.security.cs.allow-jit']),
      `${file}: expected only com.apple.security.cs.allow-jit, found ${keys.join(', ')}`,
    );
    expect(/<true\/>/.test(plist) && /<\/plist>\s*$/.test(plist), `${file} is not a well-formed plist`);
  }
  lines.push('mac: dmg, hardenedRuntime, entitlements(+Inherit) = allow-jit only');

  expect(isDeepStrictEqual(c.win?.target, ['nsis']), 'win: nsis');
  expect(
    isDeepStrictEqual(c.linux?.target, ['AppImage', 'deb']) && c.linux.category === 'Development',
    'linux: AppImage + deb, Development',
  );
  expect(c.deb?.depends?.includes('libsecret-1-0'), 'deb.depends must include libsecret-1-0');
  lines.push('win: nsis; linux: AppImage + deb (depends libsecret-1-0), category Development');

  const icon = pngSize(c.mac.icon);
  expect(
    icon.width === 1024 && icon.height === 1024,
    `${c.mac.icon} must be 1024x1024 (mac .icns needs 512+, Windows .ico 256+)`,
  );
  for (const size of [256, 512, 1024]) {
    const file = `${c.linux.icon}/${size}x${size}.png`;
    const dims = pngSize(file);
    expect(dims.width === size && dims.height === size, `${file} is ${dims.width}x${dims.height}`);
  }
  lines.push(`icons: ${c.mac.icon} 1024 px; ${c.linux.icon}/ 256, 512, 1024 px`);
  return lines;
}

/** The config exactly as electron-builder sees it (its loader resolves `extends`), after its own schema check. */
function loadEffectiveConfig(configPath) {
  if (!effectiveConfigs.has(configPath)) {
    effectiveConfigs.set(
      configPath,
      (async () => {
        const { getConfig, validateConfiguration } = builderRequire('./out/util/config/config.js');
        const { DebugLogger } = builderRequire('builder-util');
        const config = await getConfig(ROOT, configPath, null);
        await validateConfiguration(config, new DebugLogger(false));
        return config;
      })(),
    );
  }
  return effectiveConfigs.get(configPath);
}

async function checkSchema() {
  const release = await loadEffectiveConfig(RELEASE);
  await loadEffectiveConfig(TEST);
  const version = require('electron-builder/package.json').version;
  return [
    `${RELEASE}: valid for electron-builder ${version} (${Object.keys(release).length} top-level keys)`,
    `${TEST}: valid (extends ${RELEASE})`,
  ];
}

async function checkTestConfig() {
  const release = await loadEffectiveConfig(RELEASE);
  const test = await loadEffectiveConfig(TEST);
  const expected = JSON.parse(JSON.stringify(release));
  delete expected.extends;
  expected.directories = { ...expected.directories, output: 'dist-test' };
  expected.electronFuses = { ...expected.electronFuses, enableNodeCliInspectArguments: true };
  const actual = JSON.parse(JSON.stringify(test));
  delete actual.extends;
  expect(
    isDeepStrictEqual(actual, expected),
    `${TEST} must differ from ${RELEASE} only in directories.output and electronFuses.enableNodeCliInspectArguments.\n` +
      `expected: ${JSON.stringify(expected)}\nactual:   ${JSON.stringify(actual)}`,
  );
  return ['differs only in enableNodeCliInspectArguments=true and output dist-test/'];
}

// ---------------------------------------------------------------------------------------------------------------
// The --dir build

/** The layout electron-builder copies for Linux: an `electron` executable, resources/, locales/ and the licences. */
function makeStubElectron(dir) {
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  mkdirSync(path.join(dir, 'locales'), { recursive: true });
  const exe = path.join(dir, 'electron');
  writeFileSync(exe, '#!/bin/sh\necho "stub Electron for scripts/check-packaging.mjs: not runnable" >&2\nexit 1\n');
  chmodSync(exe, 0o755);
  writeFileSync(path.join(dir, 'LICENSE'), 'stub\n');
  writeFileSync(path.join(dir, 'LICENSES.chromium.html'), '<p>stub</p>\n');
  writeFileSync(path.join(dir, 'version'), `${require('electron/package.json').version}\n`);
  writeFileSync(path.join(dir, 'locales', 'en-US.pak'), '');
}

function checkRuntimeModules() {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const { problems, lines } = shippingProblems({ root: ROOT, pkg, bundles: SHIPPED_BUNDLES });
  expect(problems.length === 0, problems.join('\n'));
  return lines;
}

/**
 * Resolves the main bundle's packages inside app.asar the way Node will in the installed app (each dependency
 * looked up in node_modules from its dependent's folder upwards), through the whole production dependency tree,
 * and checks that every one is there in a version its dependent accepts. electron-builder lays node_modules out
 * again (it hoists differently from npm), so the asar is checked as it is, not as node_modules here looks.
 * Returns the number of packages reached, or the problems found.
 */
function resolveInAsar(asar, asarPath, roots) {
  const semver = builderRequire('semver');
  const entries = new Set(asar.listPackage(asarPath, { isPack: false }).map((e) => e.split(path.sep).join('/')));
  const readManifest = (dir) => JSON.parse(asar.extractFile(asarPath, `${dir.slice(1)}/package.json`).toString('utf8'));
  const find = (name, fromDir) => {
    for (let dir = fromDir; ; dir = path.posix.dirname(dir)) {
      const candidate = path.posix.join(dir, 'node_modules', name);
      if (entries.has(`${candidate}/package.json`)) return candidate;
      if (dir === '/') return undefined;
    }
  };
  const problems = [];
  const seen = new Set();
  const queue = roots.map((name) => ({ name, range: '*', from: '/', optional: false, by: 'out/main/index.js' }));
  while (queue.length > 0) {
    const { name, range, from, optional, by } = queue.shift();
    const dir = find(name, from);
    if (!dir) {
      if (!optional) problems.push(`${name} (needed by ${by}) is not in app.asar`);
      continue;
    }
    const manifest = readManifest(dir);
    if (semver.validRange(range) && !semver.satisfies(manifest.version, range, { includePrerelease: true })) {
      problems.push(`${by} needs ${name}@${range} but resolves ${dir} (${manifest.version}) in app.asar`);
    }
    if (seen.has(dir)) continue;
    seen.add(dir);
    const by2 = `${manifest.name}@${manifest.version}`;
    for (const [dep, depRange] of Object.entries(manifest.dependencies ?? {})) {
      queue.push({ name: dep, range: depRange, from: dir, optional: false, by: by2 });
    }
    for (const [dep, depRange] of Object.entries(manifest.optionalDependencies ?? {})) {
      queue.push({ name: dep, range: depRange, from: dir, optional: true, by: by2 });
    }
  }
  return { reached: seen.size, problems };
}

async function checkDirBuild() {
  const built = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
  for (const file of built) {
    expect(
      existsSync(path.join(ROOT, file)),
      `${file} is missing: run \`npx electron-vite build\` first (npm run check:packaging does)`,
    );
  }
  const work = mkdtempSync(path.join(os.tmpdir(), 'latchkey-packaging-'));
  try {
    const electronDist = path.join(work, 'electron-dist');
    const output = path.join(work, 'dist');
    makeStubElectron(electronDist);
    const child = spawnSync(
      process.execPath,
      [import.meta.filename, '--child-build', JSON.stringify({ electronDist, output })],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
      },
    );
    const log = `${child.stdout}\n${child.stderr}`;
    expect(
      child.status === 0,
      `electron-builder --dir failed (exit ${child.status}):\n${log
        .split('\n')
        .filter((l) => !l.includes('duplicate dependency'))
        .slice(-30)
        .join('\n')}`,
    );
    expect(/skipped dependencies rebuild/.test(log), 'electron-builder did not report the skipped native rebuild');

    const release = readYaml(RELEASE);
    const appDir = path.join(output, 'linux-unpacked');
    const exe = path.join(appDir, release.linux.executableName);
    expect(existsSync(exe), `no executable ${release.linux.executableName} in ${appDir}`);
    expect(
      !existsSync(path.join(appDir, 'resources', 'app')),
      'a resources/app folder exists (onlyLoadAppFromAsar would refuse it)',
    );
    const asarPath = path.join(appDir, 'resources', 'app.asar');
    expect(existsSync(asarPath), 'resources/app.asar is missing');

    const asar = builderRequire('@electron/asar');
    const entries = asar.listPackage(asarPath, { isPack: false }).map((e) => e.split(path.sep).join('/'));
    const has = (p) => entries.includes(p);
    for (const file of ['/package.json', ...built.map((f) => `/${f}`)]) expect(has(file), `app.asar lacks ${file}`);
    const forbidden = entries.filter(
      (e) =>
        /^\/(test|main|renderer|preload|contract|scripts|docs|out\/cli)\//.test(e) ||
        (/\.map$/.test(e) && !e.includes('/node_modules/')),
    );
    expect(forbidden.length === 0, `app.asar holds files it must not: ${forbidden.slice(0, 10).join(', ')}`);

    const unpackedRoot = path.join(appDir, 'resources', 'app.asar.unpacked');
    const nodeFiles = entries.filter((e) => e.endsWith('.node'));
    expect(nodeFiles.length > 0, 'no .node file in the package (keytar?)');
    for (const file of nodeFiles) {
      expect(existsSync(path.join(unpackedRoot, file)), `${file} is not unpacked next to the asar`);
      expect(
        asar.statFile(asarPath, file.slice(1), false).unpacked === true,
        `${file} is not marked unpacked in the asar header`,
      );
    }

    expect(
      nodeFiles.some((f) => /^\/node_modules\/keytar\/.*\.node$/.test(f)),
      `keytar's .node file is not in the package (found: ${nodeFiles.join(', ') || 'none'})`,
    );
    // Without it the app's writes fall back, silently, from the swap to a rename (main/core/exchange-entries.ts).
    expect(
      nodeFiles.some((f) => /^\/node_modules\/@koromix\/koffi-linux-[^/]+\/[^/]+\/koffi\.node$/.test(f)),
      `koffi's Linux .node file is not in the package (found: ${nodeFiles.join(', ') || 'none'})`,
    );

    const imports = runtimePackages(path.join(ROOT, 'out/main/index.js'));
    const missing = imports.filter((pkg) => !has(`/node_modules/${pkg}/package.json`));
    expect(missing.length === 0, `the main bundle imports packages that are not in app.asar: ${missing.join(', ')}`);
    const tree = resolveInAsar(asar, asarPath, imports);
    expect(
      tree.problems.length === 0,
      `app.asar would not load the main bundle's dependencies:\n${tree.problems.slice(0, 10).join('\n')}`,
    );

    const asarMb = (statSync(asarPath).size / 1024 / 1024).toFixed(1);
    return [
      `electron-builder --linux dir with electronDist = a stub folder (${electronDist.replace(work, '<tmp>')}); fuses off for this run only (stub has no fuse sentinel)`,
      `executable ${release.linux.executableName}; resources/app.asar ${asarMb} MB, ${entries.length} entries; no resources/app folder`,
      `app.asar has ${built.join(', ')} and package.json; no sources, tests, CLI bundle or source maps`,
      `unpacked native modules: ${nodeFiles.join(', ')}`,
      `main bundle's runtime imports all packaged: ${imports.length ? imports.join(', ') : '(none)'}`,
      `with their production dependency tree: ${tree.reached} packages, each resolved inside app.asar as Node will, in a version its dependent accepts`,
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs in a child process so electron-builder's verbose log only shows when it fails. */
async function childBuild({ electronDist, output }) {
  const { build, Platform, Arch } = require('electron-builder');
  await build({
    projectDir: ROOT,
    targets: Platform.LINUX.createTarget('dir', Arch.x64),
    // Merged over electron-builder.yml, which electron-builder loads itself.
    config: { electronDist, directories: { output }, electronFuses: null },
    publish: 'never',
  });
}
