import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FeedServer, startFeedServer } from '../../test/feed-server.js';
import { createInstance, createTestDb, describeTargets, type TestDb, until } from '../../test/helpers.js';
import { SWEEP_JOB } from './sources.service.js';

const rss = (guid: string) =>
  `<rss version="2.0"><channel><title>x</title><item><guid>${guid}</guid><title>Item ${guid}</title><description>Text of ${guid}.</description></item></channel></rss>`;

/** Answers after a pause, so that polls overlap. */
const slowly = (body: string, ms = 300) => ({
  body,
  handle: (_req: unknown, res: import('node:http').ServerResponse) =>
    void setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body), ms),
});

describeTargets('polling from the job queue with two instances on one $dialect database', (target) => {
  let testDb: TestDb;
  let feeds: FeedServer;
  let a: FastifyInstance;
  let b: FastifyInstance;

  beforeAll(async () => {
    feeds = await startFeedServer();
    testDb = await createTestDb(target);
    const env = { SOURCES_ALLOW_HOSTS: '127.0.0.1', SOURCES_PER_HOST: '1' };
    a = await createInstance(testDb, env);
    b = await createInstance(testDb, env);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await a?.dateline.close();
    await b?.dateline.close();
    await testDb?.cleanup();
    await feeds?.stop();
  });

  it('never polls one source twice at once: one instance claims it, the other is told it is busy', async () => {
    feeds.routes.set('/one.xml', slowly(rss('one-1')));
    const { id } = await a.dateline.sources.add({ url: `${feeds.origin}/one.xml`, section: 'World', mode: 'publish' });
    const reports = await Promise.all([a.dateline.sources.poll(id), b.dateline.sources.poll(id)]);
    expect(reports.map((r) => r.outcome).sort()).toEqual(['busy', 'polled']);
    expect(feeds.hits.get('/one.xml')?.total).toBe(1);
    expect((await a.dateline.sources.find(id)).status.itemsCreated).toBe(1);
  });

  it('keeps to the per-host limit across instances', async () => {
    feeds.routes.set('/h1.xml', slowly(rss('h-1')));
    feeds.routes.set('/h2.xml', slowly(rss('h-2')));
    const s1 = await a.dateline.sources.add({ url: `${feeds.origin}/h1.xml`, section: 'World', mode: 'draft' });
    const s2 = await a.dateline.sources.add({ url: `${feeds.origin}/h2.xml`, section: 'World', mode: 'draft' });
    const reports = await Promise.all([a.dateline.sources.poll(s1.id), b.dateline.sources.poll(s2.id)]);
    expect(reports.map((r) => r.outcome).sort()).toEqual(['busy', 'polled']);
    // The one left waits for the next sweep, and is polled then.
    const left = reports[0]?.outcome === 'busy' ? s1.id : s2.id;
    expect((await a.dateline.sources.find(left)).status.lastPolledAt).toBeUndefined();
  });

  // On SQLite one process runs the jobs (the in-process runner); on PostgreSQL both instances do.
  it('sweeps due sources from the queue, each polled once', async () => {
    feeds.routes.set('/swept.xml', slowly(rss('swept-1'), 100));
    const { id } = await b.dateline.sources.add({
      url: `${feeds.origin}/swept.xml`,
      section: 'World',
      mode: 'publish',
    });
    const workers = target.dialect === 'postgres' ? [a, b] : [a];
    for (const w of workers) await w.dateline.jobs.start();
    await Promise.all(workers.map((w) => w.dateline.jobs.send(SWEEP_JOB, {})));
    await until(async () => (await a.dateline.sources.find(id)).status.lastSuccessAt !== undefined, 15_000);
    await until(async () => (await a.dateline.sources.due()).length === 0, 15_000);
    expect(feeds.hits.get('/swept.xml')?.total).toBe(1);
    const next = (await a.dateline.sources.find(id)).status.nextPollAt.getTime() - Date.now();
    expect(next).toBeGreaterThan(14 * 60_000);
  });
});
