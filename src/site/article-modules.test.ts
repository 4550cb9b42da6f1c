import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GRINDAVIK, GRINDAVIK_FIRST_PATH } from '../../test/fixtures/grindavik.js';
import { articleInput, createTestApp, describeTargets, settle, type TestApp } from '../../test/helpers.js';
import type { ArticleInput, ArticleSummary } from '../articles/article.js';
import { createInvalidator, EVERYTHING, type Invalidator } from '../instances/invalidation.js';
import { createArticleModules } from './article-modules.js';
import type { ArticleLists } from './site.service.js';
import type { CardVM } from './view-model.js';

const summary = (id: number, headline = `Headline ${id}`): ArticleSummary => ({
  id,
  slug: `headline-${id}`,
  headline,
  standfirst: '',
  section: { slug: 'world', name: 'World' },
  publishedAt: new Date(Date.UTC(2024, 4, 1, id)),
});

const card = (s: ArticleSummary): CardVM => ({
  href: `/world/${s.slug}`,
  headline: s.headline,
  standfirst: s.standfirst,
  section: { href: '/world', label: 'World' },
  published: { iso: s.publishedAt.toISOString(), text: s.publishedAt.toISOString() },
});

describe('the article modules kept between page renders', () => {
  let invalidator: Invalidator;
  let lists: Map<number, ArticleLists>;
  let reads: number[];

  beforeEach(() => {
    invalidator = createInvalidator({ log: pino({ level: 'silent' }) });
    // Article 1: story 2, related 3 and 4. Article 5: related 3.
    lists = new Map([
      [1, { story: [summary(2)], related: [summary(3), summary(4)] }],
      [5, { story: [], related: [summary(3)] }],
    ]);
    reads = [];
  });

  const cache = (maxBytes?: number) =>
    createArticleModules({
      lists: async (id) => {
        reads.push(id);
        return lists.get(id) ?? { story: [], related: [] };
      },
      presenter: { card },
      invalidator,
      ...(maxBytes === undefined ? {} : { maxBytes }),
    });

  it('renders the story and related modules once, with the ids they list', async () => {
    const modules = cache();
    const first = await modules.of(1);
    expect(first.storyIds).toEqual([2]);
    expect(first.relatedIds).toEqual([3, 4]);
    expect(first.html.story.toString()).toContain('More on this story');
    expect(first.html.story.toString()).toContain('Headline 2');
    expect(first.html.related.toString()).toContain('Headline 4');
    expect(await modules.of(1)).toBe(first);
    expect(reads).toEqual([1]);
  });

  it('shares one read between the requests that arrive while it runs', async () => {
    const modules = cache();
    const [a, b] = await Promise.all([modules.of(1), modules.of(1)]);
    expect(a).toBe(b);
    expect(reads).toEqual([1]);
  });

  it('renders no module for an empty list', async () => {
    const { html } = await cache().of(9);
    expect(html).toEqual({ story: '', related: '' });
  });

  it('drops an article’s modules when it or any article they list changes, and no others', async () => {
    const modules = cache();
    await modules.of(1);
    await modules.of(5);
    // Latest news, sections and articles listed by neither leave both alone.
    invalidator.invalidate(['latest', 'section:1', 'article:6', 'live:1', 'weather']);
    await modules.of(1);
    await modules.of(5);
    expect(reads).toEqual([1, 5]);

    lists.set(1, { story: [summary(2)], related: [summary(3, 'Edited headline')] });
    invalidator.invalidate(['article:4']); // listed by 1 only
    expect((await modules.of(1)).html.related.toString()).toContain('Edited headline');
    await modules.of(5);
    expect(reads).toEqual([1, 5, 1]);

    invalidator.invalidate(['article:3']); // listed by both
    await modules.of(1);
    await modules.of(5);
    expect(reads).toEqual([1, 5, 1, 1, 5]);

    invalidator.invalidate(['article:5']); // its own lists were recomputed
    await modules.of(1);
    await modules.of(5);
    expect(reads).toEqual([1, 5, 1, 1, 5, 5]);
  });

  it('drops everything when everything changes (sections, settings, an import)', async () => {
    const modules = cache();
    await modules.of(1);
    await modules.of(5);
    invalidator.invalidate([EVERYTHING]);
    expect(modules.size).toEqual({ entries: 0, bytes: 0 });
    await modules.of(1);
    expect(reads).toEqual([1, 5, 1]);
  });

  it('does not keep lists read before an invalidation that came during the read', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const modules = createArticleModules({
      lists: async (id) => {
        reads.push(id);
        if (reads.length === 1) await gate;
        return lists.get(id) ?? { story: [], related: [] };
      },
      presenter: { card },
      invalidator,
    });
    const early = modules.of(1);
    invalidator.invalidate(['article:3']);
    // A request after the invalidation does not wait for the read that began before it.
    const late = modules.of(1);
    release();
    await Promise.all([early, late]);
    expect(reads).toEqual([1, 1]);
    expect(modules.size.entries).toBe(1);
    await modules.of(1);
    expect(reads).toEqual([1, 1]);
  });

  it('keeps within its byte budget, dropping the least recently used first', async () => {
    const one = (await cache().of(1)).html;
    const entry = one.story.toString().length + one.related.toString().length + 128;
    reads = [];
    for (let id = 10; id < 14; id++) lists.set(id, { story: [summary(2)], related: [summary(3), summary(4)] });
    const modules = cache(entry * 3);
    for (const id of [10, 11, 12]) await modules.of(id);
    await modules.of(10); // now the most recently used
    await modules.of(13); // over budget: 11 goes
    expect(modules.size.entries).toBe(3);
    reads = [];
    for (const id of [10, 12, 13]) await modules.of(id);
    expect(reads).toEqual([]);
    await modules.of(11);
    expect(reads).toEqual([11]);
  });
});

const paragraphs = (...texts: string[]) => texts.map((html) => ({ type: 'paragraph' as const, html }));

describeTargets('article pages follow what their modules list, with the page cache off, on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  let mate: ArticleInput;
  let mateId = 0;

  beforeAll(async () => {
    // Without the page cache, the kept modules are the only copy of a page's lists: each change must reach them.
    t = await createTestApp({ PAGE_CACHE: 'off' }, target);
    app = t.app;
    const { articles } = app.dateline;
    await articles.save(articleInput(GRINDAVIK.first));
    mate = articleInput(GRINDAVIK.mate);
    mateId = (await articles.save(mate)).id;
    await articles.save(articleInput(GRINDAVIK.unrelated));
    await settle(app);
  });
  afterAll(() => t.cleanup());

  const storyOf = async () => {
    const html = (await app.inject(GRINDAVIK_FIRST_PATH)).body;
    const at = html.indexOf('More on this story');
    return at < 0 ? '' : html.slice(at, html.indexOf('</section>', at));
  };

  it('shows an edit of a listed article at once', async () => {
    expect(await storyOf()).toContain('lava reaches the Reykjanes fishing town defences');
    await app.dateline.articles.save({
      ...mate,
      headline: 'Volcano eruption near Grindavik: lava crosses the Reykjanes fishing town defences',
    });
    // At commit, before any job: the edit's `article:<id>` drops the modules that list it.
    const story = await storyOf();
    expect(story).toContain('lava crosses the Reykjanes fishing town defences');
    expect(story).not.toContain('lava reaches');
  });

  it('lists an article published into the story once its lists are refreshed', async () => {
    await storyOf();
    await app.dateline.articles.save(
      articleInput({
        headline: 'Volcano eruption near Grindavik: evacuated Reykjanes fishing town watches the lava',
        standfirst: 'Lava from the Grindavik fissure still flows toward the evacuated Reykjanes fishing town.',
        body: paragraphs(
          'The volcano eruption near Grindavik goes on; lava from the fissure flows toward the fishing town.',
          'The Reykjanes town stays evacuated while officials watch the barriers.',
        ),
        publishedAt: new Date('2024-05-01T12:00:00Z'),
      }),
    );
    await settle(app);
    expect(await storyOf()).toContain('evacuated Reykjanes fishing town watches the lava');
  });

  it('leaves out a listed article as soon as it is unpublished', async () => {
    expect(await storyOf()).toContain('lava crosses the Reykjanes fishing town defences');
    await app.dateline.articles.unpublish(mateId);
    const html = (await app.inject(GRINDAVIK_FIRST_PATH)).body;
    expect(html).not.toContain('lava crosses the Reykjanes fishing town defences');
    expect(html).toContain('evacuated Reykjanes fishing town watches the lava');
  });
});
