/** The desktop families the renderer tells apart: shortcuts differ on a Mac, and each has its own font families. */
export type DesktopPlatform = 'mac' | 'windows' | 'linux' | 'other';

/**
 * The platform from what the page itself can see (`navigator.platform`, else the user agent), so that the renderer
 * needs no Node and no preload for it: "MacIntel" on every Mac, Apple silicon included, "Win32" on 64-bit Windows too.
 */
export function desktopPlatform(platform: string, userAgent = ''): DesktopPlatform {
  const seen = platform || userAgent;
  if (/Mac|iPhone|iPad/.test(seen)) return 'mac';
  if (/Win/.test(seen)) return 'windows';
  if (/Linux|X11|CrOS/.test(seen)) return 'linux';
  return 'other';
}

export const thisPlatform: DesktopPlatform =
  typeof navigator === 'undefined' ? 'other' : desktopPlatform(navigator.platform, navigator.userAgent);

/**
 * Marks the document with its platform, for the stylesheets' font families (styles/tokens.css). Called before the
 * first render: a family missing on this platform costs a font lookup per size and weight on the window's first
 * layouts, a synchronous call to the browser process on Linux.
 */
export function markPlatform(doc: Document = document, platform: DesktopPlatform = thisPlatform): void {
  doc.documentElement.dataset.platform = platform;
}
