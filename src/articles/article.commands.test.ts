import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import type { EventName } from '../events/event-bus.js';
import { createClock } from '../lib/time.js';
import { createPresenter } from '../site/site.presenter.js';
import { renderPreview } from '../site/site.routes.js';
import { createSiteService } from '../site/site.service.js';
import type { ArticleInput } from './article.js';

/** A draft as an editor writes it: no external id, no publication time (unless given). */
const draft = (overrides: Partial<ArticleInput> = {}): ArticleInput => {
  const { externalId: _wire, publishedAt: _time, ...input } = articleInput({ status: 'draft' });
  return { ...input, ...overrides };
};

describeTargets('editing commands on $dialect', (target) => {
  let t: TestApp;
  const seen: { name: EventName; id: number }[] = [];

  beforeAll(async () => {
    t = await createTestApp({}, target);
    for (const name of ['article.published', 'article.updated', 'article.unpublished'] as const) {
      t.app.dateline.events.onCommit(name, ({ id }) => void seen.push({ name, id }));
    }
  });
  afterAll(() => t.cleanup());

  const articles = () => t.app.dateline.articles;
  const count = async () =>
    Number(
      (
        await t.app.dateline.database.db
          .selectFrom('articles')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const searchable = async (id: number, word: string) =>
    (await t.app.dateline.search.search({ q: word, perPage: 50 })).hits.some((h) => h.id === id);

  it('keeps a draft saved twice as one article, one version further each time', async () => {
    const before = await count();
    const created = await articles().create(draft({ headline: 'Council budget vote delayed' }));
    expect(created).toMatchObject({ version: 1, status: 'draft', created: true, published: false });
    const second = await articles().update(created.id, draft({ headline: 'Council budget vote delayed again' }), {
      expectedVersion: 1,
    });
    const third = await articles().update(created.id, draft({ headline: 'Council budget vote delayed to May' }), {
      expectedVersion: 2,
    });
    expect([second.id, third.id]).toEqual([created.id, created.id]);
    expect([second.version, third.version]).toEqual([2, 3]);
    expect(await count()).toBe(before + 1);
    expect((await articles().get(created.id))?.headline).toBe('Council budget vote delayed to May');
  });

  it('refuses a save based on a stale version with 409 VERSION_CONFLICT and keeps the newer text', async () => {
    const { id } = await articles().create(draft({ headline: 'Original wording' }));
    await articles().update(id, draft({ headline: 'Editor A wording' }), { expectedVersion: 1 });
    await expect(
      articles().update(id, draft({ headline: 'Editor B wording' }), { expectedVersion: 1 }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', statusCode: 409 });
    expect(await articles().get(id)).toMatchObject({ headline: 'Editor A wording', version: 2 });
  });

  it('lets only one of two simultaneous saves at the same version win', async () => {
    const { id } = await articles().create(draft({ headline: 'Race start' }));
    const results = await Promise.allSettled([
      articles().update(id, draft({ headline: 'Race winner one' }), { expectedVersion: 1 }),
      articles().update(id, draft({ headline: 'Race winner two' }), { expectedVersion: 1 }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: 'VERSION_CONFLICT' });
    expect((await articles().get(id))?.version).toBe(2);
  });

  it('answers ARTICLE_NOT_FOUND for an unknown id and DUPLICATE_ARTICLE for a create that repeats an external id', async () => {
    await expect(articles().update(999_999, draft(), { expectedVersion: 1 })).rejects.toMatchObject({
      code: 'ARTICLE_NOT_FOUND',
    });
    await expect(articles().publish(999_999)).rejects.toMatchObject({ code: 'ARTICLE_NOT_FOUND' });
    await articles().create(draft({ externalId: 'wire:dup' }));
    await expect(articles().create(draft({ externalId: 'wire:dup' }))).rejects.toMatchObject({
      code: 'DUPLICATE_ARTICLE',
      statusCode: 409,
    });
  });

  it('publishes a draft now, makes it searchable and visible, and unpublishes it back to a draft', async () => {
    seen.length = 0;
    const { id } = await articles().create(draft({ headline: 'Quarry expansion approved' }));
    expect(await searchable(id, 'quarry')).toBe(false);
    const started = Date.now();
    const published = await articles().publish(id, { expectedVersion: 1 });
    expect(published).toMatchObject({ status: 'published', published: true, version: 2 });
    const article = await articles().get(id);
    expect(article?.publishedAt?.getTime()).toBeGreaterThanOrEqual(started - 1000);
    expect(await searchable(id, 'quarry')).toBe(true);
    expect((await t.app.inject('/')).body).toContain('Quarry expansion approved');

    const unpublished = await articles().unpublish(id, { expectedVersion: 2 });
    expect(unpublished).toMatchObject({ status: 'draft', published: false, version: 3 });
    expect(await searchable(id, 'quarry')).toBe(false);
    expect((await t.app.inject('/')).body).not.toContain('Quarry expansion approved');
    // Published again, it keeps its first publication time.
    await articles().publish(id);
    expect((await articles().get(id))?.publishedAt).toEqual(article?.publishedAt);
    expect(seen.filter((e) => e.id === id).map((e) => e.name)).toEqual([
      'article.published',
      'article.unpublished',
      'article.published',
    ]);
  });

  it('refuses to publish an article with no body, and says why', async () => {
    const { id, version } = await articles().create(draft({ headline: 'Placeholder', body: [] }));
    await expect(articles().publish(id, { expectedVersion: version })).rejects.toMatchObject({
      code: 'INVALID_ARTICLE',
      statusCode: 422,
      message: expect.stringContaining('needs a body'),
    });
    expect((await articles().get(id))?.status).toBe('draft');
  });

  it('schedules a draft for a future time, refuses a past or absurd one', async () => {
    const { id } = await articles().create(draft({ headline: 'Embargoed results' }));
    const at = new Date(Date.now() + 3_600_000);
    expect(await articles().schedule(id, at)).toMatchObject({ status: 'scheduled', published: false });
    expect((await articles().get(id))?.publishedAt).toEqual(at);
    await expect(articles().schedule(id, new Date(Date.now() - 60_000))).rejects.toMatchObject({
      code: 'INVALID_ARTICLE',
    });
    await expect(articles().schedule(id, new Date('9999-12-31T00:00:00Z'))).rejects.toMatchObject({
      code: 'INVALID_ARTICLE',
    });
    // A "published" save dated ahead is a schedule too.
    const ahead = await articles().create(
      draft({ status: 'published', publishedAt: new Date(Date.now() + 2 * 3_600_000) }),
    );
    expect(ahead).toMatchObject({ status: 'scheduled', published: false });
  });

  it('renders a draft with the reader site’s own views for preview, never as a public page', async () => {
    const { id } = await articles().create(
      draft({ headline: 'Preview of a draft on the tram line', standfirst: 'Not out yet.' }),
    );
    const { config, database, related, invalidator } = t.app.dateline;
    const site = createSiteService({ database, related, invalidator });
    const presenter = createPresenter({
      config,
      settings: t.app.dateline.settings,
      clock: createClock(config.timeZone, config.language),
      assets: { stylesheetHref: '/assets/site.css', iconHref: '/assets/favicon.svg' },
    });
    const html = renderPreview(presenter, await site.previewPage(id));
    expect(html).toContain('<h1>Preview of a draft on the tram line</h1>');
    expect(html).toContain('Not out yet.');
    expect((await t.app.inject('/')).body).not.toContain('Preview of a draft on the tram line');
  });
});
