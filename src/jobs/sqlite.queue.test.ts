import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDb, type TestDb } from '../../test/helpers.js';
import { connect, type Database } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import type { JobQueue } from './jobs.js';
import { claimNextJob } from './jobs.repository.js';
import { createSqliteQueue, type SqliteQueueOptions } from './sqlite.queue.js';

const log = { info: () => {}, warn: () => {}, error: () => {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const HOUR = 3_600_000;

/**
 * A fake clock for the runner: its sleeps (setTimeout) and its idea of now (Date) move only when the test
 * advances them, so "not before its time" and "at its time" are exact, and a minute-long idle poll never fires
 * by itself. The database stays real (better-sqlite3 answers synchronously, so no real time is needed).
 */
const FAKE_CLOCK: Parameters<typeof vi.useFakeTimers>[0] = { toFake: ['setTimeout', 'clearTimeout', 'Date'] };

/** Generous: only a broken runner waits this long. */
async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(20);
  }
}

describe('the SQLite job runner', () => {
  let t: TestDb;
  const queues: JobQueue[] = [];
  const queue = (options: Partial<SqliteQueueOptions> = {}, database: Database = t.database) => {
    const q = createSqliteQueue({ database, log, backoffBaseMs: 20, ...options });
    queues.push(q);
    return q;
  };
  const jobRow = (id: string) =>
    t.database.db.selectFrom('jobs').selectAll().where('id', '=', Number(id)).executeTakeFirstOrThrow();

  beforeEach(async () => {
    t = await createTestDb();
    await migrate(t.database);
  });
  afterEach(async () => {
    vi.useRealTimers();
    for (const q of queues.splice(0)) await q.stop();
    await t.cleanup();
  });

  it('runs a job once, with its data', async () => {
    const runs: { id: string; data: unknown }[] = [];
    const q = queue();
    q.work('effect', async (data, job) => void runs.push({ id: job.id, data }));
    await q.start();
    const id = await q.send('effect', { n: 1 });
    await until(() => runs.length > 0);
    await sleep(100);
    expect(runs).toEqual([{ id, data: { n: 1 } }]);
    expect(await jobRow(id!)).toMatchObject({ state: 'completed', attempts: 1 });
  });

  it('wakes at once for a job sent while idle, though its next look is a minute away', async () => {
    vi.useFakeTimers(FAKE_CLOCK);
    const ran: unknown[] = [];
    const q = queue({ idlePollMs: 60_000 });
    q.work('effect', async (data) => void ran.push(data.which));
    await q.start();
    const later = await q.send('effect', { which: 'later' }, { startAfter: new Date(Date.now() + HOUR) });
    // Let the runner finish looking and fall asleep (a minute: the idle poll) before the job it must wake for.
    await vi.advanceTimersByTimeAsync(1000);
    await q.send('effect', { which: 'now' });
    // Far less than the idle poll: only the wake-up from send can run the job in this time.
    await vi.advanceTimersByTimeAsync(1000);
    expect(ran).toEqual(['now']);
    expect(await jobRow(later!)).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it('runs a job sent for later at its time, not before, though the runner looks for work in between', async () => {
    vi.useFakeTimers(FAKE_CLOCK);
    const ran: { which: unknown; at: number }[] = [];
    const q = queue({ idlePollMs: 60_000 });
    q.work('effect', async (data) => void ran.push({ which: data.which, at: Date.now() }));
    await q.start();
    const runAt = Date.now() + 30_000;
    await q.send('effect', { which: 'later' }, { startAfter: new Date(runAt) });
    await vi.advanceTimersByTimeAsync(29_000);
    // A job due now makes the runner look a second before the other is due: it must leave that one queued.
    await q.send('effect', { which: 'now' });
    await vi.advanceTimersByTimeAsync(999);
    expect(ran).toEqual([{ which: 'now', at: runAt - 1000 }]);
    // Sooner than the idle poll: the runner sleeps until the job is due.
    await vi.advanceTimersByTimeAsync(1);
    expect(ran.at(-1)).toEqual({ which: 'later', at: runAt });
  });

  it('retries a failing job with growing delays, then lists it among failures', async () => {
    vi.useFakeTimers(FAKE_CLOCK);
    const attempts: number[] = [];
    const q = queue();
    q.work('flaky', async () => {
      attempts.push(Date.now());
      throw new Error('feed unreachable');
    });
    await q.start();
    const id = await q.send('flaky', { feed: 3 }, { retryLimit: 2 });
    await vi.advanceTimersByTimeAsync(1000);
    // Backoff 20 ms × 2^attempt: 40 ms, then 80 ms, on the fake clock.
    expect(attempts.map((at) => at - attempts[0]!)).toEqual([0, 40, 120]);
    const [failure] = await q.failures();
    expect(failure).toMatchObject({ id, name: 'flaky', data: { feed: 3 }, error: 'feed unreachable', attempts: 3 });
    expect(failure!.failedAt).toBeInstanceOf(Date);
  });

  it('runs after a restart a job sent before it', async () => {
    const before = queue();
    before.work('effect', async () => {});
    await before.start();
    const id = await before.send('effect', { n: 2 }, { startAfter: new Date(Date.now() + 300) });
    await before.stop();
    await t.database.close();

    const reopened = await connect(t.url);
    try {
      const runs: string[] = [];
      const after = queue({}, reopened);
      after.work('effect', async (_data, job) => void runs.push(job.id));
      await after.start();
      await until(() => runs.length > 0);
      expect(runs).toEqual([id]);
      await after.stop();
    } finally {
      await reopened.close();
    }
  });

  it('runs again, once, a job whose worker died mid-way, after its lease expires', async () => {
    vi.useFakeTimers(FAKE_CLOCK);
    const effects: string[] = [];
    const q = queue({ leaseMs: 300, idlePollMs: 60_000 });
    q.work('effect', async (_data, job) => void effects.push(job.id));
    const id = await q.send('effect', {});
    // A worker that claimed the job and then died: the job is active, its lease running out.
    const claimed = await claimNextJob(t.database.db, ['effect'], new Date(), 300);
    expect(claimed?.id).toBe(Number(id));
    await q.start();
    await vi.advanceTimersByTimeAsync(299);
    expect(effects).toEqual([]);
    // Sooner than the idle poll: the runner sleeps until the lease runs out.
    await vi.advanceTimersByTimeAsync(1);
    expect(effects).toEqual([id]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(effects).toEqual([id]);
    expect(await jobRow(id!)).toMatchObject({ state: 'completed', attempts: 2 });
  });

  it('lets the running job finish when it stops, and takes no other', async () => {
    let release: () => void = () => {};
    const ran: unknown[] = [];
    const q = queue({ stopTimeoutMs: 60_000 });
    q.work('effect', async (data) => {
      ran.push(data.n);
      if (data.n === 1) await new Promise<void>((r) => (release = r));
    });
    const first = await q.send('effect', { n: 1 });
    const second = await q.send('effect', { n: 2 });
    await q.start();
    await until(() => ran.length === 1);
    const stopped = q.stop();
    release();
    await stopped;
    expect(ran).toEqual([1]);
    expect(await jobRow(first!)).toMatchObject({ state: 'completed' });
    expect(await jobRow(second!)).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it('hands the running job back to the queue when it outlasts the stop, and its late end changes nothing', async () => {
    let release: () => void = () => {};
    const runs: number[] = [];
    const q = queue({ stopTimeoutMs: 50, leaseMs: HOUR });
    q.work('slow', async (_data, job) => {
      runs.push(job.attempt);
      if (runs.length === 1) await new Promise<void>((r) => (release = r));
    });
    const id = await q.send('slow', {});
    await q.start();
    await until(() => runs.length === 1);
    await q.stop();
    // Queued again at once, not held until its hour-long lease runs out.
    expect(await jobRow(id!)).toMatchObject({ state: 'queued', locked_until: null, attempts: 1 });

    const next = queue();
    next.work('slow', async (_data, job) => void runs.push(job.attempt));
    await next.start();
    await until(async () => (await jobRow(id!)).state === 'completed');
    release(); // the first handler ends after the job was run again: it must not count
    await sleep(50);
    expect(runs).toEqual([1, 2]);
    expect(await jobRow(id!)).toMatchObject({ state: 'completed', attempts: 2 });
  });

  it('keeps one waiting job per singleton key', async () => {
    const q = queue();
    const first = await q.send('effect', {}, { singletonKey: 'article:1' });
    expect(first).toBeDefined();
    expect(await q.send('effect', {}, { singletonKey: 'article:1' })).toBeUndefined();
    expect(await q.send('effect', {}, { singletonKey: 'article:2' })).toBeDefined();
    q.work('effect', async () => {});
    await q.start();
    await until(async () => (await jobRow(first!)).state === 'completed');
    expect(await q.send('effect', {}, { singletonKey: 'article:1' })).toBeDefined();
  });

  it('runs a recurring job again and again, one pending run at a time, and resumes it after a restart', async () => {
    let runs = 0;
    const q = queue();
    q.work('sweep', async () => void runs++);
    q.every('sweep', 0.2);
    await q.start();
    await until(() => runs >= 2);
    const pending = () =>
      t.database.db.selectFrom('jobs').select('id').where('name', '=', 'sweep').where('state', '=', 'queued').execute();
    expect(await pending()).toHaveLength(1);
    await q.stop();

    const again = queue();
    again.work('sweep', async () => void runs++);
    again.every('sweep', 0.2);
    await again.start();
    expect(await pending()).toHaveLength(1);
    const before = runs;
    await until(() => runs > before);
  });
});
