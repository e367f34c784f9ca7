import type { SyncProgress } from '../core/sync';

/**
 * Progress on stderr, only when resolving is slow enough to wonder about: a live line on a terminal. A log (CI, a
 * pipe) gets at most one line, and no counts that would be stale the moment they are read: a line per tick was
 * noise in the log and cost the run its writes. Fast runs print nothing.
 */
function createProgressReporter(stream: NodeJS.WriteStream, delayMs: number) {
  const started = Date.now();
  let last: SyncProgress | undefined;
  let shown = false;
  let logged = false;
  const render = () => {
    if (!last || last.phase !== 'resolving' || Date.now() - started < delayMs) return;
    if (stream.isTTY) {
      stream.write(`\r\x1b[2K${`resolving ${last.done}/${last.total || '?'} values…`}`);
      shown = true;
    } else if (!logged) {
      stream.write(last.total > 0 && !last.listing ? `resolving ${last.total} values…\n` : 'resolving values…\n');
      logged = true;
    }
  };
  const timer = setInterval(render, 200);
  timer.unref();
  return {
    update(progress: SyncProgress) {
      last = progress;
      render();
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
  /** How long the work runs before any progress shows. */
  delayMs = 400,
): Promise<T> {
  const progress = createProgressReporter(stream, delayMs);
  const warnings: string[] = [];
  try {
    return await work({ onProgress: (p) => progress.update(p), onWarning: (w) => warnings.push(w) });
  } finally {
    progress.stop();
    warnings.forEach(warn);
  }
}
