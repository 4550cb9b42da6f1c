import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { findArticleBySlug } from '../articles/article.repository.js';
import { type ArchiveImportReport, importArchive } from './archive-import.service.js';
import { parseGhost } from './ghost.js';

const EXPORT = readFileSync(new URL('./fixtures/ghost.json', import.meta.url), 'utf8');
const url = 'https://old.example';

describe('parseGhost', () => {
  it('refuses a file that is not a Ghost export with INVALID_EXPORT', () => {
    for (const json of ['<rss/>', '{"db": [{"data": {}}]}', '[]'])
      expect(() => parseGhost(json, { url })).toThrow(expect.objectContaining({ code: 'INVALID_EXPORT' }));
  });

  it('maps a post: HTML to blocks, feature image with alt and caption, excerpt, authors in order, primary tag as section', () => {
    const { posts } = parseGhost(EXPORT, { url });
    expect(posts[0]!.input).toMatchObject({
      externalId: 'ghost:6751a0c1e4b0a1000100a001',
      slug: 'akhbar-alyawm',
      headline: 'أخبار اليوم',
      standfirst: 'المحادثات مستمرة',
      leadImage: {
        src: 'https://old.example/content/images/2026/12/talks.jpg',
        alt: 'وفود حول الطاولة',
        caption: 'محادثات في القاهرة',
      },
      authors: [{ name: 'محمد علي' }, { name: 'Иван Петров' }],
      section: { name: 'العالم' },
      tags: [{ name: 'مصر' }],
      status: 'published',
      language: 'ar',
    });
    expect(posts[0]!.input.body.map((b) => b.type)).toEqual(['paragraph', 'image', 'crosshead', 'paragraph']);
    expect(posts[0]!.input.body[1]).toMatchObject({ src: 'https://old.example/content/images/2026/12/cairo.jpg' });
    expect(posts[0]!.oldPaths).toEqual(['/akhbar-alyawm']);
  });

  it('skips pages, schedules scheduled posts and makes a draft without HTML paragraphs from its plain text', () => {
    const { posts, skipped } = parseGhost(EXPORT, { url });
    expect(skipped).toEqual([{ ref: 'page 6751a0c1e4b0a1000100a004', reason: 'a page, not a post' }]);
    expect(posts[1]!.input).toMatchObject({ status: 'scheduled', publishedAt: new Date('2027-01-10T09:00:00Z') });
    expect(posts[2]!.input).toMatchObject({ status: 'draft', section: { name: 'News' } });
    expect(posts[2]!.input.body).toHaveLength(2);
  });
});

describeTargets('dateline import-ghost on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  let report: ArchiveImportReport;

  beforeAll(async () => {
    t = await createTestApp({}, target);
    app = t.app;
    report = await importArchive(app.dateline, parseGhost(EXPORT, { url }));
  });
  afterAll(() => t.cleanup());

  it('imports the posts and lays an Arabic article out right to left', async () => {
    expect(report).toMatchObject({ posts: 3, created: 3, failed: [], oldPermalinks: 3 });
    const a = await findArticleBySlug(app.dateline.database.db, 'akhbar-alyawm');
    expect(a?.authors.map((x) => x.name)).toEqual(['محمد علي', 'Иван Петров']);
    const old = await app.inject('/akhbar-alyawm/');
    expect(old.statusCode).toBe(301);
    const page = await app.inject(old.headers.location!);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<article class="article" lang="ar" dir="rtl">');
    expect(page.body).toContain('<h1>أخبار اليوم</h1>');
  });

  it('leaves an old address of a post that is not published a 404', async () => {
    expect((await app.inject('/novosti-dnya')).statusCode).toBe(404);
  });

  it('updates rather than duplicates on a second run', async () => {
    const again = await importArchive(app.dateline, parseGhost(EXPORT, { url }));
    expect(again).toMatchObject({ created: 0, updated: 3, failed: [] });
  });
});
