/**
 * Lets the page paint and handle input before the next slice of work: a macrotask through a MessageChannel, which
 * (unlike setTimeout) is not clamped to 4 ms once nested, so slicing a 5,000-key plan costs next to nothing.
 */
export function yieldToPage(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

/**
 * Runs `work` once the page has painted its next frame (a task after that frame's callbacks), or after `atMostMs`
 * where no frame comes: a hidden window gets none. Returns a cancel.
 */
export function afterNextPaint(work: () => void, atMostMs = 500): () => void {
  let settled = false;
  const settle = (run: boolean) => {
    if (settled) return;
    settled = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    if (run) work();
  };
  const frame = requestAnimationFrame(() => void yieldToPage().then(() => settle(true)));
  const timer = setTimeout(() => settle(true), atMostMs);
  return () => settle(false);
}
