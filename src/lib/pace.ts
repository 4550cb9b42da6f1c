/**
 * Background work that gives way to readers when the machine's CPUs are
 * busy, including the part of it no niceness reaches.
 *
 * A niced `dateline worker` gets the CPU after the web server, yet beside
 * readers saturating a 2-core machine its feed polls still took a third of
 * their throughput: on SQLite its own work (why a niced process costs that
 * much was not measured), on PostgreSQL also the half of what an item costs
 * that runs in the database server's backend, at the backend's priority.
 * A pacer makes the whole of the work behave as its niceness says: after
 * each step it looks at whether the machine's CPUs were busy (`/proc/stat`,
 * every 100 ms at most) and, if they were, rests for as long as the kernel
 * would leave a task of its niceness waiting beside one of niceness 0: at
 * niceness 10, nine times as long as it worked since its last rest (it works
 * a tenth of the time). On a machine with CPU to spare, or without
 * `/proc/stat` (not Linux), it only lets other callbacks run
 * (`setImmediate`), and the work goes at full speed.
 *
 * @example
 *   const pacer = createPacer({ duty: dutyOf(getPriority()) }); // one for the process
 *   for (const item of items) {
 *     await save(item);
 *     await pacer.step(); // rests after the save while the CPUs are busy
 *   }
 */
import { readFileSync } from 'node:fs';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

/** The Linux scheduler's weight of each niceness from 0 to 19 (`sched_prio_to_weight`). */
const WEIGHTS = [1024, 820, 655, 526, 423, 335, 272, 215, 172, 137, 110, 87, 70, 56, 45, 36, 29, 23, 18, 15];

/**
 * The share of the time a task of this niceness runs beside one busy task of
 * niceness 0 on a contended CPU: 1 at niceness 0 or below (no pacing), 0.097
 * at 10, 0.014 at 19.
 */
export function dutyOf(nice: number): number {
  if (nice <= 0) return 1;
  const weight = WEIGHTS[Math.min(19, Math.floor(nice))]!;
  return weight / (WEIGHTS[0]! + weight);
}

/** Cumulative CPU time of the machine, in ticks (`/proc/stat`). */
export interface CpuCounters {
  /** Ticks busy: neither idle nor waiting for I/O. */
  busy: number;
  /** Ticks in all. */
  total: number;
}

/** The first line of `/proc/stat`: ticks busy and in all, every CPU together. */
export function parseStat(text: string): CpuCounters | undefined {
  const fields = /^cpu\s+([\d\s]+)/.exec(text)?.[1]?.trim().split(/\s+/).map(Number);
  if (!fields || fields.length < 4 || fields.some((n) => !Number.isFinite(n))) return undefined;
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - fields[3]! - (fields[4] ?? 0), total };
}

/** The machine's counters, or nothing where there is no `/proc/stat` (not Linux). */
export function readCpuCounters(): CpuCounters | undefined {
  try {
    return parseStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

export interface PacerOptions {
  /** The share of a busy machine's time the work may take (`dutyOf(niceness)`); 1: never rest. */
  duty: number;
  /** The counters are read again at most this often. */
  sampleMs?: number;
  /** The longest rest after one step. */
  maxRestMs?: number;
  /** For tests: the clock, the counters and the rest. */
  now?: () => number;
  counters?: () => CpuCounters | undefined;
  rest?: (ms: number) => Promise<unknown>;
}

/**
 * One per process: the steps of every caller (a poll, and another beside
 * it) share its rests, so together they work no more than `duty` of a busy
 * machine's time.
 */
export interface Pacer {
  /**
   * Call after each step of the work: rests in proportion to the work while
   * the CPUs are busy. The work is the time since the last rest, or `workedMs`
   * when the caller measured it (work that comes in bursts: a fan-out).
   */
  step(workedMs?: number): Promise<void>;
}

/**
 * Readers alone kept 87–90 % of this 2-core machine busy under wrk, ingestion
 * alone (worker and database) about 45 %: at 80 % what is running beside the
 * work wants the CPUs. Pressure stall information (tasks waiting for a CPU)
 * told the two apart worse: 10–20 % of the time either way.
 */
const BUSY_ABOVE = 0.8;

export function createPacer(options: PacerOptions): Pacer {
  const now = options.now ?? (() => performance.now());
  const counters = options.counters ?? readCpuCounters;
  const rest = options.rest ?? ((ms: number) => sleep(ms));
  const sampleMs = options.sampleMs ?? 100;
  const maxRestMs = options.maxRestMs ?? 2_000;
  const restPerWork = options.duty >= 1 ? 0 : 1 / Math.max(options.duty, 0.001) - 1;

  let sample = restPerWork > 0 ? counters() : undefined;
  let sampledAt = now();
  let busy = false;
  /** Since when the work has gone on without a rest: the end of the last rest, or the last step on a machine with CPU to spare. */
  let workingSince = sampledAt;
  /** The rest under way: every step taken meanwhile, by any caller, waits for its end. */
  let resting: Promise<void> | undefined;

  /** Whether the CPUs were busy over the time since the last sample (kept between samples). */
  function look(at: number): boolean {
    if (!sample || at - sampledAt < sampleMs) return busy;
    const next = counters();
    if (next && next.total > sample.total) busy = (next.busy - sample.busy) / (next.total - sample.total) >= BUSY_ABOVE;
    sample = next;
    sampledAt = at;
    return busy;
  }

  return {
    async step(workedMs) {
      if (resting) return resting;
      const at = now();
      if (restPerWork > 0 && look(at)) {
        resting = rest(Math.min(maxRestMs, (workedMs ?? at - workingSince) * restPerWork)).then(() => {
          resting = undefined;
          workingSince = now();
        });
        return resting;
      }
      workingSince = at;
      await nextTurn();
    },
  };
}

/** A pacer that never rests: each step only lets other callbacks run. */
export const UNPACED: Pacer = { step: () => nextTurn() };
