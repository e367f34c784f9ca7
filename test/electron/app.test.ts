import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES, type LatchkeyApi } from '../../contract/ipc';
import { findElectron, missingDisplay } from './binary';

// The real app in a real Electron, through Playwright's _electron: what only Electron can show (the app://
// protocol and its CSP, the hardened window, the menu, the single-instance lock, keytar inside Electron, the
// ipcMain wiring) and one profile synced end to end from the UI. Everything else is covered in Chromium by test/e2e.
// Run it with test/electron/run.sh (npm run test:electron): it builds nothing, so build first (electron-vite build).

const ROOT = path.resolve(import.meta.dirname, '../..');
const target = findElectron(ROOT);
const skipReason = target.found ? missingDisplay() : target.reason;
if (skipReason) console.warn(`test/electron skipped: ${skipReason}`);

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const manifest = (values: Record<string, string>, personal?: string) =>
  [
    'version: 1',
    'profiles:',
    '  dev:',
    '    target: .env',
    '    sources:',
    `      - set: { ${Object.entries(values)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')} }`,
    ...(personal ? [`      - keychain: ${personal}`] : []),
    '',
  ].join('\n');

function parseEnv(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) out[m[1]] = m[2].replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
  }
  return out;
}

describe.skipIf(skipReason !== undefined)(
  `the desktop app in Electron${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    // Collected even when skipped (so the report counts the skipped tests); nothing below runs then.
    const launch = target.found ? target : { executablePath: '', args: [], packaged: false, description: '' };
    let work = '';
    let home = '';
    // Root in a container: Chromium's own OS sandbox cannot start as root without this flag. The renderer is still
    // sandboxed in Electron's sense (no Node, sandbox: true), which the tests below check.
    const chromiumArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    let env: Record<string, string> = {};
    let app: ElectronApplication;
    let page: Page;

    beforeAll(async () => {
      work = mkdtempSync(path.join(os.tmpdir(), 'latchkey-electron-'));
      home = path.join(work, 'home');
      env = { ...process.env, LATCHKEY_HOME: home, ELECTRON_ENABLE_SECURITY_WARNINGS: 'true' } as Record<
        string,
        string
      >;
      if (!launch.packaged) {
        for (const file of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
          if (!existsSync(path.join(ROOT, file)))
            throw new Error(`${file} is missing: run \`npx electron-vite build\` first`);
        }
      }
      console.log(`test/electron: launching ${launch.description}`);
      app = await electron.launch({
        executablePath: launch.executablePath,
        args: [...chromiumArgs, ...launch.args],
        env,
        cwd: ROOT,
        timeout: 60_000,
      });
      page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
    });

    afterAll(async () => {
      await app?.close();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('exposes window.latchkey from the sandboxed preload, and one call makes the round trip to main', async () => {
      // The first thing that broke in issue 9: a preload that could not load in the sandbox left no API at all.
      const roundTrip = await page.evaluate(async () => {
        const api = (window as unknown as { latchkey?: LatchkeyApi }).latchkey;
        if (!api) return { exposed: false };
        const answer = await api['projects.list']({});
        return { exposed: true, ok: answer.ok, projects: answer.ok ? answer.value.projects.length : -1 };
      });
      expect(roundTrip).toEqual({ exposed: true, ok: true, projects: 0 });
    });

    it('serves the renderer from app://latchkey/ with the CSP, to a page with no Node in it', async () => {
      expect(page.url()).toBe('app://latchkey/');
      expect(await page.title()).toBe('Latchkey');

      const index = await app.evaluate(async ({ net }) => {
        const res = await net.fetch('app://latchkey/');
        return {
          status: res.status,
          csp: res.headers.get('content-security-policy'),
          type: res.headers.get('content-type'),
          nosniff: res.headers.get('x-content-type-options'),
        };
      });
      expect(index).toEqual({ status: 200, csp: CSP, type: 'text/html; charset=utf-8', nosniff: 'nosniff' });

      // contextIsolation + sandbox + nodeIntegration off, seen from the page: no Node and no Electron in it, only the
      // contract's methods (and `on`) on window.latchkey. (The options themselves are gated statically by
      // scripts/electronegativity.mjs: Electron has no API that reads them back.)
      const surface = await page.evaluate(() => {
        const g = globalThis as Record<string, unknown>;
        return {
          node: ['require', 'process', 'Buffer', 'module', 'global', 'ipcRenderer'].filter(
            (name) => typeof g[name] !== 'undefined',
          ),
          api: Object.keys((window as unknown as { latchkey: object }).latchkey).sort(),
        };
      });
      expect(surface).toEqual({ node: [], api: [...METHOD_NAMES, 'on'].sort() });
    });

    it('refuses other hosts and paths outside the renderer folder', async () => {
      const statuses = await app.evaluate(async ({ net }) => {
        const urls = [
          'app://elsewhere/index.html',
          'app://latchkey/..%2f..%2fpackage.json',
          'app://latchkey/%2e%2e/%2e%2e/package.json',
          'app://latchkey/missing.js',
        ];
        return Promise.all(urls.map(async (u) => (await net.fetch(u)).status));
      });
      expect(statuses).toEqual([404, 404, 404, 404]);
    });

    it('denies navigation, new windows and permission requests', async () => {
      await page.evaluate(() => {
        window.location.href = 'https://example.com/';
      });
      await page.waitForTimeout(500);
      expect(page.url()).toBe('app://latchkey/');

      expect(await page.evaluate(() => window.open('app://latchkey/', '_blank') === null)).toBe(true);
      await page.waitForTimeout(300);
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);

      const permission = await page.evaluate(
        async () => (await navigator.permissions.query({ name: 'notifications' as PermissionName })).state,
      );
      expect(permission).not.toBe('granted');
    });

    it('keeps its data in the folder the CLI uses', async () => {
      expect(await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'))).toBe(path.resolve(home));
    });

    it('has the native menus, with reload and the developer tools only in development', async () => {
      const menu = await app.evaluate(({ Menu, app: electronApp }) => {
        const items = Menu.getApplicationMenu()?.items ?? [];
        const file = items.find((i) => i.label.replace('&', '') === 'File');
        const view = items.find((i) => i.label.replace('&', '') === 'View');
        return {
          packaged: electronApp.isPackaged,
          top: items.map((i) => (i.role ? i.role.toLowerCase() : i.label.replace('&', ''))),
          file:
            file?.submenu?.items.map((i) => ({
              label: i.label,
              role: i.role?.toLowerCase(),
              accelerator: i.accelerator,
            })) ?? [],
          view: view?.submenu?.items.map((i) => i.role?.toLowerCase() ?? i.label) ?? [],
        };
      });
      expect(menu.top).toEqual(expect.arrayContaining(['File', 'editmenu', 'View', 'windowmenu', 'help']));
      expect(menu.file).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ label: 'Open Folder…', accelerator: 'CmdOrCtrl+O' }),
          expect.objectContaining({ label: 'Open Recent' }),
          expect.objectContaining({ role: 'close' }),
        ]),
      );
      const devItems = menu.view.filter((r) => r === 'reload' || r === 'toggledevtools');
      expect(devItems).toEqual(menu.packaged ? [] : ['reload', 'toggledevtools']);
    });

    it('syncs a profile from the UI (native dialog answered by the test)', async () => {
      const project = path.join(work, 'ui-project');
      mkdirSync(project, { recursive: true });
      writeFileSync(path.join(project, 'latchkey.yml'), manifest({ LOG_LEVEL: 'debug', GREETING: 'hello' }));
      await app.evaluate(({ dialog }, dir) => {
        dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [dir] })) as typeof dialog.showOpenDialog;
      }, project);

      await page.getByTestId('open-folder').first().click();
      // "Confirm before sync" is on by default: the first press shows the plan, the second one writes.
      await page.getByTestId('sync-button').click({ timeout: 30_000 });
      await page.getByTestId('sync-button').click({ timeout: 30_000 });
      await expect
        .poll(() => existsSync(path.join(project, '.env')) && parseEnv(path.join(project, '.env')), { timeout: 30_000 })
        .toEqual({ LOG_LEVEL: 'debug', GREETING: 'hello' });
    });

    it('syncs a profile with a personal secret through the preload bridge, keytar running inside Electron', async () => {
      const project = path.join(work, 'bridge-project');
      mkdirSync(project, { recursive: true });
      writeFileSync(path.join(project, 'latchkey.yml'), manifest({ LOG_LEVEL: 'info' }, 'PERSONAL_TOKEN'));
      // The folder enters through main's native dialog (answered by the test); the window names it by its id.
      await app.evaluate(({ dialog }, dir) => {
        dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [dir] })) as typeof dialog.showOpenDialog;
      }, project);
      const results = await page.evaluate(async () => {
        const api = (window as unknown as { latchkey: LatchkeyApi }).latchkey;
        const picked = await api['projects.pick']({});
        const projectId = picked.ok && picked.value.picked ? picked.value.picked.projectId : '';
        const opened = await api['projects.open']({ projectId });
        const stored = await api['secrets.setPersonal']({
          projectId,
          name: 'PERSONAL_TOKEN',
          value: 'canary-electron-7f3a',
        });
        const synced = await api.sync({ projectId, profile: 'dev' });
        const audit = await api['audit.tail']({ limit: 20 });
        return {
          opened: opened.ok,
          stored: stored.ok,
          synced: synced.ok ? synced.value.wrote : synced.error.code,
          actions: audit.ok ? audit.value.events.map((e) => e.action) : [],
          // What the bridge returned must never carry the value: only reveal may.
          leaked: JSON.stringify([opened, stored, synced, audit]).includes('canary-electron-7f3a'),
        };
      });
      expect(results).toMatchObject({ opened: true, stored: true, synced: true, leaked: false });
      expect(results.actions).toEqual(expect.arrayContaining(['secret.set', 'sync']));
      expect(parseEnv(path.join(project, '.env'))).toEqual({
        LOG_LEVEL: 'info',
        PERSONAL_TOKEN: 'canary-electron-7f3a',
      });
      expect(await page.content()).not.toContain('canary-electron-7f3a');
    });

    it('runs as a single instance: a second launch hands over and exits', async () => {
      const second = spawn(launch.executablePath, [...chromiumArgs, ...launch.args], {
        env,
        cwd: ROOT,
        stdio: 'ignore',
      });
      const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
      expect(code).toBe(0);
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    });

    it('opens the folder a second launch names (--open-project), also in a window that has just reloaded', async () => {
      // The page listens a few tasks after it loads: main keeps the folder until it asks (main/ipc/window-inbox.ts).
      const launchNaming = async (name: string) => {
        const dir = path.join(work, name);
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, 'latchkey.yml'), manifest({ LOG_LEVEL: 'info' }));
        // One token: Chromium may reorder a second instance's arguments, never split a --switch=value.
        const second = spawn(launch.executablePath, [...chromiumArgs, ...launch.args, `--open-project=${dir}`], {
          env,
          cwd: ROOT,
          stdio: 'ignore',
        });
        expect(await new Promise<number | null>((resolve) => second.on('exit', resolve))).toBe(0);
      };
      await launchNaming('named-project');
      await page.getByRole('heading', { level: 1, name: 'named-project', exact: true }).waitFor({ timeout: 30_000 });
      await page.reload();
      await launchNaming('named-after-reload');
      await page
        .getByRole('heading', { level: 1, name: 'named-after-reload', exact: true })
        .waitFor({ timeout: 30_000 });
    });
  },
);
