/**
 * How far V8 lets the old generation grow past what the last full collection
 * kept before it collects again. V8's own factor adapts up to 4×: a server
 * holding 35 MB of live objects grew to 120 MB of heap under load before its
 * first mark-compact, most of it garbage promoted out of the young
 * generation, and its resident memory with it. A fixed percentage keeps the
 * heap near its live size for a few more full collections (each one short:
 * the live heap is small). `--heap-growing-percent` is read at every
 * collection, so setting it when the process starts takes effect; an
 * operator's own flag (`NODE_OPTIONS` or the command line) is kept.
 *
 * @example
 *   limitHeapGrowth(25); // '--heap-growing-percent=25' (or undefined: 0, or the operator set one)
 */
import { setFlagsFromString } from 'node:v8';

const FLAG = '--heap-growing-percent';

/** The flag to set for `percent`, or undefined when 0 (V8's own) or when the process was started with one. */
export function heapGrowthFlag(percent: number, execArgv: readonly string[], nodeOptions = ''): string | undefined {
  if (percent <= 0) return undefined;
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) => arg.replaceAll('_', '-').startsWith(FLAG));
  return given ? undefined : `${FLAG}=${percent}`;
}

/** Sets the flag `heapGrowthFlag` chooses; returns it (undefined: nothing set). */
export function limitHeapGrowth(percent: number): string | undefined {
  const flag = heapGrowthFlag(percent, process.execArgv, process.env.NODE_OPTIONS);
  if (flag) setFlagsFromString(flag);
  return flag;
}
