import { readFileSync } from 'node:fs';
import { errorCode } from './held-folder';

/**
 * Who holds a lock or left a temp file: a pid is reused once its process is gone, so where the platform tells us
 * when a process started (Linux: /proc/<pid>/stat, field 22, in clock ticks since boot), that pins it down.
 */
export function processStartId(pid: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) is in parentheses and may hold spaces: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but is someone else's.
    return errorCode(error) === 'EPERM';
  }
}

/** This process, as a lock records it. */
export function ownProcessStartId(): string | undefined {
  return processStartId(process.pid);
}
