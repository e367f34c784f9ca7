import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { SyncProgress } from '../../../main/core/sync';
import { withProgress } from '../../../main/cli/progress';

function recordingStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, write: (text: string) => writes.push(text) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

const resolving = (done: number, total: number): SyncProgress => ({
  phase: 'resolving',
  done,
  total,
  requests: { sent: done, answered: done },
  listing: total === 0,
});

/** A slow resolve: 40 reports over about a second, the timer's ticks among them. */
async function slowResolve({ onProgress }: { onProgress(p: SyncProgress): void }): Promise<string> {
  onProgress(resolving(0, 0));
  for (let done = 0; done < 1000; done += 25) {
    onProgress(resolving(done, 1000));
    await sleep(25);
  }
  return 'planned';
}

describe('progress on stderr', () => {
  it('writes at most one line to a log (not a terminal), however long the resolve', async () => {
    const { stream, writes } = recordingStream(false);
    const result = await withProgress(stream, () => {}, slowResolve, 0);
    expect(result).toBe('planned');
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^resolving (\d+ )?values…\n$/);
  });

  it('writes nothing to a log when the resolve is fast', async () => {
    const { stream, writes } = recordingStream(false);
    await withProgress(
      stream,
      () => {},
      async ({ onProgress }) => onProgress(resolving(3, 3)),
    );
    expect(writes).toEqual([]);
  });

  it('keeps a live line on a terminal and clears it at the end', async () => {
    const { stream, writes } = recordingStream(true);
    await withProgress(stream, () => {}, slowResolve, 0);
    expect(writes.length).toBeGreaterThan(1);
    expect(writes.every((w) => w.startsWith('\r\x1b[2K') && !w.includes('\n'))).toBe(true);
    expect(writes.at(-1)).toBe('\r\x1b[2K');
  });

  it('prints the warnings once the progress line is gone, also when the work fails', async () => {
    const { stream } = recordingStream(false);
    const warned: string[] = [];
    const failing = withProgress(
      stream,
      (w) => warned.push(w),
      async ({ onWarning }) => {
        onWarning('a source said something');
        throw new Error('boom');
      },
    );
    await expect(failing).rejects.toThrow('boom');
    expect(warned).toEqual(['a source said something']);
  });
});
