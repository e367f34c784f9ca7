import { LatchkeyError } from '../core/errors';

/** Opens a URL in the user's browser; given by the desktop shell (the one reviewed shell.openExternal). */
export type BrowserOpener = (url: string) => Promise<void>;

/** Every link the app opens goes through here: https only, whatever asked for it. */
export async function openHttpsLink(openInBrowser: BrowserOpener, url: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LatchkeyError('INVALID_INPUT', 'That is not a link Latchkey can open.');
  }
  if (parsed.protocol !== 'https:')
    throw new LatchkeyError('INVALID_INPUT', 'Only https links are opened in the browser.');
  await openInBrowser(parsed.href);
}
