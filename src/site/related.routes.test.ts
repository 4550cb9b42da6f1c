import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GRINDAVIK } from '../../test/fixtures/grindavik.js';
import { articleInput, createTestApp, describeTargets, settle, type TestApp } from '../../test/helpers.js';
import type { RelatedJson } from './related.presenter.js';

describeTargets('related news explanations and "More on this story" on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  const id: Record<'first' | 'mate' | 'unrelated' | 'later' | 'draft', number> = {
    first: 0,
    mate: 0,
    unrelated: 0,
    later: 0,
    draft: 0,
  };

  beforeAll(async () => {
    t = await createTestApp({}, target);
    app = t.app;
    const { articles } = app.dateline;
    const save = async (input: Parameters<typeof articleInput>[0]) => (await articles.save(articleInput(input))).id;
    id.first = await save(GRINDAVIK.first);
    id.mate = await save(GRINDAVIK.mate);
    id.unrelated = await save(GRINDAVIK.unrelated);
    id.later = await save(GRINDAVIK.later);
    id.draft = await save({ headline: 'Grindavik volcano draft', status: 'draft' });
    // Related lists and stories are computed by the publishing jobs.
    await settle(app);
  });
  afterAll(() => t.cleanup());

  it('explains the related list as JSON: the story mate with sameStory and shared terms, not the unrelated article', async () => {
    const res = await app.inject(`/api/articles/${id.first}/related`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<RelatedJson>();
    expect(body.articleId).toBe(id.first);

    expect(body.story).toEqual([
      {
        id: id.mate,
        headline: 'Volcano eruption near Grindavik: lava reaches the Reykjanes fishing town defences',
        url: expect.stringMatching(/^http:\/\/news\.test\/world\/2024\/05\/01\/volcano-eruption-near-grindavik-lava/),
        publishedAt: '2024-05-01T11:00:00.000Z',
      },
    ]);

    const mate = body.related.find((r) => r.id === id.mate);
    expect(mate).toMatchObject({ sameStory: true, hoursApart: 1, rank: expect.any(Number) });
    expect(mate?.score).toBeGreaterThan(0);
    expect(mate?.similarity).toBeGreaterThan(0);
    // In the article's story: shown whatever the floor, on nothing but the minimum similarity.
    expect(mate?.needed).toBeLessThanOrEqual(mate?.similarity ?? 0);
    expect(mate?.sharedNeighbours).toBeNull();
    expect(mate?.mutual).toBeNull();
    expect(mate?.sharedTerms.length).toBeGreaterThan(0);
    // Both are filed under World (the test factory's section).
    expect(mate?.sharedLabels).toEqual(['§World']);
    expect(mate?.url).toBe(body.story[0]?.url);
    expect(body.related.map((r) => r.id)).not.toContain(id.unrelated);
    expect(body.story.map((s) => s.id)).not.toContain(id.unrelated);
    expect(body.related.map((r) => r.rank)).toEqual(body.related.map((_, i) => i));
    // Only whitelisted fields go out.
    expect(Object.keys(mate ?? {}).sort()).toEqual(
      [
        'hoursApart',
        'headline',
        'id',
        'mutual',
        'needed',
        'rank',
        'sameStory',
        'score',
        'sharedEntities',
        'sharedLabels',
        'sharedNeighbours',
        'sharedTerms',
        'similarity',
        'url',
      ].sort(),
    );
  });

  it('returns 404 ARTICLE_NOT_FOUND JSON for an unknown or unpublished article', async () => {
    for (const missing of [999_999, id.draft]) {
      const res = await app.inject(`/api/articles/${missing}/related`);
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json().error.code).toBe('ARTICLE_NOT_FOUND');
    }
  });

  it('returns 400 BAD_QUERY for an id that is not a positive integer', async () => {
    for (const bad of ['abc', '1.5', '0', '-3']) {
      const res = await app.inject(`/api/articles/${bad}/related`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe('BAD_QUERY');
    }
  });

  it('shows the story under "More on this story" and only articles outside it under "Related news"', async () => {
    const res = await app.inject(
      '/world/2024/05/01/volcano-eruption-near-grindavik-forces-evacuation-of-reykjanes-fishing-town',
    );
    expect(res.statusCode).toBe(200);
    const html = res.body;
    const storyAt = html.indexOf('<h2 id="story-heading" class="module-title">More on this story</h2>');
    const relatedAt = html.indexOf('<h2 id="related-news-heading" class="module-title">Related news</h2>');
    expect(storyAt).toBeGreaterThan(0);
    expect(relatedAt).toBeGreaterThan(storyAt);
    const story = html.slice(storyAt, html.indexOf('</section>', storyAt));
    expect(story).toContain('lava reaches the Reykjanes fishing town defences');
    expect(story).toContain('<time datetime="2024-05-01T11:00:00.000Z"');
    const related = html.slice(relatedAt, html.indexOf('</section>', relatedAt));
    expect(related).toContain('Scientists warn of a new Grindavik volcano eruption');
    expect(related).not.toContain('lava reaches the Reykjanes fishing town defences');
    expect(related).not.toContain('sourdough');
    // Latest news leaves out what the story and related modules list, not the rest.
    const latestAt = html.indexOf('<h2 id="latest-news-heading" class="module-title">Latest news</h2>');
    expect(latestAt).toBeGreaterThan(0);
    const latest = html.slice(latestAt, html.indexOf('</section>', latestAt));
    expect(latest).toContain('sourdough');
    expect(latest).not.toContain('lava reaches the Reykjanes fishing town defences');
    expect(latest).not.toContain('Scientists warn of a new Grindavik volcano eruption');
    expect(latest).not.toContain('forces evacuation of Reykjanes fishing town');
  });

  it('tags the cached article page with every article it lists, story and related', async () => {
    const cache = app.dateline.pageCache;
    if (!cache) throw new Error('the page cache is off');
    const path = '/world/2024/05/01/volcano-eruption-near-grindavik-forces-evacuation-of-reykjanes-fishing-town';
    for (const shown of [id.mate, id.later]) {
      cache.clear();
      expect((await app.inject(path)).statusCode).toBe(200);
      expect(cache.invalidate([`article:${shown}`]), `pages dropped for article:${shown}`).toBe(1);
    }
  });

  it('renders the debug view as a noindex, uncached table of the related list', async () => {
    const cache = app.dateline.pageCache;
    cache?.clear();
    const res = await app.inject(`/articles/${id.first}/related`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(cache?.size).toBe(0);
    const html = res.body;
    expect(html).toContain('<meta name="robots" content="noindex">');
    expect(html).toContain('More on this story');
    expect(html).toMatch(
      /<th scope="row"><a href="\/world\/2024\/05\/01\/volcano-eruption-near-grindavik-lava[^"]*">Volcano eruption near Grindavik: lava[^<]*<\/a><\/th>\s*<td class="num">\d\.\d{3}<\/td>\s*<td class="num">\d\.\d{3}<\/td>\s*<td class="num">\d\.\d{3}<\/td>\s*<td class="num"><span class="none">not asked<\/span><\/td>\s*<td>yes<\/td>\s*<td class="num">1\.0 h after<\/td>/,
    );
    expect(html).not.toContain('sourdough');

    const missing = await app.inject('/articles/999999/related');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('Page not found');
  });
});
