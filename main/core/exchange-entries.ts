import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';

/**
 * Swaps two directory entries in one system call: afterwards each name holds what the other held. Replacing a file
 * that another program may be replacing too needs it. A rename replaces whatever is at the target at that instant,
 * so a save that lands between our last look and our rename is lost, however short that gap is made: under load it
 * is as long as the scheduler likes. A swap loses nothing: whatever was at the target comes out under our temp
 * name, where it can be looked at and swapped back (docs/SECURITY.md).
 *
 * Node has no call for it. Linux has renameat2(RENAME_EXCHANGE) (kernel 3.15, glibc 2.28) and macOS has
 * renamex_np(RENAME_SWAP) (10.12), reached through koffi, a foreign function interface with prebuilt binaries.
 * Windows has neither.
 */

/** Swaps; on failure returns the errno. */
type Swap = (a: string, b: string) => { errno: number } | undefined;

const AT_FDCWD = -100;
const RENAME_EXCHANGE = 2;
const RENAME_SWAP = 2;

let swap: Swap | null | undefined;

function loadSwap(): Swap | null {
  if (swap !== undefined) return swap;
  swap = null;
  try {
    // createRequire, as for keytar: a native module stays outside the bundles and loads from node_modules.
    const koffi = createRequire(import.meta.url)('koffi') as typeof Koffi;
    const failed = (result: unknown) => (result === 0 ? undefined : { errno: koffi.errno() });
    if (process.platform === 'linux') {
      const renameat2 = koffi
        .load('libc.so.6')
        .func(
          'int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags)',
        );
      swap = (a, b) => failed(renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE));
    } else if (process.platform === 'darwin') {
      const renamexNp = koffi
        .load('/usr/lib/libSystem.B.dylib')
        .func('int renamex_np(const char *from, const char *to, unsigned int flags)');
      swap = (a, b) => failed(renamexNp(a, b, RENAME_SWAP));
    }
    enosys = koffi.os.errno.ENOSYS;
  } catch {
    // No binary for this platform, or no such function in its C library: callers rename instead.
    swap = null;
  }
  return swap;
}

/** The system has no such call at all (an old kernel, or a sandbox that refuses it): not worth asking again. */
let enosys: number | undefined;

/**
 * Swaps the entries `a` and `b` (both must exist, on one file system). True when swapped. False when this system or
 * file system cannot swap, or the swap failed for any other reason (a name missing, no permission): nothing was
 * changed then, and the caller goes its other way, which reports the error in its own words.
 */
export function exchangeEntries(a: string, b: string): boolean {
  const fn = loadSwap();
  if (!fn) return false;
  const failure = fn(a, b);
  if (!failure) return true;
  if (failure.errno === enosys) swap = null;
  return false;
}

/** Whether this process can swap entries at all; a file system may still refuse (exchangeEntries says so). */
export function canExchangeEntries(): boolean {
  return loadSwap() !== null;
}
