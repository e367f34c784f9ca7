import { RENDERER_ORIGIN } from './renderer-files';

/**
 * The one permission the renderer gets: writing plain text to the clipboard ("Copy exec command"), from our own
 * page only. Reading the clipboard, and everything else, stays refused. Secret values are copied by main, not here.
 */
export function permissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  if (permission !== 'clipboard-sanitized-write' || requestingUrl === undefined) return false;
  try {
    const url = new URL(requestingUrl);
    return `${url.protocol}//${url.host}` === RENDERER_ORIGIN;
  } catch {
    return false;
  }
}
