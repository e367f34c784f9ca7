/**
 * The one rule for handing a URL to the operating system (`shell.openExternal`): https only, with a host, and no
 * credentials in it. Anything else (http, file:, custom schemes such as `ms-msdt:` or `smb:`, javascript:) could
 * start a program or leak a login, so it is refused. Returns the normalised URL to open, or null.
 */
export function externalHttpsUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > 4096) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.hostname === '' || url.username !== '' || url.password !== '') return null;
  return url.href;
}
