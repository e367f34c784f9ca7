import { chromium, type Browser } from 'playwright-core';

const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

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
      // The preload carrier (harness/preload.ts) crosses synchronously through prompt(). With RenderDocument, a
      // navigation moves DevTools to a new frame host, so a prompt the old document opened just then can be
      // neither answered nor dismissed, and the renderer the new document shares with it hangs until timeout.
      // Without it, Chromium dismisses the old document's dialog at navigation, as it should.
      // The WebUI omnibox popups: headless Chromium still builds each new window's address-bar popup, two WebUI
      // renderers of 0.5-1.4 s CPU per window (measured), competing on two cores with the page under test. The app's
      // Electron window has no address bar, so they only add noise to the suites and the UI bench.
      '--disable-features=RenderDocument,WebUIOmniboxPopup,WebUIOmniboxAimPopup',
    ],
  });
}
