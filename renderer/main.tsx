// First: zod must be told not to probe eval before the contract's schemas are built (see the module).
import './lib/zod-jitless';
import { markPlatform } from './lib/platform';
import { yieldToPage } from './lib/yield';
import './styles/tokens.css';
import './styles/base.css';
import './styles/controls.css';
import './styles/layout.css';
import './styles/profile.css';
import './styles/screens.css';
import './styles/logins.css';
import './styles/aws.css';
import './styles/services.css';

// Before anything is laid out: the font families depend on it (styles/tokens.css).
markPlatform();

const root = document.getElementById('root');
if (root) {
  // The bundle is evaluated in six tasks, not one (issue 14, item 5: evaluated whole it was the window's longest
  // task, 110-130 ms): this entry (zod's configuration, told not to probe eval, and the styles); then the rest of
  // zod's core (lib/zod-core.ts); then the contract in two parts, whose modules build the zod schemas as they load
  // (lib/contract-core.ts, with zod's classic API, then lib/contract-schemas.ts); then React
  // (lib/ui-libraries.ts); then the app's own modules, which find all that already evaluated. The first render runs
  // in a task of its own after that.
  void (async () => {
    await import('./lib/zod-core');
    await yieldToPage();
    await import('./lib/contract-core');
    await yieldToPage();
    await import('./lib/contract-schemas');
    await yieldToPage();
    await import('./lib/ui-libraries');
    await yieldToPage();
    const { startApp } = await import('./start');
    await yieldToPage();
    startApp(root);
  })();
}
