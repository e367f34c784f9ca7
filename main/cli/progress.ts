import type { SyncProgress } from '../core/sync';

/**
 * Progress on stderr, only when resolving is slow enough to wonder about: a live line on a terminal, a line every
 * few seconds in CI logs. Fast runs print nothing.
 */
export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr, delayMs = 400) {
  const started = Date.now();
  let last: SyncProgress | undefined;
  let lastLogged = 0;
  let shown = false;
  const render = () => {
    if (!last || last.phase !== 'resolving') return;
    const text = `resolving ${last.done}/${last.total || '?'} values…`;
    if (stream.isTTY) {
      stream.write(`\r\x1b[2K${text}`);
      shown = true;
    } else if (Date.now() - lastLogged >= 3000) {
      stream.write(`${text}\n`);
      lastLogged = Date.now();
    }
  };
  const timer = setInterval(render, 200);
  timer.unref();
  return {
    update(progress: SyncProgress) {
      last = progress;
      if (Date.now() - started >= delayMs) render();
    },
    stop() {
      clearInterval(timer);
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
