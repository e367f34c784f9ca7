import { shell } from 'electron';
import { LatchkeyError } from '../core/errors';
import { externalHttpsUrl } from '../desktop/external-url';

/**
 * The only call to shell.openExternal in the app: the Help menu, links the renderer opens (setWindowOpenHandler)
 * and the `shell.openExternal` IPC method all come through here, and only an https URL without credentials passes
 * (main/desktop/external-url.ts, unit-tested). Electronegativity flags any openExternal whose argument is not a
 * literal; this one was reviewed for that reason, and scripts/electronegativity.mjs allows exactly this line.
 */
export async function openExternalHttps(raw: string): Promise<void> {
  const url = externalHttpsUrl(raw);
  if (url === null) throw new LatchkeyError('INVALID_INPUT', 'Only https links can be opened in your browser.');
  await shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK (reviewed: https only, see above)
}
