import path from 'node:path';

/** `latchkey-app --open-project=<folder>` (or `--open-project <folder>`): open that folder at start. */
const OPEN_PROJECT_FLAG = '--open-project';

/**
 * The folder a launch asks to open, resolved against the launching shell's working directory; undefined when
 * there is none. Only an explicit flag counts: Electron's own arguments (the app path in development, Chromium
 * switches) are folders too and must not be opened by accident.
 */
export function folderToOpen(argv: readonly string[], cwd: string): string | undefined {
  let found: string | undefined;
  argv.forEach((arg, i) => {
    if (arg.startsWith(`${OPEN_PROJECT_FLAG}=`)) found = arg.slice(OPEN_PROJECT_FLAG.length + 1);
    else if (arg === OPEN_PROJECT_FLAG && i + 1 < argv.length) found = argv[i + 1];
  });
  if (!found || found.includes('\0')) return undefined;
  return path.resolve(cwd, found);
}
