/**
 * Runs tasks for one key one after another within this process: a read-modify-write of one file (settings, the
 * project list, the audit log) must not interleave with another. Across processes, each file has its own lock.
 */
export function serialized<T>(queues: Map<string, Promise<unknown>>, key: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const settled = run.catch(() => undefined);
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}
