import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { articleInput, createTestApp, describeTargets, type TestApp } from '../../test/helpers.js';
import { findArticleBySlug } from '../articles/article.repository.js';
import { importFile } from './import.service.js';

const published = '2026-12-05T09:00:00Z';
const body = (text: string) => `${text}\n\n${text} ${text}`;

/** One record a line; the line numbers are those the report names (the first line starts with a BOM). */
const records = [
  {
    id: 'ru:1',
    title: 'Новости дня',
    body: body('Киев и Москва ответили.'),
    section: 'Мир',
    tags: ['Россия', 'Україна'],
    authors: ['Иван Петров'],
    language: 'ru',
    dateline: 'Київ',
    published,
  },
  {
    id: 'zh:1',
    title: '今日新闻',
    body: body('东京和北京的新闻。'),
    section: '国际',
    tags: '东京;北京',
    authors: ['李明'],
    language: 'zh',
    published,
  },
  {
    id: 'emoji:1',
    title: '💥💥💥',
    body: body('🔥 🎉'),
    section: '💥',
    tags: ['🔥'],
    authors: [{ name: '🙂', slug: '"><x' }],
    published,
  },
  {
    id: 'ar:1',
    title: 'أخبار اليوم',
    body: body('قال المتحدث إن المحادثات ستستمر.'),
    section: 'العالم',
    tags: ['مصر'],
    authors: [{ name: 'محمد علي', slug: '../../media/x' }],
    language: 'ar',
    published,
  },
  {
    id: 'nul:1',
    title: 'Null\u0000 byte\u0007 story',
    body: body('Text\u0000 with a NUL.'),
    category: ['World', 'Control characters'],
    authors: [{ name: 'Long Slug', slug: 'a'.repeat(150) }],
    published,
  },
  { id: 'date:1', title: 'Leap', body: body('x'), published: '2024-02-30' },
  { id: 'slug:1', title: 'Bad slug', body: body('x'), slug: '"><x', published },
  { id: 'lang:1', title: 'Bad language', body: body('x'), language: '"><x', published },
];

describeTargets('importing articles in any language on $dialect', (target) => {
  let t: TestApp;
  let app: FastifyInstance;
  let dir: string;
  let report: Awaited<ReturnType<typeof importFile>>;

  beforeAll(async () => {
    t = await createTestApp({}, target);
    app = t.app;
    dir = mkdtempSync(join(tmpdir(), 'dateline-import-lang-'));
    const file = join(dir, 'world.jsonl');
    writeFileSync(file, `\ufeff${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
    report = await importFile(app.dateline, file, { related: false });
  });
  afterAll(async () => {
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const db = () => app.dateline.database.db;

  it('imports every script, reading past a byte-order mark, and reports each bad record by line and reason', () => {
    expect(report.created).toBe(5);
    expect(report.failed.map((f) => f.line)).toEqual([6, 7, 8]);
    expect(report.failed[0]!.reason).toMatch(/published: is not a day of the calendar/);
    expect(report.failed[1]!.reason).toMatch(/^slug:/);
    expect(report.failed[2]!.reason).toMatch(/^language:/);
  });

  it('keeps Cyrillic sections, tags and authors, with transliterated slugs', async () => {
    const a = await findArticleBySlug(db(), 'novosti-dnya');
    expect(a?.headline).toBe('Новости дня');
    expect(a?.section).toMatchObject({ slug: 'mir', name: 'Мир' });
    expect(a?.tags.map((x) => [x.slug, x.name])).toEqual([
      ['rossiya', 'Россия'],
      ['ukrayina', 'Україна'],
    ]);
    expect(a?.authors.map((x) => [x.slug, x.name])).toEqual([['ivan-petrov', 'Иван Петров']]);
    expect(a?.language).toBe('ru');
  });

  it('gives text with no Latin spelling a stable id for a slug, and drops nothing', async () => {
    const zh = await findArticleBySlug(db(), (await slugOf('今日新闻'))!);
    expect(zh?.slug).toMatch(/^u[a-z0-9]{14}$/);
    expect(zh?.tags.map((x) => x.name)).toEqual(['东京', '北京']);
    expect(zh?.authors.map((x) => x.name)).toEqual(['李明']);
    const emoji = await findArticleBySlug(db(), (await slugOf('💥💥💥'))!);
    expect(emoji?.section.name).toBe('💥');
    expect(emoji?.tags.map((x) => x.name)).toEqual(['🔥']);
    expect(emoji?.authors[0]).toMatchObject({ name: '🙂' });
    expect(emoji?.authors[0]?.slug).toMatch(/^u[a-z0-9]{14}$/);
  });

  it('re-derives an author slug given in the file that could not be an address', async () => {
    const ar = await findArticleBySlug(db(), 'akhbar-alywm');
    expect(ar?.authors.map((x) => x.slug)).toEqual(['mhmd-ely']);
    const nul = await findArticleBySlug(db(), 'null-byte-story');
    expect(nul?.authors.map((x) => x.slug)).toEqual(['long-slug']);
  });

  it('strips NUL and other control characters, and takes category as an array', async () => {
    const a = await findArticleBySlug(db(), 'null-byte-story');
    expect(a?.headline).toBe('Null byte story');
    expect(JSON.stringify(a?.body)).not.toMatch(/\\u0000/);
    expect(a?.section.name).toBe('World');
    expect(a?.tags.map((x) => x.name)).toEqual(['Control Characters']);
  });

  it('serves every article, section, tag and author page, with links that stay on the site', async () => {
    const home = await app.inject('/');
    const hrefs = [...home.body.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.filter((h) => h.startsWith('//'))).toEqual([]);
    for (const headline of ['Новости дня', '今日新闻', '💥💥💥', 'أخبار اليوم']) {
      const href = new RegExp(`<a href="(/[^"]+)">${headline}</a>`).exec(home.body)?.[1];
      expect(href, headline).toBeDefined();
      const page = await app.inject(href!);
      expect(page.statusCode, href).toBe(200);
      expect(page.body).toContain(`<h1>${headline}</h1>`);
    }
    for (const path of ['/mir', '/tag/rossiya', '/author/ivan-petrov']) {
      const page = await app.inject(path);
      expect(page.statusCode, path).toBe(200);
      expect(page.body).toContain('Новости дня');
    }
  });

  it('marks an article in another language with its language and direction: Arabic runs right to left', async () => {
    const page = await app.inject(`/${(await findArticleBySlug(db(), 'akhbar-alywm'))!.section.slug}`);
    const href = /<a href="(\/[^"]+)">أخبار اليوم<\/a>/.exec(page.body)?.[1];
    const article = await app.inject(href!);
    expect(article.body).toMatch(/<html lang="en" dir="ltr">/);
    expect(article.body).toContain('<article class="article" lang="ar" dir="rtl">');
    // In lists among articles in other languages, each card finds its own direction.
    expect(page.body).toMatch(/<li class="card" dir="auto"><h[23] class="card-title"><a href="[^"]+">أخبار اليوم<\/a>/);
  });

  it('strips NUL from an article saved through the service too (the newsroom, the API), on every database', async () => {
    const saved = await app.dateline.articles.save(
      articleInput({ headline: 'Saved\u0000 here', standfirst: 'x\u0000y', tags: [{ name: 'T\u0000ag' }] }),
    );
    const a = await findArticleBySlug(db(), saved.slug);
    expect([a?.headline, a?.standfirst, a?.tags[0]?.name]).toEqual(['Saved here', 'xy', 'Tag']);
  });

  it("gives records that name no language the one asked for (the command line asks for the site's)", async () => {
    const file = join(dir, 'uk.jsonl');
    writeFileSync(file, JSON.stringify({ id: 'uk:1', title: 'Новини дня', body: body('Текст.'), published }));
    expect((await importFile(app.dateline, file, { related: false, language: 'uk' })).failed).toEqual([]);
    expect((await findArticleBySlug(db(), 'novini-dnya'))?.language).toBe('uk');
  });

  async function slugOf(headline: string): Promise<string | undefined> {
    const row = await db().selectFrom('articles').select('slug').where('headline', '=', headline).executeTakeFirst();
    return row?.slug;
  }
});
