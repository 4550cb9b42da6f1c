import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { findArticleBySlug } from '../articles/article.repository.js';
import { type ArchiveImportReport, importArchive } from './archive-import.service.js';
import { parseWordpress } from './wordpress.js';

const WXR = readFileSync(new URL('./fixtures/wordpress.xml', import.meta.url), 'utf8');

describe('parseWordpress', () => {
  it('refuses a file that is not a WordPress export with INVALID_EXPORT', () => {
    expect(() => parseWordpress('<rss><channel><title>x</title></channel></rss>')).toThrow(
      expect.objectContaining({ code: 'INVALID_EXPORT' }),
    );
    expect(() => parseWordpress('{"db": []}')).toThrow(expect.objectContaining({ code: 'INVALID_EXPORT' }));
  });

  it('maps a block-editor post: HTML to blocks (scripts dropped), excerpt, featured image, author, category, tags', () => {
    const post = parseWordpress(WXR).posts.find((p) => p.ref === 'post 11')!;
    expect(post.input).toMatchObject({
      externalId: 'wordpress:https://vesti.example/?p=11',
      headline: 'Новости дня',
      standfirst: 'Делегации договорились встретиться снова.',
      leadImage: { src: 'https://vesti.example/wp-content/uploads/2026/12/talks.jpg', alt: 'Делегации за столом' },
      authors: [{ name: 'Иван Петров' }],
      section: { name: 'Мир' },
      tags: [{ name: 'Россия' }, { name: 'Женева' }],
      status: 'published',
      language: 'ru-RU',
      publishedAt: new Date('2026-12-04T08:00:00Z'),
    });
    expect(post.input.body.map((b) => b.type)).toEqual(['paragraph', 'crosshead', 'list', 'quote']);
    expect(JSON.stringify(post.input.body)).not.toContain('alert');
    expect(post.oldPaths).toEqual(['/2026/12/04/новости-дня', '/?p=11']);
  });

  it('skips pages and attachments, makes a classic post paragraphs, keeps drafts undated and schedules future posts', () => {
    const { posts, skipped } = parseWordpress(WXR);
    expect(skipped).toEqual([{ ref: 'page 2', reason: 'a page, not a post' }]);
    expect(posts.map((p) => [p.ref, p.input.status])).toEqual([
      ['post 11', 'published'],
      ['post 12', 'published'],
      ['post 13', 'draft'],
      ['post 14', 'scheduled'],
    ]);
    expect(posts[1]!.input.body).toEqual([
      { type: 'paragraph', html: '东京和北京的新闻。' },
      { type: 'paragraph', html: '第二段。' },
    ]);
    expect(posts[2]!.input.publishedAt).toBeUndefined();
    expect(posts[3]!.input).toMatchObject({ section: { name: 'News' }, publishedAt: new Date('2027-12-01T08:00:00Z') });
  });
});

describeTargets('dateline import-wordpress on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  let first: ArchiveImportReport;

  beforeAll(async () => {
    t = await createTestApp({}, target);
    app = t.app;
    first = await importArchive(app.dateline, parseWordpress(WXR));
  });
  afterAll(() => t.cleanup());

  it('imports every post with its authors, section, tags and dates, and drops nothing', async () => {
    expect(first).toMatchObject({ posts: 4, created: 4, updated: 0, failed: [], oldPermalinks: 5 });
    const a = await findArticleBySlug(app.dateline.database.db, 'novosti-dnya');
    expect(a).toMatchObject({ status: 'published', language: 'ru-RU', section: { slug: 'mir', name: 'Мир' } });
    expect(a?.authors.map((x) => [x.slug, x.name])).toEqual([['ivan-petrov', 'Иван Петров']]);
    expect(a?.tags.map((x) => [x.slug, x.name]).sort()).toEqual([
      ['rossiya', 'Россия'],
      ['zheneva', 'Женева'],
    ]);
    const statuses = await app.dateline.database.db
      .selectFrom('articles')
      .select(['headline', 'status'])
      .orderBy('id')
      .execute();
    expect(statuses).toEqual([
      { headline: 'Новости дня', status: 'published' },
      { headline: '今日新闻', status: 'published' },
      { headline: 'Черновик', status: 'draft' },
      { headline: 'Scheduled report', status: 'scheduled' },
    ]);
  });

  it('answers the old permalink, encoded or not, with a 301 to the new address', async () => {
    for (const old of [
      '/2026/12/04/%d0%bd%d0%be%d0%b2%d0%be%d1%81%d1%82%d0%b8-%d0%b4%d0%bd%d1%8f/',
      '/2026/12/04/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8-%D0%B4%D0%BD%D1%8F',
    ]) {
      const res = await app.inject(old);
      expect(res.statusCode, old).toBe(301);
      expect(res.headers.location).toBe('/mir/2026/12/04/novosti-dnya');
      expect((await app.inject(res.headers.location!)).statusCode).toBe(200);
    }
    expect((await app.inject('/2026/12/04/no-such-post/')).statusCode).toBe(301);
    expect((await app.inject('/2026/12/04/no-such-post')).statusCode).toBe(404);
  });

  it("answers WordPress's plain permalink /?p=<id> with a 301, even when the home page is cached", async () => {
    const home = await app.inject('/');
    expect(home.statusCode).toBe(200);
    expect((await app.inject('/')).headers.etag).toBe(home.headers.etag);
    const res = await app.inject('/?p=11&utm_source=x');
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('/mir/2026/12/04/novosti-dnya');
    expect((await app.inject('/?p=999999')).statusCode).toBe(404);
    expect((await app.inject('/?p=../../etc')).statusCode).toBe(404);
    // The home page itself still answers every other query string from its one cached copy.
    expect((await app.inject('/?utm_source=x')).headers.etag).toBe(home.headers.etag);
  });

  it('updates rather than duplicates when the same export is imported again', async () => {
    const again = await importArchive(
      app.dateline,
      parseWordpress(WXR.replace('Новости дня]]', 'Новости дня (обновлено)]]')),
    );
    expect(again).toMatchObject({ created: 0, updated: 4, failed: [] });
    const count = await app.dateline.database.db
      .selectFrom('articles')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(4);
    const res = await app.inject('/2026/12/04/%d0%bd%d0%be%d0%b2%d0%be%d1%81%d1%82%d0%b8-%d0%b4%d0%bd%d1%8f/');
    expect(res.headers.location).toBe('/mir/2026/12/04/novosti-dnya');
    expect((await app.inject(res.headers.location!)).body).toContain('Новости дня (обновлено)');
  });
});
