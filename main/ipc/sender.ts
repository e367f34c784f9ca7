/**
 * Who may call the main process: our own window's top frame, loaded from our own origin. A subframe, a page
 * that navigated elsewhere, or any other origin is refused before its payload is even read.
 */
export interface SenderInfo {
  url: string;
  isMainFrame: boolean;
}

/**
 * `scheme://host[:port]` of a URL, lower-cased. Not `URL.origin`: for a custom scheme such as `app:` that is the
 * string "null", which would make every custom-scheme page look alike.
 */
export function originOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!parsed.host) return undefined;
  return `${parsed.protocol}//${parsed.host}`.toLowerCase();
}

export function createSenderCheck(allowedOrigins: readonly string[]): (sender: SenderInfo) => boolean {
  const allowed = new Set(allowedOrigins.flatMap((o) => originOf(o) ?? []));
  return (sender) => {
    if (typeof sender !== 'object' || sender === null) return false;
    if (sender.isMainFrame !== true || typeof sender.url !== 'string') return false;
    const origin = originOf(sender.url);
    return origin !== undefined && allowed.has(origin);
  };
}
