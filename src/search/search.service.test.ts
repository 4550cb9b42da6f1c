import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_QUERIES } from '../../test/fixtures/search-queries.js';
import { articleInput, createTestServices, describeTargets, type TestServices } from '../../test/helpers.js';
import type { ArticleInput } from '../articles/article.js';
import type { Services } from '../services.js';
import { MAX_RESULTS } from './search.schemas.js';

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
const para = (text: string): ArticleInput['body'] => [{ type: 'paragraph', html: text }];

describeTargets('search on $dialect', (target) => {
  let t: TestServices;
  let s: Services;
  const ids: Record<string, number> = {};
  const save = async (key: string, input: Partial<ArticleInput>) => {
    ids[key] = (await s.articles.save(articleInput({ externalId: `search:${key}`, ...input }))).id;
  };
  const find = async (q: string, more: Record<string, unknown> = {}) =>
    (await s.search.search({ q, perPage: 50, ...more })).hits.map((h) => h.id);

  beforeAll(async () => {
    t = await createTestServices({}, target);
    s = t.services;
    await save('phrase', {
      headline: 'Leaders seek a peaceful solution to the border dispute',
      body: para('Diplomats met on Tuesday.'),
      publishedAt: day('2024-03-01'),
      section: { name: 'World' },
      tags: [{ name: 'Diplomacy' }],
      authors: [{ name: 'Ana Ruiz' }],
    });
    await save('apart', {
      headline: 'A solution to traffic, and a peaceful park',
      body: para('The council voted.'),
      publishedAt: day('2024-03-02'),
      section: { name: 'Local' },
      authors: [{ name: 'Tom Okafor' }],
    });
    await save('crimea', {
      headline: 'Talks on the peaceful future of Crimea',
      body: para('Negotiators gathered in Geneva.'),
      publishedAt: day('2024-03-03'),
    });
    await save('inHeadline', {
      headline: 'Glacier retreat speeds up',
      body: para('Scientists measured the ice.'),
      publishedAt: day('2023-01-01'),
    });
    await save('inBody', {
      headline: 'Alpine summer news',
      body: para('Hikers saw a glacier, then a glacier lake, then another glacier.'),
      publishedAt: day('2024-06-01'),
    });
    await save('older', {
      headline: 'Twin story about lighthouses',
      body: para('Same.'),
      publishedAt: day('2024-01-01'),
    });
    await save('newer', {
      headline: 'Twin story about lighthouses',
      body: para('Same.'),
      publishedAt: day('2024-02-01'),
    });
    await save('ticker', {
      headline: 'Marcus Corp <MRCS> 3rd qtr net',
      body: para('Shr 40 cts vs 35 cts. Net 3.1 mln vs 2.7 mln.'),
      publishedAt: day('2023-02-01'),
    });
    await save('tickerLater', {
      headline: 'Marcus Corp <MRCS> 3rd qtr net rises; qtr net sales up',
      body: para('Marcus Corp said its 3rd qtr net rose. Marcus Corp 3rd qtr net sales rose too.'),
      publishedAt: day('2024-05-01'),
    });
    await save('cyrillic', {
      slug: 'talks-on-the-dam',
      headline: 'Переговоры о плотине продолжаются',
      publishedAt: day('2024-04-01'),
    });
    await save('draft', { headline: 'Secret draft about zeppelins', status: 'draft' });
    await save('pulled', { headline: 'Zeppelins return to the skies', publishedAt: day('2024-04-02') });
    await s.articles.unpublish(ids['pulled']!);
    await save('markup', { headline: 'Quotes & <tags> in a zebra headline', body: para('Zebra &amp; co.') });
    for (let i = 0; i < 23; i++)
      await save(`many${i}`, { headline: `Marathon report ${i}`, publishedAt: new Date(Date.UTC(2024, 1, 1, i)) });
  });
  afterAll(() => t?.cleanup());

  it('finds a phrase only where its words stand together', async () => {
    expect(await find('"peaceful solution"')).toEqual([ids['phrase']]);
    expect(new Set(await find('peaceful solution'))).toEqual(new Set([ids['phrase'], ids['apart']]));
  });

  it('leaves out articles with an excluded word', async () => {
    const found = await find('peaceful -crimea');
    expect(found).toContain(ids['phrase']);
    expect(found).not.toContain(ids['crimea']);
  });

  it('matches a word by its prefix', async () => {
    expect(await find('negotiat*')).toEqual([ids['crimea']]);
    expect(await find('lighthou*')).toHaveLength(2);
  });

  it('ranks a headline match above body matches, even newer and repeated ones', async () => {
    expect(await find('glacier')).toEqual([ids['inHeadline'], ids['inBody']]);
  });

  it('finds first the article whose headline the query repeats word for word', async () => {
    // Without the headline, a newer article with the same words, more often, ranks first.
    expect((await find('marcus corp 3rd qtr'))[0]).toBe(ids['tickerLater']);
    expect(await find('Marcus Corp <MRCS> 3rd qtr net')).toEqual([ids['ticker'], ids['tickerLater']]);
    expect(await find('marcus corp mrcs 3RD QTR NET')).toEqual([ids['ticker'], ids['tickerLater']]);
    // Several with that headline keep their order (the newer first).
    expect(await find('Twin story about lighthouses')).toEqual([ids['newer'], ids['older']]);
  });

  it('ranks the newer of two equally relevant articles first', async () => {
    expect(await find('twin lighthouses')).toEqual([ids['newer'], ids['older']]);
  });

  it('filters by section, tag, author and publication days', async () => {
    expect(await find('peaceful', { section: 'local' })).toEqual([ids['apart']]);
    expect(await find('peaceful', { tag: 'diplomacy' })).toEqual([ids['phrase']]);
    expect(await find('peaceful', { author: 'tom-okafor' })).toEqual([ids['apart']]);
    expect(await find('peaceful', { from: '2024-03-02', to: '2024-03-02' })).toEqual([ids['apart']]);
    expect(await find('peaceful', { from: '2024-03-03' })).toEqual([ids['crimea']]);
    expect(await find('peaceful', { section: 'no-such-section' })).toEqual([]);
  });

  it('pages through results with a total', async () => {
    const pages = await Promise.all([1, 2, 3, 4].map((page) => s.search.search({ q: 'marathon', perPage: 10, page })));
    expect(pages.map((p) => p.hits.length)).toEqual([10, 10, 3, 0]);
    expect(pages[0]).toMatchObject({ total: 23, totalCapped: false, pages: 3 });
    expect(new Set(pages.flatMap((p) => p.hits.map((h) => h.id))).size).toBe(23);
  });

  it('never finds a draft or an unpublished article', async () => {
    expect(await find('zeppelins')).toEqual([]);
    expect(await find('secret draft')).toEqual([]);
  });

  it('highlights matches in escaped headlines and snippets, with bylines and dates', async () => {
    const [hit] = (await s.search.search({ q: 'zebra' })).hits;
    expect(hit?.headlineHtml).toBe('Quotes &amp; &lt;tags&gt; in a <mark>zebra</mark> headline');
    expect(hit?.snippetHtml).toBe('<mark>Zebra</mark> &amp; co.');
    const [phrase] = (await s.search.search({ q: 'peaceful solution', tag: 'diplomacy' })).hits;
    expect(phrase).toMatchObject({
      authors: [{ slug: 'ana-ruiz', name: 'Ana Ruiz' }],
      section: { slug: 'world', name: 'World' },
      publishedAt: '2024-03-01T12:00:00.000Z',
    });
  });

  it('finds words in other scripts', async () => {
    expect(await find('плотине')).toEqual([ids['cyrillic']]);
  });

  it('shows the articles with most of the words when none has them all', async () => {
    const result = await s.search.search({ q: 'glacier retreat zyzzyva -alpine' });
    expect(result).toMatchObject({ partial: true, total: 1 });
    expect(result.hits.map((h) => h.id)).toEqual([ids['inHeadline']]);
    expect((await s.search.search({ q: 'glacier retreat' })).partial).toBeUndefined();
    expect(await find('zyzzyva')).toEqual([]);
  });

  it('finds words a wire writes in angle brackets, however they are asked for', async () => {
    await save('ticker', { headline: 'MADAGASCAR <GRB> BUYS <TOROMONT INDUSTRIES LTD> STAKE' });
    expect(await find('grb')).toEqual([ids['ticker']]);
    expect(await find('<GRB> buys')).toEqual([ids['ticker']]);
    expect(await find('<TOROMONT INDUSTRIES LTD> stake')).toEqual([ids['ticker']]);
  });

  it('says why a query cannot be searched', async () => {
    expect(await s.search.search({ q: '   ' })).toMatchObject({ hits: [], empty: 'no-query' });
    expect(await s.search.search({ q: '-peaceful' })).toMatchObject({ hits: [], empty: 'only-exclusions' });
  });

  describe('any input', () => {
    it.each(HOSTILE_QUERIES.map((q) => [q.length > 40 ? `${q.slice(0, 20)}… (${q.length} chars)` : q, q]))(
      'answers %j with a list',
      async (_name, q) => {
        const result = await s.search.search({ q });
        expect(Array.isArray(result.hits)).toBe(true);
        expect(result.total).toBeLessThanOrEqual(MAX_RESULTS);
      },
    );

    it('still finds the words among the junk', async () => {
      expect(await find('dam"" NEAR( AND glacier*')).toEqual([ids['inHeadline'], ids['inBody']]);
      expect(await find('(glacier) AND: "retreat')).toEqual([ids['inHeadline']]);
    });
  });
});
