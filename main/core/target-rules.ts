/**
 * Where Latchkey refuses to write a target or a file secret, even inside the project (issue 10, item 1).
 *
 * A dotenv value may span lines inside quotes: harmless to a dotenv reader, but a line-based reader of another
 * format (git's config, a shell, npm's ini) takes each of those lines as its own. A `set:` or SSM value could then
 * add `[core] fsmonitor = <command>` to `.git/config`, or a command to `.bashrc`. Latchkey only ever writes dotenv
 * text and the raw bytes of file secrets, so it refuses the places where another program would read them as
 * configuration or code. The list is documented in docs/SECURITY.md; keep the two in step.
 */

/** Version-control metadata: refused anywhere on the path, even above the manifest's folder. */
const VCS_FOLDERS = ['.git', '.hg', '.svn', '.bzr', '_darcs', '.jj', '.pijul'] as const;

/** Folders that hold credentials or the configuration of tools that act on them. */
const CREDENTIAL_FOLDERS = ['.ssh', '.aws', '.kube', '.docker', '.gnupg', '.config'] as const;

/** Folders whose files an editor or git runs as tasks or hooks. */
const AUTOMATION_FOLDERS = ['.vscode', '.idea', '.husky'] as const;

/** Files a shell reads (and runs) at start-up. */
const SHELL_STARTUP_FILES = [
  '.profile',
  '.login',
  '.logout',
  '.bashrc',
  '.bash_profile',
  '.bash_login',
  '.bash_logout',
  '.zshrc',
  '.zshenv',
  '.zprofile',
  '.zlogin',
  '.zlogout',
  '.cshrc',
  '.tcshrc',
  '.kshrc',
  '.mkshrc',
] as const;

/** Line-based configuration that tools read on every run in the folder, where a line can name a command to run. */
const TOOL_CONFIG_FILES = ['.npmrc', '.yarnrc', '.yarnrc.yml', '.gitconfig', '.gitmodules', '.hgrc'] as const;

const VCS = new Set<string>(VCS_FOLDERS);
const CREDENTIALS = new Set<string>(CREDENTIAL_FOLDERS);
const AUTOMATION = new Set<string>(AUTOMATION_FOLDERS);
const SHELL = new Set<string>(SHELL_STARTUP_FILES);
const TOOL_CONFIG = new Set<string>(TOOL_CONFIG_FILES);

/**
 * A path component as the file systems we run on may resolve it: case-insensitively (macOS, Windows), with an
 * NTFS stream suffix (`.git::$INDEX_ALLOCATION`) and trailing dots and spaces dropped (Windows), and the 8.3 short
 * name `GIT~1` standing for `.git`, as git itself guards against.
 */
function comparableName(component: string): string {
  const name = component
    .toLowerCase()
    .replace(/:.*$/s, '')
    .replace(/[. ]+$/, '');
  return name === 'git~1' ? '.git' : name;
}

/** Why no target may be `relative` (a path below the manifest's folder, `/`-separated), or undefined when it may. */
export function refusedTargetReason(relative: string): string | undefined {
  const parts = relative.split('/').filter((part) => part !== '' && part !== '.');
  for (const [index, part] of parts.entries()) {
    const name = comparableName(part);
    const isLast = index === parts.length - 1;
    if (VCS.has(name)) {
      return `it is inside version-control metadata (${name}), where a value could become a command`;
    }
    if (!isLast && CREDENTIALS.has(name)) {
      return `it is inside a credential or tool configuration folder ${name}`;
    }
    if (!isLast && AUTOMATION.has(name)) {
      return `it is inside an editor or hook automation folder ${name}, whose files run as commands`;
    }
    if (isLast && SHELL.has(name)) return `a shell reads ${name} at start-up and runs what it says`;
    if (isLast && name === '.envrc') return `direnv runs .envrc as shell code`;
    if (isLast && TOOL_CONFIG.has(name))
      return `tools read the configuration ${name} on every run, and a line can name a command`;
  }
  return undefined;
}

/** The VCS folder on an absolute path, if any: a manifest that lives inside `.git` must not write there either. */
export function vcsFolderOnPath(absolute: string): string | undefined {
  for (const part of absolute.split(/[\\/]/)) {
    const name = comparableName(part);
    if (VCS.has(name)) return name;
  }
  return undefined;
}
