import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestApp, describeTargets, settle, type TestApp } from '../../test/helpers.js';
import { liveEditor } from '../../test/live-helpers.js';
import { followingClock } from '../lib/time.js';
import { createSitemaps } from './sitemaps.js';

const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['url', 'sitemap'].includes(name) });
/** W3C Datetime as sitemaps take it: a date, or a date and time with seconds and a zone. */
const W3C = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/;

type Url = { loc: string; lastmod?: string; 'news:news'?: Record<string, unknown> };

describeTargets('sitemaps and robots.txt on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);
  const published: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(
      { SITEMAP_PAGE_SIZE: '3', SITE_NAME: 'The Harbour & Times', SITE_LANGUAGE: 'en-GB' },
      target,
    );
    app = t.app;
    const { articles } = app.dateline;
    const ages = [400, 100, 49, 47, 30, 5, 2, 1];
    for (const [i, h] of ages.entries()) {
      const saved = await articles.save(
        articleInput({
          headline: `Story ${i} <about> the port & harbour`,
          section: { name: i % 2 ? 'World' : 'Business' },
          tags: [{ name: `Tag ${i % 3}` }],
          authors: [{ name: `Writer ${i % 2}` }],
          publishedAt: hoursAgo(h),
        }),
      );
      published.push(saved.slug);
    }
    await articles.save(articleInput({ headline: 'Draft nobody sees', status: 'draft', publishedAt: hoursAgo(1) }));
    await settle(app);
  });
  afterAll(() => t.cleanup());

  async function xml(path: string) {
    const res = await app.inject(path);
    expect(res.statusCode, path).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(XMLValidator.validate(res.body), path).toBe(true);
    return parser.parse(res.body) as {
      sitemapindex?: { sitemap: { loc: string }[] };
      urlset?: { url?: Url[]; '@_xmlns': string };
    };
  }

  async function allFiles() {
    const index = await xml('/sitemap.xml');
    return (index.sitemapindex?.sitemap ?? []).map((s) => s.loc);
  }

  it('indexes files of at most SITEMAP_PAGE_SIZE URLs that list every published article once, with W3C dates', async () => {
    const files = await allFiles();
    expect(files[0]).toBe('http://news.test/sitemaps/pages-1.xml');
    // Nine articles (one a draft) in blocks of three ids: three article files.
    expect(files.filter((f) => f.includes('/articles-'))).toEqual(
      [1, 2, 3].map((n) => `http://news.test/sitemaps/articles-${n}.xml`),
    );
    const articleUrls: Url[] = [];
    for (const file of files) {
      const { urlset } = await xml(file.replace('http://news.test', ''));
      expect(urlset?.['@_xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
      const urls = urlset?.url ?? [];
      expect(urls.length).toBeLessThanOrEqual(3);
      for (const u of urls) expect(u.lastmod, u.loc).toMatch(W3C);
      if (file.includes('/articles-')) articleUrls.push(...urls);
    }
    expect(articleUrls).toHaveLength(8);
    expect(new Set(articleUrls.map((u) => u.loc)).size).toBe(8);
    for (const slug of published)
      expect(
        articleUrls.some((u) => u.loc.endsWith(`/${slug}`)),
        slug,
      ).toBe(true);
    expect(articleUrls.some((u) => u.loc.includes('draft-nobody-sees'))).toBe(false);
  });

  it('lists the home page, sections, tags and authors that have articles', async () => {
    const pages = (await xml('/sitemaps/pages-1.xml')).urlset?.url?.map((u) => u.loc);
    expect(pages).toEqual(['http://news.test/', 'http://news.test/business', 'http://news.test/world']);
    const files = await allFiles();
    const lists: string[] = [];
    for (const f of files.filter((x) => /\/(tags|authors)-/.test(x)))
      lists.push(...((await xml(f.replace('http://news.test', ''))).urlset?.url?.map((u) => u.loc) ?? []));
    expect(lists.sort()).toEqual(
      ['/author/writer-0', '/author/writer-1', '/tag/tag-0', '/tag/tag-1', '/tag/tag-2'].map(
        (p) => `http://news.test${p}`,
      ),
    );
  });

  it('answers 404 for a file past the last and for names that are not sitemaps', async () => {
    for (const path of [
      '/sitemaps/articles-4.xml',
      '/sitemaps/articles-0.xml',
      '/sitemaps/pages-2.xml',
      '/sitemaps/x.xml',
    ])
      expect((await app.inject(path)).statusCode, path).toBe(404);
  });

  it('has a Google News sitemap of the last 48 hours, newest first, with the publication’s name and language', async () => {
    const { urlset } = await xml('/news-sitemap.xml');
    const urls = urlset?.url ?? [];
    expect(urls.map((u) => (u['news:news'] as { 'news:title': string })['news:title'])).toEqual(
      [7, 6, 5, 4, 3].map((i) => `Story ${i} <about> the port & harbour`),
    );
    const first = urls[0]?.['news:news'] as Record<string, Record<string, string> | string>;
    expect(first['news:publication']).toEqual({ 'news:name': 'The Harbour & Times', 'news:language': 'en' });
    expect(first['news:publication_date']).toMatch(W3C);
  });

  it('keeps the Google News sitemap to its limit, newest first', async () => {
    const maps = createSitemaps({
      database: app.dateline.database,
      siteUrl: 'http://news.test',
      clock: followingClock(() => 'UTC', 'en'),
      pageSize: 3,
      publication: () => ({ name: 'X', language: 'en' }),
      newsMax: 2,
    });
    const urls = (parser.parse(await maps.news()) as { urlset: { url: Url[] } }).urlset.url;
    expect(urls.map((u) => (u['news:news'] as { 'news:title': string })['news:title'])).toEqual([
      'Story 7 <about> the port & harbour',
      'Story 6 <about> the port & harbour',
    ]);
  });

  it('drops cached sitemaps when an article is published', async () => {
    const conditional = (url: string, etag: unknown) => app.inject({ url, headers: { 'if-none-match': String(etag) } });
    const index = await app.inject('/sitemap.xml');
    expect((await conditional('/sitemap.xml', index.headers.etag)).statusCode).toBe(304);
    expect((await app.inject('/sitemaps/articles-4.xml')).statusCode).toBe(404);
    const saved = await app.dateline.articles.save(
      articleInput({ headline: 'Fresh news', publishedAt: hoursAgo(0.5) }),
    );
    const after = await conditional('/sitemap.xml', index.headers.etag);
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('/sitemaps/articles-4.xml');
    expect((await app.inject('/sitemaps/articles-4.xml')).body).toContain(saved.slug);
    expect((await app.inject('/news-sitemap.xml')).body).toContain('Fresh news');
  });

  it('drops only the articles file whose block holds a withdrawn article, and answers 304 for the others', async () => {
    const cached = (n: number) => app.dateline.pageCache?.get(`/sitemaps/articles-${n}.xml`);
    const first = await app.inject('/sitemaps/articles-1.xml');
    const second = await app.inject('/sitemaps/articles-2.xml');
    expect(cached(1)).toBeDefined();
    expect(cached(2)).toBeDefined();
    // Ids 1–3 are the first block: withdrawing the first article drops that file alone, on every instance.
    await app.dateline.articles.unpublish(1);
    expect(cached(1)).toBeUndefined();
    expect(cached(2)).toBeDefined();
    const again = await app.inject({
      url: '/sitemaps/articles-2.xml',
      headers: { 'if-none-match': second.headers.etag },
    });
    expect(again.statusCode).toBe(304);
    const changed = await app.inject({
      url: '/sitemaps/articles-1.xml',
      headers: { 'if-none-match': first.headers.etag },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.body).not.toContain(`/${published[0]}<`);
    expect(first.body).toContain(`/${published[0]}<`);
  });

  it('lists a live coverage in the Google News sitemap while it is live, and no longer once it ends', async () => {
    const editor = await liveEditor(app.dateline);
    const c = await app.dateline.live.createCoverage({ headline: 'Harbour fire: live' }, editor);
    const urls = (await xml('/news-sitemap.xml')).urlset?.url ?? [];
    expect(urls[0]?.loc).toBe(`http://news.test/live/${c.id}-harbour-fire-live`);
    const news = urls[0]?.['news:news'] as Record<string, string>;
    expect([news['news:title'], news['news:publication_date']]).toEqual([
      'Harbour fire: live',
      c.startedAt.toISOString(),
    ]);
    await app.dateline.live.setStatus(c.id, 'ended', editor);
    const after = (await xml('/news-sitemap.xml')).urlset?.url ?? [];
    expect(after.map((u) => u.loc)).not.toContain(`http://news.test/live/${c.id}-harbour-fire-live`);
  });

  it('serves robots.txt pointing at both sitemaps and keeping crawlers out of the newsroom', async () => {
    const res = await app.inject('/robots.txt');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body.split('\n')).toEqual(
      expect.arrayContaining([
        'User-agent: *',
        'Disallow: /admin',
        'Sitemap: http://news.test/sitemap.xml',
        'Sitemap: http://news.test/news-sitemap.xml',
      ]),
    );
  });
});
