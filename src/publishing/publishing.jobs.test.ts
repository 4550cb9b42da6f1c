import { sql } from 'kysely';
import { afterEach, expect, it, vi } from 'vitest';
import { articleInput, createTestApp, describeTargets, type TestApp, until } from '../../test/helpers.js';
import { findArticleById } from '../articles/article.repository.js';
import { PUBLISH_SCHEDULED_JOB } from '../articles/article.service.js';
import type { EventName } from '../events/event-bus.js';
import { optimizeIndex } from '../search/search.repository.js';

describeTargets('scheduled publishing on $dialect', (target) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  async function build() {
    t = await createTestApp({}, target);
    const events: { name: EventName; id: number }[] = [];
    for (const name of ['article.published', 'article.unpublished'] as const) {
      t.app.dateline.events.onCommit(name, ({ id }) => void events.push({ name, id }));
    }
    return { app: t.app, config: t.config, events };
  }

  /** The publication jobs queued so far, with their due times. */
  async function publishJobs(): Promise<{ articleId: number; publishAt: string }[]> {
    const { database, config } = t!.app.dateline;
    const rows =
      database.dialect === 'postgres'
        ? (
            await sql<{ data: { articleId: number; publishAt: string } }>`select data from ${sql.table(
              `${config.jobs.schema}.job`,
            )} where name = ${PUBLISH_SCHEDULED_JOB} order by created_on`.execute(database.db)
          ).rows.map((r) => r.data)
        : (
            await database.db
              .selectFrom('jobs')
              .select('data')
              .where('name', '=', PUBLISH_SCHEDULED_JOB)
              .orderBy('id')
              .execute()
          ).map((r) => JSON.parse(r.data) as { articleId: number; publishAt: string });
    return rows.map(({ articleId, publishAt }) => ({ articleId, publishAt }));
  }

  it('publishes a scheduled article at its time, not before, once, through its own job', async () => {
    const { app, events } = await build();
    const articles = app.dateline.articles;
    // The minute sweep is the safety net (tested below): silenced here, so only the article's own job can publish it.
    vi.spyOn(articles, 'publishDue').mockResolvedValue(0);
    const runs = vi.spyOn(articles, 'publishScheduled');
    await app.dateline.jobs.start();
    // Later than pg-boss's 2 s poll, so that a job run as soon as it was sent would be caught publishing early.
    const publishAt = new Date(Date.now() + 3000);
    const input = articleInput({ headline: 'Embargoed report released', status: 'scheduled', publishedAt: publishAt });
    const { id } = await app.dateline.articles.save(input);
    expect(await publishJobs()).toEqual([{ articleId: id, publishAt: publishAt.toISOString() }]);
    expect((await app.inject('/')).body).not.toContain('Embargoed report released');

    let seenAt = 0;
    await until(async () => {
      seenAt = Date.now();
      return (await app.inject('/')).body.includes('Embargoed report released');
    });
    expect(seenAt).toBeGreaterThanOrEqual(publishAt.getTime());
    expect(runs.mock.calls).toEqual([[id, { scheduledFor: publishAt }]]);
    const article = await findArticleById(app.dateline.database.db, id);
    expect(article).toMatchObject({ status: 'published', publishedAt: publishAt });
    // The sweep and a second run of the job find nothing left to do.
    vi.mocked(articles.publishDue).mockRestore();
    expect(await app.dateline.articles.publishDue()).toBe(0);
    expect(await app.dateline.articles.publishScheduled(id, { scheduledFor: publishAt })).toBe(false);
    expect(events).toEqual([{ name: 'article.published', id }]);
  });

  it('publishes only for the time still scheduled, and the sweep publishes what is due', async () => {
    const { app, events } = await build();
    const articles = app.dateline.articles;
    const first = new Date(Date.now() + 60_000);
    const input = articleInput({ headline: 'Moved twice', status: 'scheduled', publishedAt: first });
    const { id } = await articles.save(input);
    const later = new Date(Date.now() + 3_600_000);
    await articles.save({ ...input, publishedAt: later });
    expect((await publishJobs()).map((j) => j.publishAt)).toEqual([first.toISOString(), later.toISOString()]);

    // The job sent for the first time finds the article scheduled for another.
    expect(await articles.publishScheduled(id, { scheduledFor: first })).toBe(false);
    expect(await articles.publishDue()).toBe(0);
    expect((await findArticleById(app.dateline.database.db, id))?.status).toBe('scheduled');

    const due = await articles.create(
      articleInput({ status: 'scheduled', publishedAt: new Date(Date.now() + 60_000) }),
    );
    // Its time comes (the clock moves on): the sweep publishes it, and only it.
    expect(await articles.publishDue(new Date(Date.now() + 120_000))).toBe(1);
    expect(events.filter((e) => e.name === 'article.published').map((e) => e.id)).toEqual([due.id]);
    expect(await articles.publishScheduled(id, { scheduledFor: later })).toBe(true);
  });

  it('takes a live article off the site when it is scheduled again', async () => {
    const { app, events } = await build();
    const input = articleInput({ headline: 'Published too soon' });
    const { id } = await app.dateline.articles.save(input);
    await app.dateline.articles.save({ ...input, status: 'scheduled', publishedAt: new Date(Date.now() + 60_000) });
    expect(events.map((e) => e.name)).toEqual(['article.published', 'article.unpublished']);
    expect(events.every((e) => e.id === id)).toBe(true);
    expect((await app.inject('/')).body).not.toContain('Published too soon');
  });

  it('maintains the full-text index', async () => {
    const { app } = await build();
    await app.dateline.articles.save(articleInput());
    const { db } = app.dateline.database;
    await expect(optimizeIndex(db, app.dateline.database.dialect)).resolves.toBeUndefined();
  });
});
