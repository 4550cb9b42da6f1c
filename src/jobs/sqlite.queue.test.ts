import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/helpers.js';
import { connect, type Database } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import type { JobQueue } from './jobs.js';
import { claimNextJob } from './jobs.repository.js';
import { createSqliteQueue, type SqliteQueueOptions } from './sqlite.queue.js';

const log = { info: () => {}, warn: () => {}, error: () => {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
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

  it('wakes at once for a job sent while idle, and waits for one sent for later', async () => {
    const ran: { which: unknown; at: number }[] = [];
    // Without a wake-up, an idle runner would not look again for a minute.
    const q = queue({ idlePollMs: 60_000 });
    q.work('effect', async (data) => void ran.push({ which: data.which, at: Date.now() }));
    await q.start();
    const sent = Date.now();
    await q.send('effect', { which: 'later' }, { startAfter: new Date(sent + 300) });
    await q.send('effect', { which: 'now' });
    await until(() => ran.length === 2, 2000);
    expect(ran.map((r) => r.which)).toEqual(['now', 'later']);
    expect(ran[0]!.at - sent).toBeLessThan(1000);
    expect(ran[1]!.at - sent).toBeGreaterThanOrEqual(290);
  });

  it('retries a failing job with growing delays, then lists it among failures', async () => {
    const attempts: number[] = [];
    const q = queue();
    q.work('flaky', async () => {
      attempts.push(Date.now());
      throw new Error('feed unreachable');
    });
    await q.start();
    const id = await q.send('flaky', { feed: 3 }, { retryLimit: 2 });
    await until(async () => (await q.failures()).length > 0);
    expect(attempts).toHaveLength(3);
    // Backoff 20 ms × 2^attempt: 40 ms, then 80 ms.
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(35);
    expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(75);
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
    const effects: string[] = [];
    const q = queue({ leaseMs: 300 });
    q.work('effect', async (_data, job) => void effects.push(job.id));
    const id = await q.send('effect', {});
    // A worker that claimed the job and then died: the job is active, its lease running out.
    const claimed = await claimNextJob(t.database.db, ['effect'], new Date(), 300);
    expect(claimed?.id).toBe(Number(id));
    const started = Date.now();
    await q.start();
    await until(() => effects.length > 0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await sleep(400);
    expect(effects).toEqual([id]);
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
    await until(() => runs >= 2, 3000);
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
    await until(() => runs > before, 3000);
  });
});
