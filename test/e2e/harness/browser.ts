import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

/** One headless Chromium per test file; every test gets a fresh context (storage, bindings, routes) in it. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // Screenshots must not depend on the machine's font hinting or scale.
      '--font-render-hinting=none',
    ],
  });
}
