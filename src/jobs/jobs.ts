/**
 * Background jobs through a queue: pg-boss on PostgreSQL (several instances
 * share it; a job runs on one of them), an in-process runner over the `jobs`
 * table on SQLite (one process). Both keep jobs in the database, so a job
 * survives a restart; both retry a failed job with exponential backoff and
 * keep the final failure for `dateline jobs` to list.
 *
 * Handlers must be idempotent. A job runs at least once, not exactly once: an
 * instance that dies mid-job leaves it to be run again after its lease or
 * expiry, and the second run must find the work done (publish only what is
 * still scheduled, insert with a natural key, …). "Exactly once" is the
 * effect, not the call.
 *
 * @example
 *   const jobs = await createJobQueue(config, database, log);
 *   jobs.work<{ id: number }>('publish-article', async ({ id }) => void (await articles.publish(id)));
 *   jobs.every('publish-due', '* * * * *');
 *   await jobs.start(); // only where workers should run (the server, or a test)
 *   await jobs.send('publish-article', { id: 7 }, { startAfter: at, singletonKey: 'article:7' });
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/connect.js';
import type { Schema } from '../db/schema.js';

export interface SendOptions {
  /** Not before this time (default: now). */
  startAfter?: Date;
  /** While a job with this name and key waits or runs, sending another is a no-op (returns undefined). */
  singletonKey?: string;
  /** Retries after the first attempt (default 3). */
  retryLimit?: number;
}

export interface JobInfo {
  id: string;
  name: string;
  /** 1 on the first run, 2 on the first retry… */
  attempt: number;
}

/** Job data is a JSON object; it is stored as is and handed back to the handler. */
export type JobData = Record<string, unknown>;

export type JobHandler<T extends JobData = JobData> = (data: T, job: JobInfo) => Promise<void>;

export interface FailedJob {
  id: string;
  name: string;
  data: unknown;
  /** The last error's message. */
  error: string;
  failedAt: Date;
  attempts: number;
}

export interface JobQueue {
  /** Starts working the registered handlers and recurring jobs. */
  start(): Promise<void>;
  /** Stops taking jobs, waits (bounded) for the ones running, releases connections. Safe to call twice. */
  stop(): Promise<void>;
  /** Enqueues a job; returns its id, or undefined when a job with the same singleton key is pending. */
  send(name: string, data: JobData, options?: SendOptions): Promise<string | undefined>;
  /**
   * Enqueues a job inside the caller's transaction on the site's database:
   * the job exists if, and only if, that transaction commits. The queue must
   * have been `prepare`d. After the commit, `wake` the runner.
   */
  sendWithin(trx: Kysely<Schema>, name: string, data: JobData, options?: SendOptions): Promise<void>;
  /** Makes sure these queues exist (pg-boss drops jobs sent to a queue it does not know). Idempotent. */
  prepare(names: string[]): Promise<void>;
  /** Looks for due jobs now rather than at the next poll: a transaction that queued some has committed. */
  wake(): void;
  /** Registers the handler of a job name (before or after `start`). */
  work<T extends JobData>(name: string, handler: JobHandler<T>): void;
  /**
   * Runs `name` on a schedule: a five-field cron expression in UTC
   * (`'30 4 * * *'`), or every N seconds (on PostgreSQL rounded to whole
   * minutes, cron's smallest step). One run per tick across instances.
   */
  every(name: string, cronOrSeconds: string | number, data?: JobData): void;
  /** The most recent jobs that failed for good (retries exhausted), newest first. */
  failures(limit?: number): Promise<FailedJob[]>;
  /** How many jobs are due and not finished (waiting, retrying or running): the backlog. */
  pending(): Promise<number>;
}

export interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const DEFAULT_RETRY_LIMIT = 3;

/**
 * pg-boss on PostgreSQL, the SQLite runner otherwise. Loads pg-boss only on
 * PostgreSQL. Nothing runs until `start()`; `send` works before it.
 */
export async function createJobQueue(config: Config, database: Database, log: JobLogger): Promise<JobQueue> {
  if (database.dialect === 'postgres') {
    const { createPgBossQueue } = await import('./pgboss.queue.js');
    return createPgBossQueue({ url: config.databaseUrl, schema: config.jobs.schema, log });
  }
  const { createSqliteQueue } = await import('./sqlite.queue.js');
  return createSqliteQueue({ database, log });
}
