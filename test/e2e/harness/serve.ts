import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page, Route } from 'playwright-core';
import { RENDERER_OUT } from './build';

export const APP_ORIGIN = 'https://latchkey.test';
export const APP_URL = `${APP_ORIGIN}/`;

/** The same policy main/electron/index.ts sends with every app:// response. */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Serves out/renderer at https://latchkey.test/ through Playwright routing, as the app:// protocol handler does:
 * index.html for `/`, files only from inside the renderer folder, the CSP on every response. No server listens.
 * Every other request the page makes is aborted and recorded: the renderer has no business on the network.
 */
export async function serveRenderer(page: Page, onStray: (url: string) => void, root = RENDERER_OUT): Promise<void> {
  await page.route('**/*', async (route: Route) => {
    const url = new URL(route.request().url());
    if (url.origin !== APP_ORIGIN) {
      onStray(url.href);
      return route.abort('blockedbyclient');
    }
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.normalize(path.join(root, relative));
    if (!file.startsWith(root + path.sep)) return route.fulfill({ status: 404, body: 'not found' });
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return route.fulfill({ status: 404, body: 'not found', headers: { 'Content-Security-Policy': CSP } });
    }
    return route.fulfill({
      status: 200,
      body,
      headers: {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}
