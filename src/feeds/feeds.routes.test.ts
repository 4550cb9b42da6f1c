import { XMLValidator } from 'fast-xml-parser';
import type { FastifyInstance } from 'fastify';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleInput, createTestApp, describeTargets, settle, type TestApp } from '../../test/helpers.js';

describeTargets('feeds on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;

  beforeAll(async () => {
    t = await createTestApp({ WEBSUB_HUB: 'http://127.0.0.1:9/hub' }, target);
    app = t.app;
    const { articles } = app.dateline;
    await articles.save(
      articleInput({
        externalId: 'dam',
        headline: 'Rivals agree to talks over the river dam & its <future>',
        standfirst: 'Negotiators will meet in Geneva.',
        section: { name: 'World' },
        authors: [{ name: 'Ana Ruiz' }],
        tags: [{ name: 'Water' }],
        leadImage: { src: '/media/dam.jpg', alt: 'The dam' },
        publishedAt: new Date('2024-03-05T15:00:00Z'),
        updatedAt: new Date('2024-03-05T15:00:00Z'),
        body: [
          { type: 'paragraph', html: 'Talks <b>start</b> <a href="/world">Monday</a>\u000b.' },
          { type: 'image', src: '/media/map.png', alt: 'A map' },
        ],
      }),
    );
    await articles.save(
      articleInput({
        externalId: 'cup',
        headline: 'Local team wins the cup',
        section: { name: 'Sport' },
        publishedAt: new Date('2024-03-06T10:00:00Z'),
      }),
    );
    await articles.save(articleInput({ externalId: 'draft', headline: 'A draft nobody sees', status: 'draft' }));
    await settle(app);
  });
  afterAll(() => t.cleanup());

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers });

  it('serves the site as RSS 2.0 that a feed parser reads, with stable ids, absolute URLs and dates', async () => {
    const res = await get('/feed.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(XMLValidator.validate(res.body)).toBe(true);
    const feed = parseRssFeed(res.body);
    expect(feed.items?.map((i) => i.title)).toEqual([
      'Local team wins the cup',
      'Rivals agree to talks over the river dam & its <future>',
    ]);
    const dam = feed.items?.[1];
    expect(dam?.guid?.value).toMatch(/^tag:news\.test,2024:article:\d+$/);
    expect(dam?.link).toBe('http://news.test/world/2024/03/05/rivals-agree-to-talks-over-the-river-dam-and-its-future');
    expect(dam?.pubDate).toBe('Tue, 05 Mar 2024 15:00:00 GMT');
    expect(dam?.content?.encoded).toContain('<a href="http://news.test/world">Monday</a>.');
    expect(dam?.content?.encoded).toContain('<img src="http://news.test/media/map.png" alt="A map">');
    expect(dam?.dc?.creators).toEqual(['Ana Ruiz']);
    expect(dam?.enclosures?.[0]).toMatchObject({ url: 'http://news.test/media/dam.jpg', type: 'image/jpeg' });
    expect(feed.atom?.links?.map((l) => [l.rel, l.href])).toEqual([
      ['self', 'http://news.test/feed.xml'],
      ['hub', 'http://127.0.0.1:9/hub'],
    ]);
    expect(res.body).not.toContain('A draft nobody sees');
  });

  it('serves Atom 1.0 and JSON Feed 1.1 with the same ids and the published and updated times', async () => {
    const atomRes = await get('/atom.xml');
    expect(atomRes.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(XMLValidator.validate(atomRes.body)).toBe(true);
    const atom = parseAtomFeed(atomRes.body);
    const rss = parseRssFeed((await get('/feed.xml')).body);
    expect(atom.entries?.map((e) => e.id)).toEqual(rss.items?.map((i) => i.guid?.value));
    expect(atom.entries?.[1]).toMatchObject({
      title: { value: 'Rivals agree to talks over the river dam &amp; its &lt;future&gt;' },
      published: '2024-03-05T15:00:00.000Z',
      updated: '2024-03-05T15:00:00.000Z',
    });
    expect(atom.links?.find((l) => l.rel === 'self')?.href).toBe('http://news.test/atom.xml');

    const jsonRes = await get('/feed.json');
    expect(jsonRes.headers['content-type']).toBe('application/feed+json; charset=utf-8');
    const json = parseJsonFeed(JSON.parse(jsonRes.body));
    expect(JSON.parse(jsonRes.body).version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.items?.map((i) => i.id)).toEqual(rss.items?.map((i) => i.guid?.value));
    expect(json.items?.[1]?.authors).toEqual([{ name: 'Ana Ruiz', url: 'http://news.test/author/ana-ruiz' }]);
    expect(json.hubs).toEqual([{ type: 'WebSub', url: 'http://127.0.0.1:9/hub' }]);
  });

  it('has a feed for each section, tag and author, and 404 for one that does not exist', async () => {
    const section = parseRssFeed((await get('/sport/feed.xml')).body);
    expect(section.items?.map((i) => i.title)).toEqual(['Local team wins the cup']);
    const tag = parseAtomFeed((await get('/tag/water/atom.xml')).body);
    expect(tag.entries).toHaveLength(1);
    expect(tag.links?.find((l) => l.rel === 'self')?.href).toBe('http://news.test/tag/water/atom.xml');
    const author = parseJsonFeed(JSON.parse((await get('/author/ana-ruiz/feed.json')).body));
    expect(author.items).toHaveLength(1);
    expect((await get('/tag/nothing-here/feed.xml')).statusCode).toBe(404);
    expect((await get('/no-such-section/atom.xml')).statusCode).toBe(404);
  });

  it('answers 304 to a current ETag or If-Modified-Since, from the cache, with its own content type', async () => {
    const first = await get('/tag/water/feed.xml');
    const again = await get('/tag/water/feed.xml');
    expect(again.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(first.headers['last-modified']).toBeDefined();
    const byEtag = await get('/tag/water/feed.xml', { 'if-none-match': String(first.headers.etag) });
    expect(byEtag.statusCode).toBe(304);
    const byDate = await get('/tag/water/feed.xml', { 'if-modified-since': String(first.headers['last-modified']) });
    expect(byDate.statusCode).toBe(304);
    const older = new Date(Date.parse(String(first.headers['last-modified'])) - 1000).toUTCString();
    expect((await get('/tag/water/feed.xml', { 'if-modified-since': older })).statusCode).toBe(200);
  });

  it('keeps an article’s id when it is edited, and drops the cached feeds at once', async () => {
    const before = parseRssFeed((await get('/feed.xml')).body).items?.find((i) => i.title?.startsWith('Rivals'));
    const beforeTag = (await get('/tag/water/feed.xml')).headers.etag;
    await app.dateline.articles.save(
      articleInput({
        externalId: 'dam',
        headline: 'Rivals open talks over the river dam',
        standfirst: 'Negotiators met in Geneva.',
        section: { name: 'World' },
        authors: [{ name: 'Ana Ruiz' }],
        tags: [{ name: 'Water' }],
        publishedAt: new Date('2024-03-05T15:00:00Z'),
        updatedAt: new Date('2024-03-06T09:00:00Z'),
      }),
    );
    const after = parseRssFeed((await get('/feed.xml')).body).items?.find((i) => i.title?.startsWith('Rivals'));
    expect(after?.title).toBe('Rivals open talks over the river dam');
    expect(after?.guid?.value).toBe(before?.guid?.value);
    const afterTag = await get('/tag/water/feed.xml', { 'if-none-match': String(beforeTag) });
    expect(afterTag.statusCode).toBe(200);
    const atom = parseAtomFeed((await get('/atom.xml')).body).entries?.find((e) => e.id === before?.guid?.value);
    expect(atom?.updated).toBe('2024-03-06T09:00:00.000Z');
  });

  it('shows a newly published article in the site feed at once', async () => {
    const etag = (await get('/feed.json')).headers.etag;
    await app.dateline.articles.save(
      articleInput({ headline: 'Breaking: the bridge reopens', publishedAt: new Date('2024-03-07T08:00:00Z') }),
    );
    const res = await get('/feed.json', { 'if-none-match': String(etag) });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).items[0].title).toBe('Breaking: the bridge reopens');
  });

  describe('with summaries only', () => {
    it('carries the standfirst and no body when the site says so', async () => {
      await app.dateline.settings.update({ feedContent: 'summary' });
      const item = parseRssFeed((await get('/sport/feed.xml')).body).items?.[0];
      expect(item?.description).toContain('Standfirst of test article');
      expect(item?.content?.encoded).toBeUndefined();
      const json = JSON.parse((await get('/sport/feed.json')).body);
      expect(json.items[0].content_html).toBeUndefined();
      expect(json.items[0].content_text).toContain('Standfirst of test article');
      await app.dateline.settings.update({ feedContent: 'full' });
    });
  });
});
