import { readFile } from 'node:fs/promises';
import type { Page, Route } from 'playwright-core';
import { RENDERER_ORIGIN, contentTypeFor, rendererFileFor } from '../../../main/desktop/renderer-files';
import { RENDERER_OUT } from './build';

const APP_ORIGIN = 'https://latchkey.test';
export const APP_URL = `${APP_ORIGIN}/`;

/** The same policy main/electron/index.ts sends with every app:// response. */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

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
    // The same path rule and content types as the app:// protocol handler.
    const file = rendererFileFor(`${RENDERER_ORIGIN}${url.pathname}`, root);
    if (file === null) return route.fulfill({ status: 404, body: 'not found' });
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
        'Content-Type': contentTypeFor(file),
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}
