import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ElectronTarget =
  | { found: true; executablePath: string; args: string[]; packaged: boolean; description: string }
  | { found: false; reason: string };

const require = createRequire(import.meta.url);

/**
 * Which Electron the suite launches, or why it cannot launch one.
 *
 * - `LATCHKEY_ELECTRON_APP=<executable>`: a packaged TEST build (electron-builder.test.yml, which keeps the inspect
 *   fuse on for Playwright), e.g. dist-test/linux-unpacked/latchkey-desktop. The app inside it is launched as is.
 * - otherwise the development binary of the `electron` package, running this folder (package.json main = out/main).
 *
 * It does not `require('electron')`: since Electron 42 that call DOWNLOADS the binary when it is missing (the
 * package's index.js spawns its installer), which offline hangs on the network and then throws. Instead it reads
 * what that code reads: ELECTRON_OVERRIDE_DIST_PATH, or node_modules/electron/path.txt (written by the download)
 * and the file it names under dist/, and checks that the file exists.
 */
export function findElectron(root: string): ElectronTarget {
  const packagedApp = process.env.LATCHKEY_ELECTRON_APP;
  if (packagedApp) {
    return existsSync(packagedApp)
      ? {
          found: true,
          executablePath: packagedApp,
          args: [],
          packaged: true,
          description: `packaged test build ${packagedApp}`,
        }
      : { found: false, reason: `LATCHKEY_ELECTRON_APP is set to ${packagedApp}, which does not exist` };
  }
  // The package's metadata only (resolve + read): loading the electron package itself is what must not happen.
  const manifestPath = require.resolve('electron/package.json');
  const version = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string }).version;
  const electronDir = path.dirname(manifestPath);
  const pathFile = path.join(electronDir, 'path.txt');
  const platformPath = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const executablePath = override
    ? path.join(override, platformPath ?? 'electron')
    : platformPath
      ? path.join(electronDir, 'dist', platformPath)
      : undefined;
  if (!executablePath || !existsSync(executablePath)) {
    return {
      found: false,
      reason:
        `no Electron binary: Electron ${version} downloads it on first launch, and this machine has no internet ` +
        `(${executablePath ? `${executablePath} does not exist` : 'node_modules/electron/path.txt is missing: the binary was never downloaded'}). ` +
        'Run `npx electron --version` once with internet access, or set LATCHKEY_ELECTRON_APP to a packaged test build.',
    };
  }
  return {
    found: true,
    executablePath,
    args: [root],
    packaged: false,
    description: `electron ${version} (${executablePath}) running ${root}`,
  };
}

/** Chromium needs a display; on Linux without one the suite cannot start a window (test/electron/run.sh uses Xvfb). */
export function missingDisplay(): string | undefined {
  if (process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return undefined;
  return 'no display (DISPLAY/WAYLAND_DISPLAY unset): run it through test/electron/run.sh, which starts Xvfb';
}
