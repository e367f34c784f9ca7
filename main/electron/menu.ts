import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../contract/ipc';
import type { App } from '../app';
import { DOCS_URL, SECURITY_URL } from '../desktop/links';
import { openExternalHttps } from './external';

interface OpenableProject {
  projectId: string;
  dir: string;
}

interface RecentProject extends OpenableProject {
  name: string;
}

export interface AppMenu {
  /** Hands the window a folder main has registered (the command line, a second launch). */
  openProject(project: OpenableProject): void;
  /** Rebuilds the menu bar (the Recent list comes from the projects use case, like the Projects screen's). */
  refresh(): Promise<void>;
  /** Stops rebuilding when the projects change. */
  dispose(): void;
}

/**
 * The native menu bar. Menu items that concern the page (Open Folder…, Open Recent) are handed to the renderer as a
 * `menu.command` event, so it runs its own flow (picker, errors, navigation); Help links open in the browser. The
 * Recent list is rebuilt whenever the projects use case says the projects changed.
 */
export function createAppMenu(deps: {
  projects: Pick<App['projects'], 'recent' | 'onChange'>;
  /** Hands a command to the window's page, now or once it listens (the backend's postMenuCommand). */
  post(command: MenuCommand): void;
  showWindow(): BrowserWindow | undefined;
  isDev: boolean;
}): AppMenu {
  // Not on did-finish-load: the page subscribes a few tasks after that; it asks for what waited once it listens.
  const send = (command: MenuCommand) => {
    if (deps.showWindow()) deps.post(command);
  };

  const openProject = (p: OpenableProject) => send({ command: 'open-project', projectId: p.projectId, dir: p.dir });
  const refresh = async () => {
    const recent: RecentProject[] = await deps.projects.recent().catch(() => []);
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        template({
          isDev: deps.isDev,
          isMac: process.platform === 'darwin',
          recent,
          openFolder: () => send({ command: 'open-folder' }),
          openProject,
          openDocs: () => void openExternalHttps(DOCS_URL).catch(() => undefined),
          openSecurity: () => void openExternalHttps(SECURITY_URL).catch(() => undefined),
        }),
      ),
    );
  };
  const unsubscribe = deps.projects.onChange(() => void refresh());
  return { refresh, dispose: unsubscribe, openProject };
}

interface TemplateOptions {
  isDev: boolean;
  isMac: boolean;
  recent: RecentProject[];
  openFolder(): void;
  openProject(project: RecentProject): void;
  openDocs(): void;
  openSecurity(): void;
}

/** Electron reads `&` in a label as a Windows mnemonic marker; a folder called "R&D" must show as is. */
const plain = (label: string) => label.replace(/&/g, '&&');

/** File, Edit, View, Window, Help (plus the app menu on macOS). Reload and the developer tools only in development. */
function template(opts: TemplateOptions): MenuItemConstructorOptions[] {
  const recent: MenuItemConstructorOptions[] = opts.recent.length
    ? opts.recent.slice(0, 10).map((p) => ({ label: plain(`${p.name} — ${p.dir}`), click: () => opts.openProject(p) }))
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
