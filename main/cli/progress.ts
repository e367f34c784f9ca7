import type { SyncProgress } from '../core/sync';

/**
 * Progress on stderr, only when resolving is slow enough to wonder about: a live line on a terminal, a line every
 * few seconds in CI logs. Fast runs print nothing.
 */
function createProgressReporter(stream: NodeJS.WriteStream = process.stderr, delayMs = 400) {
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

/** What a resolving use case reports while it works. */
export interface ResolveReport {
  onProgress(progress: SyncProgress): void;
  onWarning(text: string): void;
}

/**
 * Runs `work` with a progress reporter on stderr. The sources' warnings are printed once the progress line is
 * gone, so the two never share a line, and also when the work fails after them.
 */
export async function withProgress<T>(
  stream: NodeJS.WriteStream,
  warn: (text: string) => void,
  work: (report: ResolveReport) => Promise<T>,
): Promise<T> {
  const progress = createProgressReporter(stream);
  const warnings: string[] = [];
  try {
    return await work({ onProgress: (p) => progress.update(p), onWarning: (w) => warnings.push(w) });
  } finally {
    progress.stop();
    warnings.forEach(warn);
  }
}
