import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { warmFontsWhenIdle } from './lib/warm-fonts';
import { warmIntl } from './lib/warm-intl';

/**
 * The app's first render into `root`, with the locale data warmed in a worker meanwhile (lib/warm-intl.ts), and the
 * fonts when the window is idle (lib/warm-fonts.ts).
 */
export function startApp(root: HTMLElement): void {
  warmIntl();
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  warmFontsWhenIdle();
}
