import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/**
 * A full garbage collection now. Used where a large peak is about to come and what is
 * garbage is known to be large: before a very long answer is logged, the pieces it
 * streamed in (as much again as the answer) are garbage, but V8 may not have collected
 * them yet, and SQLite is about to copy the answer twice. V8's `gc()` is enabled for a
 * context made afterwards; the flag changes nothing else.
 */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
