import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { EventPayload, MethodOutput } from '../../contract/ipc';
import { DOCS_URL, SECURITY_URL } from '../desktop/links';
import { RENDERER_URL } from '../desktop/renderer-files';
import type { IpcBackend } from '../ipc';
import type { Emit } from '../ipc/types';
import { openExternalHttps } from './external';

interface RecentProject {
  dir: string;
  name: string;
}

/** The main process asking its own router (for the Recent menu), with the identity of our renderer's top frame. */
const MAIN_PROCESS = { url: RENDERER_URL, isMainFrame: true };
/** Calls after which the Recent menu may be out of date. */
const CHANGES_RECENT = new Set(['projects.open', 'projects.forget', 'manifest.create']);

export interface AppMenu {
  /** Rebuilds the menu bar (the Recent list comes from the router, like the Projects screen's). */
  refresh(): Promise<void>;
  /** The same backend, with the menu refreshed after calls that change the list of projects. */
  refreshingAfterChanges(backend: IpcBackend): IpcBackend;
}

/**
 * The native menu bar. Menu items that concern the page (Open Folder…, Open Recent) are handed to the renderer as a
 * `menu.command` event, so it runs its own flow (picker, errors, navigation); Help links open in the browser.
 */
export function createAppMenu(deps: {
  backend: IpcBackend;
  emit: Emit;
  showWindow(): BrowserWindow | undefined;
  isDev: boolean;
}): AppMenu {
  const send = (command: EventPayload<'menu.command'>) => {
    const win = deps.showWindow();
    if (!win) return;
    if (win.webContents.isLoading()) win.webContents.once('did-finish-load', () => deps.emit('menu.command', command));
    else deps.emit('menu.command', command);
  };

  async function recentProjects(): Promise<RecentProject[]> {
    const result = await deps.backend.router.handle('projects.list', MAIN_PROCESS, {});
    if (!result.ok) return [];
    const { projects } = result.value as MethodOutput<'projects.list'>;
    return projects.filter((p) => p.state !== 'missing').map((p) => ({ dir: p.dir, name: p.name }));
  }

  const menu: AppMenu = {
    async refresh() {
      const recent = await recentProjects().catch(() => []);
      Menu.setApplicationMenu(
        Menu.buildFromTemplate(
          template({
            isDev: deps.isDev,
            isMac: process.platform === 'darwin',
            recent,
            openFolder: () => send({ command: 'open-folder' }),
            openProject: (dir) => send({ command: 'open-project', dir }),
            openDocs: () => void openExternalHttps(DOCS_URL).catch(() => undefined),
            openSecurity: () => void openExternalHttps(SECURITY_URL).catch(() => undefined),
          }),
        ),
      );
    },
    refreshingAfterChanges(backend) {
      return {
        dispose: () => backend.dispose(),
        router: {
          async handle(method, sender, payload) {
            const result = await backend.router.handle(method, sender, payload);
            if (result.ok && CHANGES_RECENT.has(method)) void menu.refresh();
            return result;
          },
        },
      };
    },
  };
  return menu;
}

interface TemplateOptions {
  isDev: boolean;
  isMac: boolean;
  recent: RecentProject[];
  openFolder(): void;
  openProject(dir: string): void;
  openDocs(): void;
  openSecurity(): void;
}

/** Electron reads `&` in a label as a Windows mnemonic marker; a folder called "R&D" must show as is. */
const plain = (label: string) => label.replace(/&/g, '&&');

/** File, Edit, View, Window, Help (plus the app menu on macOS). Reload and the developer tools only in development. */
function template(opts: TemplateOptions): MenuItemConstructorOptions[] {
  const recent: MenuItemConstructorOptions[] = opts.recent.length
    ? opts.recent
        .slice(0, 10)
        .map((p) => ({ label: plain(`${p.name} — ${p.dir}`), click: () => opts.openProject(p.dir) }))
    : [{ label: 'No recent projects', enabled: false }];

  return [
    ...(opts.isMac ? [{ role: 'appMenu' } as const] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+O', click: () => opts.openFolder() },
        { label: 'Open Recent', submenu: recent },
        { type: 'separator' },
        { role: 'close' },
        ...(opts.isMac ? [] : [{ role: 'quit' } as const]),
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        ...(opts.isDev
          ? [{ role: 'reload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const]
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Documentation', click: () => opts.openDocs() },
        { label: 'Security', click: () => opts.openSecurity() },
      ],
    },
  ];
}
