import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestDb, describePostgres, postgresUrl, type TestDb } from '../../test/helpers.js';
import type { JobQueue } from './jobs.js';
import { createPgBossQueue, type PgBossQueueOptions } from './pgboss.queue.js';

const log = { info: () => {}, warn: () => {}, error: () => {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(100);
  }
}

/** pg-boss needs PostgreSQL: without one, these are listed as skipped. */
describePostgres('the pg-boss job queue', () => {
  let t: TestDb;
  let schema: string;
  let child: ChildProcess | undefined;
  const queues: JobQueue[] = [];
  const queue = (options: Partial<PgBossQueueOptions> = {}) => {
    const q = createPgBossQueue({
      url: t.url,
      schema,
      log,
      expireInSeconds: 2,
      retryDelaySeconds: 1,
      pollingIntervalSeconds: 0.5,
      maintenanceIntervalSeconds: 1,
      ...options,
    });
    queues.push(q);
    return q;
  };
  const runs = async (phase: string) =>
    (
      await sql<{
        job_id: string;
        instance: string;
      }>`select job_id, instance from job_runs where phase = ${phase} order by at`.execute(t.database.db)
    ).rows;
  const record = (jobId: string, instance: string, phase: string) =>
    sql`insert into job_runs (job_id, instance, phase) values (${jobId}, ${instance}, ${phase})`.execute(t.database.db);

  beforeEach(async () => {
    t = await createTestDb({ dialect: 'postgres' });
    schema = `pgboss_${randomBytes(5).toString('hex')}`;
    // No unique key on purpose: a second run of a job would show as a second row.
    await sql`create table job_runs (
      job_id text not null, instance text not null, phase text not null, at timestamptz not null default clock_timestamp())`.execute(
      t.database.db,
    );
  });
  afterEach(async () => {
    child?.kill('SIGKILL');
    child = undefined;
    for (const q of queues.splice(0)) await q.stop();
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
    await t.cleanup();
  });

  it('runs each job once across two instances', async () => {
    const [a, b] = [queue(), queue()];
    for (const [q, name] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      q.work('effect', async (_data, job) => void (await record(job.id, name, 'done')));
      await q.start();
    }
    const ids = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => a.send('effect', { n })));
    await until(async () => (await runs('done')).length >= ids.length, 10_000);
    await sleep(600);
    expect((await runs('done')).map((r) => r.job_id).sort()).toEqual([...ids].sort());
  });

  it('works through a backlog without waiting a polling interval between jobs', async () => {
    // A minute between polls: only looking again at once after each job can finish twelve within the wait below.
    const q = queue({ pollingIntervalSeconds: 60 });
    const done: number[] = [];
    q.work<{ n: number }>('backlog', async ({ n }) => void done.push(n));
    for (let n = 0; n < 12; n++) await q.send('backlog', { n });
    await q.start();
    await until(async () => done.length === 12, 20_000);
    expect(done.sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
  });

  it('queues a job inside a transaction only if it commits', async () => {
    const q = queue();
    const seen: string[] = [];
    q.work<{ tag: string }>('inside', async ({ tag }) => void seen.push(tag));
    await q.prepare(['inside']);
    await t.database.db
      .transaction()
      .execute(async (trx) => {
        await q.sendWithin(trx, 'inside', { tag: 'rolled back' });
        throw new Error('abort');
      })
      .catch(() => {});
    await t.database.db.transaction().execute((trx) => q.sendWithin(trx, 'inside', { tag: 'committed' }));
    await q.start();
    await until(async () => seen.length > 0, 10_000);
    await sleep(1500);
    expect(seen).toEqual(['committed']);
    expect(await q.pending()).toBe(0);
  });

  it('keeps one waiting job per singleton key', async () => {
    const q = queue();
    expect(await q.send('effect', {}, { singletonKey: 'article:1' })).toBeDefined();
    expect(await q.send('effect', {}, { singletonKey: 'article:1' })).toBeUndefined();
    expect(await q.send('effect', {}, { singletonKey: 'article:2' })).toBeDefined();
  });

  it('retries a failing job with backoff, then lists it among failures', async () => {
    const attempts: number[] = [];
    const q = queue();
    q.work('flaky', async (_data, job) => {
      attempts.push(job.attempt);
      throw new Error('feed unreachable');
    });
    await q.start();
    const id = await q.send('flaky', { feed: 3 }, { retryLimit: 1 });
    await until(async () => (await q.failures()).length > 0, 10_000);
    expect(attempts).toEqual([1, 2]);
    const [failure] = await q.failures();
    expect(failure).toMatchObject({ id, name: 'flaky', data: { feed: 3 }, error: 'feed unreachable', attempts: 2 });
  });

  it('completes exactly once a job whose instance was killed mid-job, on the other instance', async () => {
    const survivor = queue();
    survivor.work('effect', async (_data, job) => {
      await record(job.id, 'survivor', 'started');
      await record(job.id, 'survivor', 'done');
    });
    const id = await survivor.send('effect', {}); // also creates pg-boss's schema before the other starts

    // The other instance, a process of its own, takes the job and hangs in the middle of it.
    child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/job-worker.ts', t.url, schema], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! });
    const started = await new Promise<string>((resolve, reject) => {
      lines.on('line', (line) => line.startsWith('started ') && resolve(line.slice(8)));
      child!.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    });
    expect(started).toBe(id);
    child.kill('SIGKILL');
    await survivor.start();

    // Expiry (2 s) + maintenance (1 s) + backoff (1–2 s) + polling.
    await until(async () => (await runs('done')).length > 0, 15_000);
    await sleep(1500);
    expect(await runs('started')).toEqual([
      { job_id: id, instance: 'killed' },
      { job_id: id, instance: 'survivor' },
    ]);
    expect(await runs('done')).toEqual([{ job_id: id, instance: 'survivor' }]);
  }, 20_000);
});
