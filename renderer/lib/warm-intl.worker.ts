// The worker that warm-intl.ts starts once per window. The browser's locale data, loaded by the first number or
// time formatted, is kept for the whole renderer process: loaded here, off the main thread, the window's own first
// format finds it ready.
(1_000).toLocaleString();
new Date(0).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
postMessage('warm');
