/**
 * Lowers this process's CPU priority (raises its niceness), so that another
 * process on the machine — the web server beside a `dateline worker` — gets
 * the CPU first when both want it. On Linux each thread has a niceness of its
 * own and `os.setPriority()` reaches only the calling one: every thread
 * listed in `/proc/self/task` is lowered (V8's and libuv's helpers too;
 * threads started later inherit the main thread's). Never raises a priority
 * (that needs privileges; a systemd `Nice=` higher than asked is kept).
 *
 * @example
 *   lowerPriority(10); // → 10, or the niceness it already had if higher
 */
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** Returns the main thread's niceness afterwards. */
export function lowerPriority(nice: number): number {
  const threads = threadIds();
  for (const id of threads.length ? threads : [0]) {
    try {
      if (getPriority(id) < nice) setPriority(id, nice);
    } catch {
      // the thread ended meanwhile
    }
  }
  return getPriority();
}

function threadIds(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number).filter(Number.isInteger);
  } catch {
    return []; // not Linux: the process-wide call is all there is
  }
}
