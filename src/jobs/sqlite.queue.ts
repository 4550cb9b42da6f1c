/**
 * The job runner on SQLite: a queue in the `jobs` table, worked in-process
 * one job at a time. A poller (a setTimeout chain that `send` wakes early)
 * claims the next due job in a transaction with a lease, renews the lease
 * while the handler runs, then marks the job completed, queues a retry with
 * exponential backoff, or marks it failed after its last attempt. A job whose
 * lease ran out (the process died) is claimed again. Everything lives in the
 * table, so jobs survive a restart.
 *
 * @example
 *   const jobs = createSqliteQueue({ database, log });
 *   jobs.work('hello', async (data) => log.info(data, 'hello'));
 *   await jobs.start();
 *   await jobs.send('hello', { to: 'world' });
 */
import type { Database } from '../db/connect.js';
import { nextCronTime, parseCron } from './cron.js';
import {
  DEFAULT_RETRY_LIMIT,
  type JobData,
  type JobHandler,
  type JobLogger,
  type JobQueue,
  type SendOptions,
} from './jobs.js';
import {
  claimNextJob,
  completeJob,
  countPendingJobs,
  extendLease,
  failJob,
  insertJob,
  insertUnlessPending,
  type JobRow,
  listFailedJobs,
  type NewJob,
  nextDueTime,
  pruneJobs,
  releaseJob,
  retryJob,
} from './jobs.repository.js';

export interface SqliteQueueOptions {
  database: Database;
  log: JobLogger;
  /** How long a claimed job is held before it counts as abandoned; renewed while its handler runs. */
  leaseMs?: number;
  /** The longest sleep between looks at the table (jobs another process wrote). */
  idlePollMs?: number;
  /** A failed attempt n is retried after backoffBaseMs × 2^n (2, 4, 8… seconds by default), capped. */
  backoffBaseMs?: number;
  maxBackoffMs?: number;
  /** How long `stop` waits for the running job before handing it back to the queue (5 s: inside the server's 10 s). */
  stopTimeoutMs?: number;
}

const HOUR = 3_600_000;

export function createSqliteQueue(options: SqliteQueueOptions): JobQueue {
  const { database, log } = options;
  const db = database.db;
  const leaseMs = options.leaseMs ?? 30_000;
  const idlePollMs = options.idlePollMs ?? 5_000;
  const backoffBaseMs = options.backoffBaseMs ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? HOUR;
  const stopTimeoutMs = options.stopTimeoutMs ?? 5_000;

  const handlers = new Map<string, JobHandler>();
  const recurring = new Map<string, { schedule: string | number; data: JobData }>();
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  let wakeAt = Number.POSITIVE_INFINITY;
  let busy: Promise<void> | undefined;
  /** The job whose handler runs now. */
  let current: JobRow | undefined;
  let again = false;
  let prunedAt = 0;

  /** Sets the poller to wake at `at` unless it already wakes sooner. */
  function wake(at: number): void {
    if (!started || at >= wakeAt) return;
    clearTimeout(timer);
    wakeAt = at;
    timer = setTimeout(() => void tick(), Math.max(0, at - Date.now()));
  }

  function tick(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    wakeAt = Number.POSITIVE_INFINITY;
    if (!started) return Promise.resolve();
    if (busy) {
      again = true; // the running loop looks once more before it sleeps
      return busy;
    }
    busy = loop().finally(() => {
      busy = undefined;
    });
    return busy;
  }

  async function loop(): Promise<void> {
    try {
      for (;;) {
        again = false;
        for (let job = await claim(); job; job = await claim()) await run(job);
        if (!started) return;
        await pruneHourly();
        const due = (await nextDueTime(db, [...handlers.keys()]))?.getTime() ?? Number.POSITIVE_INFINITY;
        if (!again) {
          wake(Math.min(due, Date.now() + idlePollMs));
          return;
        }
      }
    } catch (err) {
      log.error({ err }, 'job runner failed; trying again shortly');
      wake(Date.now() + idlePollMs);
    }
  }

  const claim = () => (started ? claimNextJob(db, [...handlers.keys()], new Date(), leaseMs) : undefined);

  async function run(job: JobRow): Promise<void> {
    const info = { id: String(job.id), name: job.name, attempt: job.attempts };
    const handler = handlers.get(job.name)!;
    const renew = setInterval(() => {
      extendLease(db, job, new Date(Date.now() + leaseMs)).catch((err) =>
        log.warn({ err, job: info }, 'lease renewal failed'),
      );
    }, leaseMs / 3);
    let failure: { err: unknown } | undefined;
    current = job;
    try {
      await handler(JSON.parse(job.data) as JobData, info);
    } catch (err) {
      failure = { err };
    } finally {
      clearInterval(renew);
      current = undefined;
    }
    if (!failure) {
      if (!(await completeJob(db, job, new Date(), nextRun(job)))) {
        log.warn({ job: info }, 'job finished after its lease ran out; another attempt may have run it too');
      }
      return;
    }
    const { err } = failure;
    const error = err instanceof Error ? err.message : String(err);
    if (job.attempts < job.max_attempts) {
      const delay = Math.min(backoffBaseMs * 2 ** job.attempts, maxBackoffMs);
      await retryJob(db, job, new Date(Date.now() + delay), error);
      log.warn({ err, job: info, retryInMs: delay }, 'job failed; retrying later');
    } else {
      await failJob(db, job, new Date(), error, nextRun(job));
      log.error({ err, job: info }, 'job failed after its last attempt');
    }
  }

  /** The next run of a recurring job, queued as this one finishes. */
  function nextRun(job: JobRow): NewJob | undefined {
    const every = recurring.get(job.name);
    if (!every || job.singleton_key !== recurringKey(job.name)) return undefined;
    return recurringJob(job.name, every.schedule, every.data, new Date());
  }

  async function pruneHourly(): Promise<void> {
    if (Date.now() - prunedAt < HOUR) return;
    prunedAt = Date.now();
    await pruneJobs(db, new Date(prunedAt - 24 * HOUR), new Date(prunedAt - 30 * 24 * HOUR));
  }

  async function scheduleRecurring(name: string): Promise<void> {
    const every = recurring.get(name)!;
    const job = recurringJob(name, every.schedule, every.data, new Date());
    await insertJob(db, job, new Date());
    wake(job.runAt.getTime());
  }

  return {
    async start() {
      if (started) return;
      started = true;
      // A recurring job already queued (before a restart) is kept; otherwise its first run is queued.
      for (const name of recurring.keys()) await scheduleRecurring(name);
      void tick(); // jobs already due run from here on; `start` does not wait for them
    },

    async stop() {
      started = false;
      clearTimeout(timer);
      timer = undefined;
      wakeAt = Number.POSITIVE_INFINITY;
      if (!busy) return;
      let timeout: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timeout = setTimeout(resolve, stopTimeoutMs);
      });
      await Promise.race([busy, waited]);
      clearTimeout(timeout);
      // Still running: handed back now (another process, or this one's next start, runs it again), not left
      // until its lease runs out.
      if (current) {
        const job = current;
        await releaseJob(db, job, new Date());
        log.warn(
          { job: { id: String(job.id), name: job.name } },
          'job still running at stop; handed back to the queue',
        );
      }
    },

    async send(name, data, sendOptions = {}) {
      const job = newJob(name, data, sendOptions);
      const id = await insertJob(db, job, new Date());
      if (id !== undefined && handlers.has(name)) wake(job.runAt.getTime());
      return id === undefined ? undefined : String(id);
    },

    async sendWithin(trx, name, data, sendOptions = {}) {
      await insertUnlessPending(trx, newJob(name, data, sendOptions), new Date());
    },

    // The jobs table holds every queue.
    prepare: async () => {},

    wake() {
      wake(Date.now());
    },

    work(name, handler) {
      handlers.set(name, handler as JobHandler);
      if (started) void tick();
    },

    every(name, schedule, data = {}) {
      if (typeof schedule === 'string') parseCron(schedule); // a bad expression fails here, not at the first run
      recurring.set(name, { schedule, data });
      if (started) void scheduleRecurring(name).catch((err) => log.error({ err, job: name }, 'scheduling failed'));
    },

    failures: (limit = 20) => listFailedJobs(db, limit),
    pending: () => countPendingJobs(db, new Date()),
  };
}

const recurringKey = (name: string) => `every:${name}`;

function newJob(name: string, data: JobData, options: SendOptions): NewJob {
  return {
    name,
    data: JSON.stringify(data),
    runAt: options.startAfter ?? new Date(),
    singletonKey: options.singletonKey ?? null,
    maxAttempts: (options.retryLimit ?? DEFAULT_RETRY_LIMIT) + 1,
  };
}

function recurringJob(name: string, schedule: string | number, data: JobData, now: Date): NewJob {
  const runAt = typeof schedule === 'number' ? new Date(now.getTime() + schedule * 1000) : nextCronTime(schedule, now);
  return {
    name,
    data: JSON.stringify(data),
    runAt,
    singletonKey: recurringKey(name),
    maxAttempts: DEFAULT_RETRY_LIMIT + 1,
  };
}
