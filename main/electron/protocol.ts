import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { contentTypeFor, RENDERER_SCHEME, rendererFileFor } from '../desktop/renderer-files';

/**
 * Must run before the app is ready. `standard` gives app://latchkey a real origin (relative URLs, storage, the
 * router's sender check); `secure` makes it a secure context like https. It is not CORS-enabled: nothing outside
 * the origin can read from it. `codeCache` lets Chromium keep the compiled bundle between windows and launches, as
 * it does for https (off by default for custom schemes): evaluating React's and the contract's modules was each a
 * task of 60-70 ms in a window's start (issue 14, item 5).
 */
export function registerRendererScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: RENDERER_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/**
 * Serves the built renderer from app://latchkey/ (never file://). rendererFileFor refuses other hosts and any path
 * that leaves the renderer folder; every response carries the CSP (no inline script, no network), nosniff and a
 * correct type, because module scripts load only as JavaScript.
 */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(RENDERER_SCHEME, async (request) => {
    const file = rendererFileFor(request.url, rendererDir);
    if (file === null || request.method !== 'GET') return new Response('not found', { status: 404 });
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return new Response('not found', { status: 404 });
    }
    const headers: Record<string, string> = {
      'Content-Type': contentTypeFor(file),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    };
    // Kept a literal, so Electronegativity reads and evaluates the real policy. Its one remark on it ("'self' in
    // script-src can be problematic if you host JSONP, Angular or user uploads") was reviewed: this origin serves
    // only our own built files, so the remark is disabled on this line (see docs/SECURITY.md, item 7). The gate reads
    // the policy from that same line, so Prettier must not wrap it.
    // prettier-ignore
    headers['Content-Security-Policy'] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"; // eng-disable CSP_GLOBAL_CHECK
    return new Response(new Uint8Array(body), { status: 200, headers });
  });
}
