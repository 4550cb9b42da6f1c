import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleInput, createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { type ApiClient, apiClient } from './fixtures/api-client.js';

type Summary = { id: number; slug: string; headline: string; url: string; publishedAt: string };
type List = { data: Summary[]; nextCursor: string | null };

const at = (day: number, hour = 12) => new Date(Date.UTC(2024, 2, day, hour));

describeTargets('the content API on $dialect', (target) => {
  let t: TestApp;
  let api: ApiClient;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp({ API_RATE_LIMIT: '0' }, target);
    writeFileSync(join(t.config.mediaDir, 'dam.jpg'), 'a photo');
    const save = async (name: string, overrides: Parameters<typeof articleInput>[0]) =>
      (ids[name] = (await t.app.dateline.articles.save(articleInput({ externalId: `api:${name}`, ...overrides }))).id);
    await save('world1', {
      headline: 'Ceasefire talks open in Geneva',
      slug: 'ceasefire-talks',
      section: { name: 'World' },
      tags: [{ name: 'Diplomacy' }],
      authors: [{ name: 'Ana Ruiz' }],
      publishedAt: at(1),
      leadImage: { src: '/media/dam.jpg', alt: 'The dam' },
      body: [
        { type: 'paragraph', html: 'Talks <b>opened</b> on Monday.' },
        { type: 'crosshead', text: 'What next' },
        { type: 'quote', text: 'We are hopeful.', attribution: 'A diplomat' },
      ],
    });
    await save('world2', {
      headline: 'Talks stall',
      section: { name: 'World' },
      tags: [{ name: 'Diplomacy' }],
      publishedAt: at(2),
    });
    await save('sport1', {
      headline: 'Cup final tonight',
      section: { name: 'Sport' },
      authors: [{ name: 'Ana Ruiz' }, { name: 'Bo Lin' }],
      publishedAt: at(3),
    });
    // Same publication time: the id breaks the tie, in both orders.
    await save('tie1', { headline: 'Tie one', section: { name: 'Sport' }, publishedAt: at(4) });
    await save('tie2', { headline: 'Tie two', section: { name: 'Sport' }, publishedAt: at(4) });
    await save('draft', {
      headline: 'Secret draft',
      slug: 'secret-draft',
      status: 'draft',
      tags: [{ name: 'Hidden tag' }],
      authors: [{ name: 'Hidden Writer' }],
      section: { name: 'World' },
    });
    await save('scheduled', {
      headline: 'Scheduled later',
      status: 'scheduled',
      publishedAt: new Date(Date.now() + 86_400_000),
    });
    api = await apiClient(t.app);
  });
  afterAll(() => t?.cleanup());

  const list = async (query: string) => {
    const res = await api.get(`/api/v1/articles${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<List>();
  };
  const walk = async (query: string) => {
    const seen: Summary[] = [];
    let cursor: string | null = null;
    do {
      const page: List = await list(`?limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    return seen.map((a) => a.headline);
  };

  it('lists published articles newest first, ties broken by id, never a draft or a scheduled one', async () => {
    expect(await walk('')).toEqual([
      'Tie two',
      'Tie one',
      'Cup final tonight',
      'Talks stall',
      'Ceasefire talks open in Geneva',
    ]);
  });

  it('filters by section, tag, author and dates, alone and combined', async () => {
    expect(await walk('&section=world')).toEqual(['Talks stall', 'Ceasefire talks open in Geneva']);
    expect(await walk('&tag=diplomacy')).toEqual(['Talks stall', 'Ceasefire talks open in Geneva']);
    expect(await walk('&author=ana-ruiz')).toEqual(['Cup final tonight', 'Ceasefire talks open in Geneva']);
    expect(await walk('&author=ana-ruiz&section=sport')).toEqual(['Cup final tonight']);
    expect(await walk('&tag=diplomacy&author=ana-ruiz')).toEqual(['Ceasefire talks open in Geneva']);
    expect(await walk('&since=2024-03-02&until=2024-03-04')).toEqual(['Cup final tonight', 'Talks stall']);
    expect(await walk('&since=2024-03-03T12:00:00Z')).toEqual(['Tie two', 'Tie one', 'Cup final tonight']);
    expect(await walk('&until=2024-03-03T12:00:00%2B00:00&tag=diplomacy')).toEqual([
      'Talks stall',
      'Ceasefire talks open in Geneva',
    ]);
  });

  it('keeps its pages stable while articles are published in between', async () => {
    const first = await list('?limit=2');
    await t.app.dateline.articles.save(
      articleInput({ externalId: 'api:late', headline: 'Breaking later', publishedAt: at(5) }),
    );
    await t.app.dateline.articles.save(
      articleInput({ externalId: 'api:mid', headline: 'Filed in between', publishedAt: at(3, 18) }),
    );
    const rest: string[] = [];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await list(`?limit=2&cursor=${cursor}`);
      rest.push(...page.data.map((a) => a.headline));
      cursor = page.nextCursor;
    }
    // Nothing repeated, nothing skipped: the page after "Tie one" starts after it, whatever came first since.
    expect([...first.data.map((a) => a.headline), ...rest]).toEqual([
      'Tie two',
      'Tie one',
      'Filed in between',
      'Cup final tonight',
      'Talks stall',
      'Ceasefire talks open in Geneva',
    ]);
  });

  it('answers 404 with a stable code for a filter naming nothing, a draft’s tag or author included', async () => {
    for (const [query, code] of [
      ['?section=nowhere', 'SECTION_NOT_FOUND'],
      ['?tag=hidden-tag', 'TAG_NOT_FOUND'],
      ['?author=hidden-writer', 'AUTHOR_NOT_FOUND'],
    ] as const) {
      const res = await api.get(`/api/v1/articles${query}`);
      expect([res.statusCode, res.json().error]).toEqual([404, { code, message: expect.any(String) }]);
    }
  });

  it('serves one article by id and by slug, with its blocks and the body as the site renders it', async () => {
    const byId = await api.get(`/api/v1/articles/${ids.world1}`);
    expect(byId.statusCode).toBe(200);
    const a = byId.json<{ data: Record<string, unknown> }>().data;
    expect(a).toMatchObject({
      id: ids.world1,
      slug: 'ceasefire-talks',
      url: 'http://news.test/world/2024/03/01/ceasefire-talks',
      section: { slug: 'world', name: 'World', url: 'http://news.test/world' },
      tags: [{ slug: 'diplomacy', name: 'Diplomacy', url: 'http://news.test/tag/diplomacy' }],
      authors: [{ slug: 'ana-ruiz', name: 'Ana Ruiz', url: 'http://news.test/author/ana-ruiz' }],
      body: [
        { type: 'paragraph', html: 'Talks <b>opened</b> on Monday.' },
        { type: 'crosshead', text: 'What next' },
        { type: 'quote', text: 'We are hopeful.', attribution: 'A diplomat' },
      ],
      leadImage: { src: 'http://news.test/media/dam.jpg', alt: 'The dam' },
    });
    expect(a.html).toContain('<p>Talks <b>opened</b> on Monday.</p>');
    expect(a.html).toContain('<h2 id="h-what-next">What next</h2>');
    // The reader page renders the same body.
    const page = await t.app.inject('/world/2024/03/01/ceasefire-talks');
    expect(page.body).toContain(a.html as string);
    // A local image whose file is missing is left out, as the page leaves it out.
    expect(a.html).not.toContain('missing.jpg');
    const stalled = (await api.get(`/api/v1/articles/${ids.world2}`)).json<{ data: Record<string, unknown> }>().data;
    expect(stalled).not.toHaveProperty('leadImage');
    // Nothing internal goes out.
    for (const field of ['status', 'version', 'externalId', 'createdBy', 'review', 'embargoUntil', 'firstPublishedAt'])
      expect(a).not.toHaveProperty(field);

    const bySlug = await api.get('/api/v1/articles/by-slug/ceasefire-talks');
    expect(bySlug.json()).toEqual(byId.json());
  });

  it('never shows a draft or a scheduled article, by id, by slug or as related', async () => {
    for (const url of [
      `/api/v1/articles/${ids.draft}`,
      '/api/v1/articles/by-slug/secret-draft',
      `/api/v1/articles/${ids.scheduled}`,
      `/api/v1/articles/${ids.draft}/related`,
      '/api/v1/articles/999999',
      '/api/v1/articles/by-slug/no-such-thing',
    ]) {
      const res = await api.get(url);
      expect([url, res.statusCode, res.json().error.code]).toEqual([url, 404, 'ARTICLE_NOT_FOUND']);
    }
  });

  it('lists sections, and the tags and authors of published articles only, by slug with cursors', async () => {
    const sections = (await api.get('/api/v1/sections')).json<{ data: { slug: string }[] }>().data;
    expect(sections.map((s) => s.slug).sort()).toEqual(['sport', 'world']);
    const tags = (await api.get('/api/v1/tags')).json<{ data: { slug: string }[] }>();
    expect(tags).toEqual({
      data: [{ id: expect.any(Number), slug: 'diplomacy', name: 'Diplomacy', url: 'http://news.test/tag/diplomacy' }],
      nextCursor: null,
    });
    const first = (await api.get('/api/v1/authors?limit=1')).json<{ data: { slug: string }[]; nextCursor: string }>();
    expect(first.data.map((x) => x.slug)).toEqual(['ana-ruiz']);
    const second = (await api.get(`/api/v1/authors?limit=1&cursor=${first.nextCursor}`)).json<List>();
    expect([second.data.map((x) => x.slug), second.nextCursor]).toEqual([['bo-lin'], null]);
    expect((await api.get('/api/v1/authors/bo-lin')).json()).toEqual({
      data: { id: expect.any(Number), slug: 'bo-lin', name: 'Bo Lin', url: 'http://news.test/author/bo-lin' },
    });
    expect((await api.get('/api/v1/authors/hidden-writer')).json().error.code).toBe('AUTHOR_NOT_FOUND');
    expect((await api.get('/api/v1/tags/hidden-tag')).json().error.code).toBe('TAG_NOT_FOUND');
    expect((await api.get('/api/v1/tags/diplomacy')).statusCode).toBe(200);
  });

  it('explains related news from the stored list, as the older route does (which still works)', async () => {
    const v1 = await api.get(`/api/v1/articles/${ids.world1}/related`);
    expect(v1.statusCode).toBe(200);
    const old = await t.app.inject(`/api/articles/${ids.world1}/related`);
    expect(old.statusCode).toBe(200);
    expect(v1.json()).toEqual(old.json());
  });

  it('refuses bad queries with 400 and a stable code, never a 5xx', async () => {
    const bad = [
      ['?limit=0', 'BAD_QUERY'],
      ['?limit=101', 'BAD_QUERY'],
      ['?limit=1e400', 'BAD_QUERY'],
      ['?limit=99999999999999999999999', 'BAD_QUERY'],
      ['?limit=abc', 'BAD_QUERY'],
      ['?since=yesterday', 'BAD_QUERY'],
      ['?until=2024-13-45', 'BAD_QUERY'],
      ['?section=a&section=b', 'BAD_QUERY'],
      [`?section=${'x'.repeat(300)}`, 'BAD_QUERY'],
      ['?cursor=junk!!', 'BAD_CURSOR'],
      ['?cursor=bm90LWEtY3Vyc29y', 'BAD_CURSOR'],
      [`?cursor=${Buffer.from('a.99999999999999999.1').toString('base64url')}`, 'BAD_CURSOR'],
      [`?cursor=${Buffer.from('a.1.99999999999').toString('base64url')}`, 'BAD_CURSOR'],
      [`?cursor=${'A'.repeat(5000)}`, 'BAD_QUERY'],
    ] as const;
    for (const [query, code] of bad) {
      const res = await api.get(`/api/v1/articles${query}`);
      expect([query, res.statusCode, res.json().error.code]).toEqual([query, 400, code]);
    }
    // NUL is dropped by the query parser: a section named with one is just not found.
    expect((await api.get('/api/v1/articles?section=wor%00ld')).statusCode).toBe(200);
    for (const url of [
      '/api/v1/articles/0',
      '/api/v1/articles/abc',
      '/api/v1/articles/99999999999',
      '/api/v1/articles/1e400',
    ]) {
      const res = await api.get(url);
      expect([url, res.statusCode, res.json().error.code]).toEqual([url, 400, 'BAD_QUERY']);
    }
    const slugCursorForArticles = (await api.get('/api/v1/tags?limit=1')).json<List>();
    expect(slugCursorForArticles.nextCursor).toBeNull();
  });

  it('searches published articles with the site search: highlights, filters, pages, never a draft, any input', async () => {
    const res = await api.get('/api/v1/search?q=talks&section=world');
    expect(res.statusCode, res.body).toBe(200);
    const { data } = res.json<{ data: { total: number; hits: { id: number; headlineHtml: string }[] } }>();
    expect(data.hits.map((h) => h.id).sort()).toEqual([ids.world1, ids.world2].sort());
    expect(data.hits.find((h) => h.id === ids.world2)?.headlineHtml).toBe('<mark>Talks</mark> stall');
    const secret = (await api.get('/api/v1/search?q=secret')).json<{ data: { total: number } }>();
    expect(secret.data.total).toBe(0);
    for (const q of ['"unbalanced', '-', 'a AND OR NEAR(', '<script>', 'Новости', 'x'.repeat(5000)]) {
      const odd = await api.get(`/api/v1/search?q=${encodeURIComponent(q)}`);
      expect(odd.statusCode, q).toBe(200);
    }
    expect((await api.get('/api/v1/search?q=talks&page=0')).statusCode).toBe(400);
  });

  it('sends cacheable public JSON with an ETag, and 304 when it matches', async () => {
    const res = await api.get('/api/v1/sections');
    expect(res.headers['cache-control']).toMatch(/^public/);
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^W\/"/);
    const again = await api.get('/api/v1/sections', { 'if-none-match': etag });
    expect([again.statusCode, again.body]).toEqual([304, '']);
    expect((await api.get(`/api/v1/articles/${ids.draft}`)).headers['cache-control']).toBe('no-store');
  });

  it('checked an answer of every operation against its schema in the description', async () => {
    await api.get('/api/v1/openapi.json');
    const doc = (await t.app.inject('/api/v1/openapi.json')).json();
    expect([...api.seen].sort()).toEqual(
      Object.keys(doc.paths)
        .map((p) => `GET ${p}`)
        .sort(),
    );
  });
});

describe('the content API’s description', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ API_RATE_LIMIT: '0' });
  });
  afterAll(() => t?.cleanup());

  it('describes every /api/v1 route the app registered, as OpenAPI 3.1', async () => {
    const doc = (await t.app.inject('/api/v1/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    const registered = new Set(
      routePaths(t.app.printRoutes({ commonPrefix: false, method: 'GET' }))
        .filter((p) => p.startsWith('/api/v1/'))
        .map((p) => p.slice('/api/v1'.length).replace(/:([A-Za-z_]+)/g, '{$1}')),
    );
    expect(registered.size).toBeGreaterThan(8);
    expect(new Set(Object.keys(doc.paths))).toEqual(registered);
    expect(doc.paths['/articles'].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      'section',
      'tag',
      'author',
      'since',
      'until',
      'cursor',
      'limit',
    ]);
    expect(doc.components.schemas.Article.properties.html.type).toBe('string');
  });
});

/** Full paths from Fastify's route tree (`printRoutes`): each line's segment joined to its parent's. */
function routePaths(tree: string): string[] {
  const stack: string[] = [];
  const out: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)(?:[└├]── )?(\S+) \(GET/.exec(line);
    if (!m) continue;
    const depth = line.includes('── ') ? line.indexOf('── ') / 4 + 1 : 0;
    const parent = depth > 0 ? (stack[depth - 1] ?? '') : '';
    const segment = m[2]!;
    const full =
      depth === 0
        ? segment
        : parent.endsWith('/') || segment.startsWith('/')
          ? parent + segment
          : `${parent}/${segment}`;
    stack[depth] = full;
    out.push(full);
  }
  return out;
}
