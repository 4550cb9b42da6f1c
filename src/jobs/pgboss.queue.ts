/**
 * The job queue on PostgreSQL: pg-boss 10 in a schema of its own (`pgboss`
 * unless configured). Several instances share it; `SKIP LOCKED` fetching
 * gives each job to one of them. A job whose worker died stays `active` until
 * its expiry (`expireInSeconds`); pg-boss's maintenance then puts it back for
 * a retry, with exponential backoff, on whichever instance is alive.
 *
 * pg-boss connects on first use (`send`, `start`) through a small pool of our
 * own; its bookkeeping (expiry, archiving, turning cron schedules into jobs)
 * runs from then on, coordinated across instances by pg-boss itself. Handlers
 * run only after `start()`.
 *
 * @example
 *   const jobs = createPgBossQueue({ url: 'postgres://…', log });
 *   jobs.work('hello', async (data) => log.info(data, 'hello'));
 *   await jobs.start();
 */
import { CompiledQuery, type Kysely } from 'kysely';
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { Schema } from '../db/schema.js';
import { secondsToCron } from './cron.js';
import {
  DEFAULT_RETRY_LIMIT,
  type JobData,
  type JobHandler,
  type JobLogger,
  type JobQueue,
  type SendOptions,
} from './jobs.js';
import { countPendingJobs, listFailedJobs, lockAndFindPending } from './pgboss.repository.js';

export interface PgBossQueueOptions {
  url: string;
  log: JobLogger;
  /** pg-boss's schema; one per site sharing a database (and one per test). */
  schema?: string;
  /** A job still active after this long counts as abandoned and is retried. */
  expireInSeconds?: number;
  /** Backoff base: retry n waits about retryDelaySeconds × 2^n (randomised by pg-boss). */
  retryDelaySeconds?: number;
  /** How often an idle worker looks for a job. */
  pollingIntervalSeconds?: number;
  /** How often expired jobs are looked for (and finished ones archived). */
  maintenanceIntervalSeconds?: number;
  /** How long `stop` waits for running jobs (5 s: well inside the server's 10 s to shut down). */
  stopTimeoutMs?: number;
}

/** How long after the last handler's end the pool stays open for pg-boss to write it down. */
const QUIET_MS = 300;

/** Runs pg-boss's SQL on the caller's transaction (a Kysely transaction on the site's pool). */
function within(trx: Kysely<Schema>) {
  return {
    async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
      const result = await trx.executeQuery<R>(CompiledQuery.raw(text, values));
      return { rows: result.rows, rowCount: result.rows.length } as pg.QueryResult<R>;
    },
  };
}

export function createPgBossQueue(options: PgBossQueueOptions): JobQueue {
  const { log } = options;
  const schema = options.schema ?? 'pgboss';
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
  const jobDefaults = {
    retryBackoff: true,
    retryDelay: options.retryDelaySeconds ?? 2,
    expireInSeconds: options.expireInSeconds ?? 5 * 60,
  };
  const pool = new pg.Pool({ connectionString: options.url, max: 4, application_name: `dateline-jobs` });
  pool.on('error', (err) => log.warn({ err }, 'job queue connection lost'));
  /** pg-boss's queries in flight: the pool is ended only when none is. */
  const queries = new Set<Promise<unknown>>();
  let ended = false;
  const executeSql = (text: string, values?: unknown[]) => {
    // A write pg-boss attempts after the pool closed (a job's end reported late) is dropped, not thrown into its
    // loop as an unhandled rejection: the job stays active until it expires, then runs again (at least once).
    if (ended) return Promise.resolve({ rows: [], rowCount: 0 } as unknown as pg.QueryResult);
    const query = pool.query(text, values);
    queries.add(query);
    const settle = () => {
      queries.delete(query);
      lastActivity = Date.now();
    };
    query.then(settle, settle);
    return query;
  };
  const boss = new PgBoss({
    db: { executeSql },
    schema,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
    retryLimit: DEFAULT_RETRY_LIMIT,
    ...jobDefaults,
  });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));

  const handlers = new Map<string, JobHandler>();
  const recurring = new Map<string, { cron: string; data: JobData }>();
  const queues = new Set<string>();
  const workerIds: string[] = [];
  /** Handlers running now: `stop` lets them finish (bounded) before it closes the pool they report to. */
  const running = new Set<Promise<void>>();
  let closing = false;
  let lastActivity = 0;
  let connecting: Promise<void> | undefined;
  let working = false;
  let stopping: Promise<void> | undefined;

  const optionsOf = (sendOptions: SendOptions) => ({
    ...jobDefaults,
    retryLimit: sendOptions.retryLimit ?? DEFAULT_RETRY_LIMIT,
    ...(sendOptions.startAfter ? { startAfter: sendOptions.startAfter } : {}),
  });

  /** Starts pg-boss (creating or migrating its schema) once. */
  function connect(): Promise<void> {
    connecting ??= boss.start().then(
      () => undefined,
      (err: unknown) => {
        connecting = undefined; // the next use tries again
        throw err;
      },
    );
    return connecting;
  }

  let creating: Promise<void> = Promise.resolve();

  /**
   * pg-boss 10 drops jobs sent to a queue it does not know: create each queue
   * before first use. Creating a queue attaches a partition to pg-boss's job
   * table, and two instances starting at once deadlock on that: creations are
   * serialised, one at a time here and under an advisory lock across instances.
   */
  function ensureQueue(name: string): Promise<void> {
    const run = creating.then(async () => {
      await connect();
      if (queues.has(name)) return;
      const client = await pool.connect();
      const key = `${schema}:create-queue`;
      try {
        await client.query('select pg_advisory_lock(hashtextextended($1, 0))', [key]);
        try {
          await boss.createQueue(name, { name, retryLimit: DEFAULT_RETRY_LIMIT, ...jobDefaults });
        } finally {
          await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]);
        }
      } finally {
        client.release();
      }
      queues.add(name);
    });
    creating = run.catch(() => {});
    return run;
  }

  async function startWorker(name: string, handler: JobHandler): Promise<void> {
    await ensureQueue(name);
    let id = '';
    id = await boss.work<JobData>(
      name,
      { pollingIntervalSeconds, batchSize: 1, includeMetadata: true },
      async ([job]) => {
        if (!job) return;
        lastActivity = Date.now();
        // A job fetched while stopping: handed back (failed now, retried later), not run on closing resources.
        if (closing) throw new Error('the instance is shutting down: the job will run again');
        const run = handler(job.data ?? {}, { id: job.id, name, attempt: job.retryCount + 1 });
        running.add(run);
        lastActivity = Date.now();
        try {
          await run;
        } finally {
          running.delete(run);
          lastActivity = Date.now();
          // pg-boss waits a whole polling interval after every fetch, found a job or not: with a backlog (a burst
          // of publishes) that is one job per interval. A job found means there may be more: look again at once.
          boss.notifyWorker(id);
        }
      },
    );
    workerIds.push(id);
  }

  async function startSchedule(name: string, cron: string, data: JobData): Promise<void> {
    await ensureQueue(name);
    await boss.schedule(name, cron, data, { tz: 'UTC', retryLimit: DEFAULT_RETRY_LIMIT, ...jobDefaults });
  }

  return {
    async start() {
      if (working || stopping) return;
      await connect();
      working = true;
      for (const [name, handler] of handlers) await startWorker(name, handler);
      for (const [name, { cron, data }] of recurring) await startSchedule(name, cron, data);
    },

    stop() {
      stopping ??= (async () => {
        working = false;
        closing = true;
        const timeoutMs = options.stopTimeoutMs ?? 5_000;
        const started = Date.now();
        if (connecting) {
          await connecting.catch(() => {});
          await boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
        }
        // pg-boss can return while a fetch is in flight, or before a handler's end is written: the pool stays
        // open until no handler runs and none has ended in the last moments (bounded by the timeout).
        while (
          (running.size > 0 || queries.size > 0 || Date.now() - lastActivity < QUIET_MS) &&
          Date.now() - started < timeoutMs + QUIET_MS
        ) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        ended = true;
        await pool.end();
      })();
      return stopping;
    },

    async send(name, data, sendOptions = {}) {
      await ensureQueue(name);
      const jobOptions = optionsOf(sendOptions);
      const key = sendOptions.singletonKey;
      if (key === undefined) return (await boss.send(name, data, jobOptions)) ?? undefined;
      // pg-boss's singleton policies count only some states; ours is "none created, retrying or active", as on SQLite.
      const client = await pool.connect();
      try {
        await client.query('begin');
        const pending = await lockAndFindPending(client, schema, name, key);
        const id = pending
          ? null
          : await boss.send(name, data, {
              ...jobOptions,
              singletonKey: key,
              db: { executeSql: (text, values) => client.query(text, values) },
            });
        await client.query('commit');
        return id ?? undefined;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },

    async sendWithin(trx, name, data, sendOptions = {}) {
      if (!queues.has(name)) throw new Error(`job queue ${name} was not prepared`);
      const sql = within(trx);
      const key = sendOptions.singletonKey;
      if (key !== undefined && (await lockAndFindPending(sql, schema, name, key))) return;
      await boss.send(name, data, {
        ...optionsOf(sendOptions),
        ...(key === undefined ? {} : { singletonKey: key }),
        db: { executeSql: (text, values) => sql.query(text, values) },
      });
    },

    async prepare(names) {
      for (const name of names) await ensureQueue(name);
    },

    wake() {
      // Only this instance's workers: the others find the jobs at their next poll.
      for (const id of workerIds) boss.notifyWorker(id);
    },

    work(name, handler) {
      handlers.set(name, handler as JobHandler);
      if (working)
        void startWorker(name, handler as JobHandler).catch((err) => log.error({ err, name }, 'worker failed'));
    },

    every(name, cronOrSeconds, data = {}) {
      const cron = typeof cronOrSeconds === 'number' ? secondsToCron(cronOrSeconds) : cronOrSeconds;
      recurring.set(name, { cron, data });
      if (working) void startSchedule(name, cron, data).catch((err) => log.error({ err, name }, 'schedule failed'));
    },

    failures: (limit = 20) => listFailedJobs(pool, schema, limit),
    pending: () => countPendingJobs(pool, schema),
  };
}
