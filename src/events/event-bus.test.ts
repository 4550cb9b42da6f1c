import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createTestDb, describeTargets, type TestDb, until } from '../../test/helpers.js';
import { migrate } from '../db/migrate.js';
import type { JobQueue } from '../jobs/jobs.js';
import { createPgBossQueue } from '../jobs/pgboss.queue.js';
import { createSqliteQueue } from '../jobs/sqlite.queue.js';
import { type ArticleEvent, createEventBus, type EventBus } from './event-bus.js';

const payload: ArticleEvent = { id: 1, sectionId: 2, tagIds: [3], authorIds: [4] };
const published = { name: 'article.published', payload } as const;

function logger() {
  return { info: vi.fn(), warn: vi.fn(), error: vi.fn<(obj: object, msg: string) => void>() };
}

describeTargets('durable events on $dialect', (target) => {
  let t: TestDb;
  let jobs: JobQueue;
  let bus: EventBus;
  let log: ReturnType<typeof logger>;

  beforeEach(async () => {
    t = await createTestDb(target);
    await migrate(t.database);
    log = logger();
    jobs =
      target.dialect === 'postgres'
        ? createPgBossQueue({
            url: t.url,
            schema: `${t.schema}_jobs`,
            log,
            pollingIntervalSeconds: 0.5,
            retryDelaySeconds: 1,
          })
        : createSqliteQueue({ database: t.database, log, backoffBaseMs: 20, idlePollMs: 60_000 });
    bus = createEventBus({ db: t.database.db, jobs, log });
  });
  afterEach(async () => {
    await jobs.stop();
    await t.cleanup();
  });

  /** Records events in a transaction that also writes a row, committed or rolled back. */
  async function write(events: Parameters<EventBus['record']>[1], commit = true) {
    await t.database.db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto('sections')
          .values({ slug: `s${Math.random()}`.replace('.', ''), name: 'S', position: 0, description: null })
          .execute();
        await bus.record(trx, events);
        if (!commit) throw new Error('rolled back');
      })
      .catch((err: Error) => {
        if (commit) throw err;
      });
    if (commit) bus.committed(events);
  }

  it('runs each durable handler once, after the commit, with the payload', async () => {
    const runs: { job: string; id: number }[] = [];
    bus.handle('article.published', 'one', async (e) => void runs.push({ job: 'one', id: e.id }));
    bus.handle('article.published', 'two', async (e) => void runs.push({ job: 'two', id: e.id }));
    await bus.prepare();
    await write([published]);
    expect(runs).toEqual([]); // queued, not run: no worker has started
    await jobs.start();
    await until(() => runs.length === 2);
    expect(runs.sort((a, b) => a.job.localeCompare(b.job))).toEqual([
      { job: 'one', id: 1 },
      { job: 'two', id: 1 },
    ]);
  });

  it('queues nothing when the transaction rolls back', async () => {
    const runs: number[] = [];
    bus.handle('article.published', 'effect', async (e) => void runs.push(e.id));
    bus.handle('article.updated', 'effect', async (e) => void runs.push(-e.id));
    await bus.prepare();
    await write([published], false);
    await write([{ name: 'article.updated', payload: { ...payload, id: 2 } }]);
    await jobs.start();
    // The committed event's job runs; had the rolled-back one been queued, it would run first (it was sent first).
    await until(() => runs.length === 1);
    expect(runs).toEqual([-2]);
  });

  it('lets one job name serve several events and calls the handler of the event recorded', async () => {
    const runs: string[] = [];
    bus.handle('article.published', 'pages', async (e) => void runs.push(`published ${e.id}`));
    bus.handle('content.bulkChanged', 'pages', async (e) => void runs.push(`bulk ${e.articles}`));
    await bus.prepare();
    await write([published, { name: 'content.bulkChanged', payload: { articles: 500 } }]);
    await jobs.start();
    await until(() => runs.length === 2);
    expect(runs.sort()).toEqual(['bulk 500', 'published 1']);
  });

  it('retries a failing handler until it succeeds', async () => {
    let attempts = 0;
    bus.handle('article.published', 'flaky', async () => {
      attempts++;
      if (attempts < 2) throw new Error('not yet');
    });
    await bus.prepare();
    await write([published]);
    await jobs.start();
    await until(() => attempts === 2, 20_000);
  });

  it('tells in-process listeners at commit, in order, and a failing listener neither stops the others nor the writer', async () => {
    const calls: string[] = [];
    bus.onCommit('article.published', () => calls.push('first'));
    bus.onCommit('article.published', () => {
      throw new Error('listener broke');
    });
    bus.onCommit('article.published', (e) => calls.push(`third ${e.id}`));
    bus.onCommit('article.updated', () => calls.push('not this one'));
    await write([published]);
    expect(calls).toEqual(['first', 'third 1']);
    expect(log.error).toHaveBeenCalledWith(
      expect.objectContaining({ event: 'article.published' }),
      'event listener failed',
    );
  });

  it('emits an event that follows no write of its own, durably', async () => {
    const runs: number[] = [];
    const heard: number[] = [];
    bus.onCommit('content.bulkChanged', (e) => heard.push(e.articles));
    bus.handle('content.bulkChanged', 'pages', async (e) => void runs.push(e.articles));
    await bus.prepare();
    await bus.emit([{ name: 'content.bulkChanged', payload: { articles: 7 } }]);
    expect(heard).toEqual([7]);
    await jobs.start();
    await until(() => runs.length === 1);
    expect(runs).toEqual([7]);
  });

  it('refuses a second handler of one event under the same job name', () => {
    bus.handle('article.published', 'effect', async () => {});
    expect(() => bus.handle('article.published', 'effect', async () => {})).toThrow(/already handles/);
  });
});
