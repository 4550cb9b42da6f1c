/**
 * What sitemaps list, read in key order a batch at a time (keyset: `id >
 * last`), so a sitemap of 50,000 articles never holds more than one batch of
 * rows, and each batch is a range of the primary key whatever the table's
 * size. Lists (sections, tags, authors) come with the time of their newest
 * article, one index lookup each.
 */
import { type Kysely, sql } from 'kysely';
import type { Schema } from '../db/schema.js';
import { toDate } from '../lib/time.js';

type Db = Kysely<Schema>;

export interface SitemapArticle {
  id: number;
  slug: string;
  sectionSlug: string;
  publishedAt: Date;
  updatedAt: Date;
}

export interface NewsArticleRow extends SitemapArticle {
  headline: string;
}

export interface SitemapList {
  id: number;
  slug: string;
  /** When its newest article was published. */
  lastmod: Date;
}

/** The highest id of a table: how many sitemap files of it there are. */
export async function maxId(db: Db, table: 'articles' | 'tags' | 'authors'): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

const toArticle = (r: {
  id: number;
  slug: string;
  section_slug: string;
  published_at: Date | string | null;
  updated_at: Date | string;
}): SitemapArticle => ({
  id: r.id,
  slug: r.slug,
  sectionSlug: r.section_slug,
  publishedAt: toDate(r.published_at ?? r.updated_at),
  updatedAt: toDate(r.updated_at),
});

/** Published articles with `after < id <= last`, in id order, at most `limit`. */
export async function publishedArticlesAfter(
  db: Db,
  range: { after: number; last: number },
  limit: number,
): Promise<SitemapArticle[]> {
  const rows = await db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select(['a.id', 'a.slug', 's.slug as section_slug', 'a.published_at', 'a.updated_at'])
    .where('a.id', '>', range.after)
    .where('a.id', '<=', range.last)
    .where('a.status', '=', 'published')
    .orderBy('a.id')
    .limit(limit)
    .execute();
  return rows.map(toArticle);
}

/** Articles published since a time, newest first (`articles_status_published`). */
export async function publishedSince(db: Db, since: Date, limit: number): Promise<NewsArticleRow[]> {
  const rows = await db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select(['a.id', 'a.slug', 'a.headline', 's.slug as section_slug', 'a.published_at', 'a.updated_at'])
    .where('a.status', '=', 'published')
    .where('a.published_at', '>=', since.toISOString())
    .orderBy('a.published_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...toArticle(r), headline: r.headline }));
}

/** Sections with a published article, and when their newest was published. */
export async function sectionsWithArticles(db: Db): Promise<SitemapList[]> {
  const rows = await db
    .selectFrom('sections as s')
    .select((eb) => [
      's.id',
      's.slug',
      eb
        .selectFrom('articles as a')
        .select((e) => e.fn.max('a.published_at').as('m'))
        .whereRef('a.section_id', '=', 's.id')
        .where('a.status', '=', 'published')
        .as('lastmod'),
    ])
    .orderBy('s.id')
    .execute();
  return withArticles(rows);
}

/**
 * Tags or authors with `after < id <= last` that have a published article, in
 * id order, at most `limit` read (fewer come back: those with none are left out).
 */
export async function listsAfter(
  db: Db,
  kind: 'tags' | 'authors',
  range: { after: number; last: number },
  limit: number,
): Promise<{ lists: SitemapList[]; lastId: number | undefined }> {
  const join = kind === 'tags' ? 'article_tags' : 'article_authors';
  const key = kind === 'tags' ? 'tag_id' : 'author_id';
  // The newest publication time, from the join table's (key, published_at) index: one lookup per row.
  const rows = await db
    .selectFrom(`${kind} as l` as 'tags as l')
    .select([
      'l.id',
      'l.slug',
      sql<
        Date | string | null
      >`(select max(j.published_at) from ${sql.table(join)} j where j.${sql.ref(key)} = l.id)`.as('lastmod'),
    ])
    .where('l.id', '>', range.after)
    .where('l.id', '<=', range.last)
    .orderBy('l.id')
    .limit(limit)
    .execute();
  return { lists: withArticles(rows), lastId: rows.at(-1)?.id };
}

function withArticles(rows: { id: number; slug: string; lastmod: Date | string | null }[]): SitemapList[] {
  return rows.flatMap((r) => (r.lastmod === null ? [] : [{ id: r.id, slug: r.slug, lastmod: toDate(r.lastmod) }]));
}
