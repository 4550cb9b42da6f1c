import { afterEach, expect, it, vi } from 'vitest';
import { articleInput, createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { findArticleById } from '../articles/article.repository.js';
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
    for (const name of ['article.published', 'article.unpublished', 'article.scheduled'] as const) {
      t.app.dateline.events.on(name, ({ id }) => void events.push({ name, id }));
    }
    return { app: t.app, events };
  }

  it('publishes a scheduled article at its time, once, through its own job', async () => {
    const { app, events } = await build();
    const articles = app.dateline.articles;
    // The minute sweep is the safety net (tested below): silenced here, so only the article's own job can publish it.
    const sweep = vi.spyOn(articles, 'publishDue').mockResolvedValue(0);
    const publish = articles.publish;
    const calls: { at: number; id: number; scheduledFor: Date | undefined; published: boolean }[] = [];
    vi.spyOn(articles, 'publish').mockImplementation(async (id, options) => {
      const at = Date.now();
      const published = await publish(id, options);
      calls.push({ at, id, scheduledFor: options?.scheduledFor, published });
      return published;
    });
    await app.dateline.jobs.start();
    // Later than pg-boss's 2 s poll, so that a job run as soon as it was sent would be caught publishing early.
    const publishAt = new Date(Date.now() + 3000);
    const input = articleInput({ headline: 'Embargoed report released', status: 'scheduled', publishedAt: publishAt });
    const { id } = await articles.save(input);
    expect((await app.inject('/')).body).not.toContain('Embargoed report released');

    // Generous: only a job that never runs waits this long.
    await vi.waitFor(async () => expect((await app.inject('/')).body).toContain('Embargoed report released'), {
      timeout: 15_000,
      interval: 100,
    });
    const published = calls.filter((c) => c.published);
    expect(published).toEqual([{ at: expect.any(Number), id, scheduledFor: publishAt, published: true }]);
    // Not before its time: the job started at or after the scheduled moment.
    expect(published[0]!.at).toBeGreaterThanOrEqual(publishAt.getTime());
    const article = await findArticleById(app.dateline.database.db, id);
    expect(article).toMatchObject({ status: 'published', publishedAt: publishAt });
    // The sweep and a second run of the job find nothing left to do.
    sweep.mockRestore();
    expect(await articles.publishDue()).toBe(0);
    expect(await articles.publish(id)).toBe(false);
    expect(events.filter((e) => e.name === 'article.published')).toEqual([{ name: 'article.published', id }]);
  });

  it('publishes only for the time still scheduled, and the sweep publishes what is due', async () => {
    const { app, events } = await build();
    const articles = app.dateline.articles;
    const first = new Date(Date.now() - 60_000);
    const input = articleInput({ headline: 'Moved twice', status: 'scheduled', publishedAt: first });
    const { id } = await articles.save(input);
    const later = new Date(Date.now() + 3_600_000);
    await articles.save({ ...input, publishedAt: later });
    expect(events.filter((e) => e.name === 'article.scheduled')).toHaveLength(2);

    // The job sent for the first time finds the article scheduled for another.
    expect(await articles.publish(id, { scheduledFor: first })).toBe(false);
    expect(await articles.publishDue()).toBe(0);
    expect((await findArticleById(app.dateline.database.db, id))?.status).toBe('scheduled');

    const due = await articles.save(articleInput({ status: 'scheduled', publishedAt: new Date(Date.now() - 1000) }));
    expect(await articles.publishDue()).toBe(1);
    expect(events.filter((e) => e.name === 'article.published').map((e) => e.id)).toEqual([due.id]);
    expect(await articles.publish(id, { scheduledFor: later })).toBe(true);
  });

  it('takes a live article off the site when it is scheduled again', async () => {
    const { app, events } = await build();
    const input = articleInput({ headline: 'Published too soon' });
    const { id } = await app.dateline.articles.save(input);
    await app.dateline.articles.save({ ...input, status: 'scheduled', publishedAt: new Date(Date.now() + 60_000) });
    expect(events.map((e) => e.name)).toEqual(['article.published', 'article.unpublished', 'article.scheduled']);
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
