// Waiting in tests that watch real files and timers (not a test file itself).

export const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` stops throwing, polling; throws its last error after `ms`. */
export async function eventually(check: () => void, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await settle(20);
    }
  }
}
