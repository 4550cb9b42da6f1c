import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { type ConfigData, HtmlValidate } from 'html-validate';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { HOSTILE_QUERIES } from '../../test/fixtures/search-queries.js';
import { articleInput, createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';

const validator = new HtmlValidate(
  JSON.parse(readFileSync(new URL('../../.htmlvalidate.json', import.meta.url), 'utf8')) as ConfigData,
);

describeTargets('the search page on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  const get = (url: string) => app.inject({ method: 'GET', url });
  const q = (text: string, more = '') => get(`/search?q=${encodeURIComponent(text)}${more}`);

  beforeAll(async () => {
    t = await createTestApp({}, target);
    app = t.app;
    const { articles } = app.dateline;
    await articles.save(
      articleInput({
        headline: 'Rivals agree to talks over the river dam',
        body: [{ type: 'paragraph', html: 'The dam talks <b>start</b> on Monday in Geneva.' }],
        section: { name: 'World' },
        authors: [{ name: 'Ana Ruiz' }],
        tags: [{ name: 'Water' }],
        publishedAt: new Date('2024-03-05T15:00:00Z'),
      }),
    );
    for (let i = 0; i < 25; i++)
      await articles.save(articleInput({ headline: `Harbour report number ${i}`, section: { name: 'Local' } }));
    await articles.save(articleInput({ headline: 'A draft about the dam', status: 'draft' }));
  });
  afterAll(() => t?.cleanup());

  it('puts a search form, which needs no script, in the header of every reader page', async () => {
    for (const url of ['/', '/world', '/search', '/no-such-page']) {
      const page = await get(url);
      expect(page.body).toContain(
        '<form class="site-search" role="search" aria-label="Site search" action="/search" method="get">',
      );
      expect(page.body).toMatch(/<label class="visually-hidden" for="site-search-q">Search the site<\/label>/);
    }
  });

  it('lists matches with highlighted headline and snippet, byline, section and time', async () => {
    const page = await q('dam talks');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(
      '<a href="/world/2024/03/05/rivals-agree-to-talks-over-the-river-dam">Rivals agree to <mark>talks</mark> over the river <mark>dam</mark></a>',
    );
    expect(page.body).toContain('The <mark>dam</mark> <mark>talks</mark> start on Monday in Geneva.');
    expect(page.body).toContain('By <a href="/author/ana-ruiz">Ana Ruiz</a>');
    expect(page.body).toContain('<time datetime="2024-03-05T15:00:00.000Z">');
    expect(page.body).toContain('1 result');
    expect(page.body).not.toContain('A draft about the dam');
    expect(page.body).toContain('<meta name="robots" content="noindex">');
  });

  it('filters by section and pages through results with links that keep the query and filters', async () => {
    expect((await q('dam', '&section=local')).body).toContain('No articles match');
    const first = await q('harbour report', '&section=local');
    expect(first.body).toContain('25 results, page 1 of 2');
    expect(first.body).toContain('href="/search?q=harbour+report&amp;section=local&amp;page=2" rel="next"');
    const second = await get('/search?q=harbour+report&section=local&page=2');
    expect(second.body.match(/class="search-result"/g)).toHaveLength(5);
    expect(second.body).toContain('href="/search?q=harbour+report&amp;section=local" rel="prev"');
  });

  it('says what to try when nothing is found, or nothing was asked', async () => {
    const none = await q('zyzzyva', '&section=world');
    expect(none.body).toContain('No articles match “zyzzyva”');
    expect(none.body).toContain('<a href="/search?q=zyzzyva">Search every section and date</a>');
    expect((await get('/search')).body).toContain('Type a word or two');
    expect((await q('dam zyzzyva')).body).toContain('No article has all of these words. 1 result with some of them');
    expect((await q('-dam')).body).toContain('Add a word to look for');
  });

  it('is valid HTML with results, filters, pages, a partial match and an empty state', async () => {
    for (const url of [
      '/search?q=dam+talks&from=2024-01-01&tag=water&author=ana-ruiz',
      '/search?q=harbour&section=local&page=2',
      '/search?q=dam+zyzzyva',
      '/search?q=zyzzyva&section=nowhere',
      '/search',
    ]) {
      const report = await validator.validateString((await get(url)).body);
      const messages = report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`));
      expect(messages, url).toEqual([]);
    }
  });

  it('escapes the query wherever it is shown', async () => {
    const page = await q('"><script>alert(1)</script>');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page.body).toContain('<title>Search: &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; |');
  });

  it('answers any input with a page, never a server error', async () => {
    const odd = [
      ...HOSTILE_QUERIES.filter((text) => !/\p{Cs}/u.test(text)).map((text) => `/search?q=${encodeURIComponent(text)}`),
      '/search?q=%ED%A0%80',
      '/search?q=dam&page=abc',
      '/search?q=dam&page=99999999999',
      '/search?q=dam&page=-1',
      '/search?q=dam&from=yesterday&to=2024-13-45',
      '/search?q=dam&section=../../etc&tag=%00&author=<b>',
      '/search?q=dam&q=river&q[]=x',
      '/search?q[]=dam',
      '/search?q=%E0%A4%A',
      '/search?q=%FF%FE',
      '/search?perPage=100000&q=dam',
    ];
    for (const url of odd) {
      const page = await get(url);
      expect(page.statusCode, url).toBeLessThan(500);
      expect(page.headers['content-type'], url).toContain('text/html');
    }
  });

  it('keeps no search page in the page cache, however many distinct queries come', async () => {
    const cache = app.dateline.pageCache!;
    await get('/'); // a cached page, for comparison
    expect(cache.size).toBeGreaterThan(0);
    // Watched at the door rather than by size alone: on PostgreSQL another suite's invalidation may empty the cache.
    const stored = vi.spyOn(cache, 'set');
    const before = cache.size;
    for (let i = 0; i < 1000; i++) await q(`dam ${i}`);
    expect(stored).not.toHaveBeenCalled();
    expect(cache.size).toBeLessThanOrEqual(before);
    stored.mockRestore();
    const page = await q('dam');
    expect(page.headers['cache-control']).toBe('private, max-age=60');
    // The cache answers by path: a stored /search would answer every query alike.
    expect((await q('harbour')).body).toContain('<mark>Harbour</mark> report');
  }, 120_000); // a thousand requests on a shared machine
});
