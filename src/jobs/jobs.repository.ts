/**
 * The SQLite runner's `jobs` table. Plain functions taking the database
 * first; times are ISO strings (they sort as they compare). A claimed job
 * carries its attempt number, which fences later writes: a worker whose lease
 * ran out cannot complete a job another worker has claimed since.
 */
import type { Kysely, Selectable } from 'kysely';
import type { JobsTable, Schema } from '../db/schema.js';
import type { FailedJob } from './jobs.js';

type Db = Kysely<Schema>;
export type JobRow = Selectable<JobsTable>;

export interface NewJob {
  name: string;
  data: string;
  runAt: Date;
  singletonKey: string | null;
  maxAttempts: number;
}

/** Inserts a job unless one with the same name and singleton key is queued or active; returns its id. */
export async function insertJob(db: Db, job: NewJob, now: Date): Promise<number | undefined> {
  return db.transaction().execute((trx) => insertUnlessPending(trx, job, now));
}

/** Within a transaction: the check, then the insert (the unique index `jobs_singleton` backs the check). */
export async function insertUnlessPending(trx: Db, job: NewJob, now: Date): Promise<number | undefined> {
  if (job.singletonKey !== null) {
    const pending = await trx
      .selectFrom('jobs')
      .select('id')
      .where('name', '=', job.name)
      .where('singleton_key', '=', job.singletonKey)
      .where('state', 'in', ['queued', 'active'])
      .executeTakeFirst();
    if (pending) return undefined;
  }
  const row = await trx
    .insertInto('jobs')
    .values({
      name: job.name,
      data: job.data,
      state: 'queued',
      singleton_key: job.singletonKey,
      run_at: job.runAt.toISOString(),
      attempts: 0,
      max_attempts: job.maxAttempts,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/**
 * Claims the next due job among `names`: a queued job whose time has come, or
 * an active one whose lease expired (its worker died). An expired job with no
 * attempts left fails instead.
 */
export async function claimNextJob(db: Db, names: string[], now: Date, leaseMs: number): Promise<JobRow | undefined> {
  if (names.length === 0) return undefined;
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('jobs')
      .set({ state: 'failed', finished_at: at, locked_until: null, last_error: 'lease expired: the worker stopped' })
      .where('state', '=', 'active')
      .where('locked_until', '<=', at)
      .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
      .execute();
    const next = await trx
      .selectFrom('jobs')
      .select('id')
      .where('name', 'in', names)
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'queued'), eb('run_at', '<=', at)]),
          eb.and([eb('state', '=', 'active'), eb('locked_until', '<=', at)]),
        ]),
      )
      .orderBy('run_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (!next) return undefined;
    return trx
      .updateTable('jobs')
      .set((eb) => ({
        state: 'active',
        attempts: eb('attempts', '+', 1),
        locked_until: new Date(now.getTime() + leaseMs).toISOString(),
      }))
      .where('id', '=', next.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** Extends the lease of a job still held by this attempt; false when it is not (the lease was lost). */
export async function extendLease(db: Db, job: JobRow, until: Date): Promise<boolean> {
  const result = await held(db, job).set({ locked_until: until.toISOString() }).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Marks a job completed and, for a recurring one, queues its next run in the same transaction. */
export async function completeJob(db: Db, job: JobRow, now: Date, next?: NewJob): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await held(trx, job)
      .set({ state: 'completed', finished_at: now.toISOString(), locked_until: null })
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    if (next) await insertUnlessPending(trx, next, now);
    return true;
  });
}

/** Puts a failed attempt back in the queue for `runAt`. */
export async function retryJob(db: Db, job: JobRow, runAt: Date, error: string): Promise<void> {
  await held(db, job)
    .set({ state: 'queued', run_at: runAt.toISOString(), locked_until: null, last_error: error })
    .execute();
}

/**
 * Hands a job this attempt still holds back to the queue, due now: its worker
 * is stopping. The attempt stays counted, so a late write of the stopped
 * handler (fenced by attempt) cannot touch the next claim.
 */
export async function releaseJob(db: Db, job: JobRow, now: Date): Promise<void> {
  await held(db, job).set({ state: 'queued', run_at: now.toISOString(), locked_until: null }).execute();
}

/** Marks a job failed for good and, for a recurring one, queues its next run. */
export async function failJob(db: Db, job: JobRow, now: Date, error: string, next?: NewJob): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const result = await held(trx, job)
      .set({ state: 'failed', finished_at: now.toISOString(), locked_until: null, last_error: error })
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n && next) await insertUnlessPending(trx, next, now);
  });
}

/** The job, if this attempt still holds it. */
function held(db: Db, job: JobRow) {
  return db
    .updateTable('jobs')
    .where('id', '=', job.id)
    .where('state', '=', 'active')
    .where('attempts', '=', job.attempts);
}

/** When the poller should next look: the earliest queued run time or lease end among `names`. */
export async function nextDueTime(db: Db, names: string[]): Promise<Date | undefined> {
  if (names.length === 0) return undefined;
  const row = await db
    .selectFrom('jobs')
    .select((eb) => [
      eb.fn.min(eb.case().when('state', '=', 'queued').then(eb.ref('run_at')).end()).as('run_at'),
      eb.fn.min(eb.case().when('state', '=', 'active').then(eb.ref('locked_until')).end()).as('locked_until'),
    ])
    .where('name', 'in', names)
    .where('state', 'in', ['queued', 'active'])
    .executeTakeFirst();
  const times = [row?.run_at, row?.locked_until].filter((t): t is string => typeof t === 'string');
  return times.length ? new Date(times.sort()[0]!) : undefined;
}

/** Deletes finished jobs: completed ones before `completedBefore`, failed ones before `failedBefore`. */
export async function pruneJobs(db: Db, completedBefore: Date, failedBefore: Date): Promise<void> {
  await db
    .deleteFrom('jobs')
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', 'completed'), eb('finished_at', '<', completedBefore.toISOString())]),
        eb.and([eb('state', '=', 'failed'), eb('finished_at', '<', failedBefore.toISOString())]),
      ]),
    )
    .execute();
}

export async function listFailedJobs(db: Db, limit: number): Promise<FailedJob[]> {
  const rows = await db
    .selectFrom('jobs')
    .selectAll()
    .where('state', '=', 'failed')
    .orderBy('finished_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    name: r.name,
    data: JSON.parse(r.data) as unknown,
    error: r.last_error ?? '',
    failedAt: new Date(r.finished_at ?? r.run_at),
    attempts: r.attempts,
  }));
}

/** Jobs due by `now` that have not finished: queued (first run or retry) or running. */
export async function countPendingJobs(db: Db, now: Date): Promise<number> {
  const row = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('state', 'in', ['queued', 'active'])
    .where('run_at', '<=', now.toISOString())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
