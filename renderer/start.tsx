import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { warmFontsWhenIdle } from './lib/warm-fonts';
import { warmIntlWhenIdle } from './lib/warm-intl';

/**
 * The app's first render into `root`, then the locale data and the fonts warmed when the window is idle
 * (lib/warm-intl.ts, lib/warm-fonts.ts).
 */
export function startApp(root: HTMLElement): void {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  warmIntlWhenIdle();
  warmFontsWhenIdle();
}
