// First: zod must be told not to probe eval before the contract's schemas are built (see the module).
import './lib/zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { warmIntlWhenIdle } from './lib/warm-intl';
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

const root = document.getElementById('root');
if (root) {
  // The first render in a task of its own, not in the one that evaluated the bundle (the contract's schemas are
  // built there): two shorter tasks where there was one long one as the window starts (issue 14, item 5).
  void yieldToPage().then(() => {
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
    warmIntlWhenIdle();
  });
}
