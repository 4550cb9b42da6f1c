/**
 * Published articles newest first, a page at a time by keyset: each page
 * starts strictly after the (publication time, id) of the last article of the
 * page before, so articles published meanwhile never shift a page, and page
 * 10,000 costs what page 1 does. For the content API (and any program that
 * walks the archive).
 *
 * Which index walks the list depends on the filters: a tag's or an author's
 * join rows (`article_tags_tag_published`, `article_authors_author_published`,
 * whose `published_at` is null unless published), else a section's
 * (`articles_section_status_published`), else `articles_status_published`.
 * Further filters are checked on the rows the walk meets (see
 * docs/DATABASE.md: a rare combination walks the larger list).
 *
 * @example
 *   const first = await listPublishedPage(db, { sectionId: 3 }, undefined, 20);
 *   const last = first.at(-1)!;
 *   const next = await listPublishedPage(db, { sectionId: 3 }, { publishedAt: last.publishedAt, id: last.id }, 20);
 */
import type { ExpressionBuilder, Kysely, SelectQueryBuilder } from 'kysely';
import type { Schema } from '../db/schema.js';
import { toDate } from '../lib/time.js';
import type { ArticleSummary } from './article.js';
import { SUMMARY_COLUMNS, toSummary } from './article-list.repository.js';

type Db = Kysely<Schema>;
// biome-ignore lint/suspicious/noExplicitAny: the page comes from `articles` or from a join table.
type PageQuery = SelectQueryBuilder<Schema, any, { id: number; published_at: Date | string | null }>;

export interface PublishedFilter {
  sectionId?: number;
  tagId?: number;
  authorId?: number;
  /** Published at or after. */
  since?: Date;
  /** Published before. */
  until?: Date;
}

/** Where a page ends: the next one starts strictly after (older than) it. */
export interface KeysetPosition {
  publishedAt: Date;
  id: number;
}

export interface ListedArticle extends ArticleSummary {
  updatedAt: Date;
}

/** Newest first, after `after` (exclusive), at most `limit`. */
export async function listPublishedPage(
  db: Db,
  filter: PublishedFilter,
  after: KeysetPosition | undefined,
  limit: number,
): Promise<ListedArticle[]> {
  const page = pageIds(db, filter, after, limit);
  const rows = await db
    .selectFrom(page.as('p'))
    .innerJoin('articles as a', 'a.id', 'p.id')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select([...SUMMARY_COLUMNS, 'a.updated_at'])
    .where('a.status', '=', 'published')
    .orderBy('p.published_at', 'desc')
    .orderBy('p.id', 'desc')
    .execute();
  return rows.map((r) => ({ ...toSummary(r), updatedAt: toDate(r.updated_at) }));
}

/**
 * The page's ids and publication times, from the driving index. Times are
 * bound as ISO strings: SQLite stores them so (and compares them as text),
 * PostgreSQL reads them as `timestamptz`.
 */
function pageIds(db: Db, f: PublishedFilter, after: KeysetPosition | undefined, limit: number): PageQuery {
  const through = f.tagId !== undefined ? 'tag' : f.authorId !== undefined ? 'author' : undefined;
  if (through) {
    const join = through === 'tag' ? 'article_tags' : 'article_authors';
    const key = through === 'tag' ? f.tagId! : f.authorId!;
    // Both join tables have article_id and published_at; the casts only tell Kysely one builder serves both.
    let q = db
      .selectFrom(`${join} as j` as 'article_tags as j')
      .select(['j.article_id as id', 'j.published_at'])
      .where((through === 'tag' ? 'j.tag_id' : 'j.author_id') as 'j.tag_id', '=', key)
      .where('j.published_at', 'is not', null);
    if (f.since) q = q.where('j.published_at', '>=', f.since.toISOString());
    if (f.until) q = q.where('j.published_at', '<', f.until.toISOString());
    if (after)
      q = q.where(({ eb, refTuple, tuple }) =>
        eb(refTuple('j.published_at', 'j.article_id'), '<', tuple(after.publishedAt.toISOString(), after.id)),
      );
    if (through === 'tag' && f.authorId !== undefined) q = q.where(hasAuthor(f.authorId));
    if (f.sectionId !== undefined) {
      const sectionId = f.sectionId;
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('articles as x')
            .select('x.id')
            .whereRef('x.id', '=', 'j.article_id')
            .where('x.section_id', '=', sectionId),
        ),
      );
    }
    return q.orderBy('j.published_at', 'desc').orderBy('j.article_id', 'desc').limit(limit);
  }
  let q = db.selectFrom('articles').select(['id', 'published_at']).where('status', '=', 'published');
  if (f.sectionId !== undefined) q = q.where('section_id', '=', f.sectionId);
  if (f.since) q = q.where('published_at', '>=', f.since.toISOString());
  if (f.until) q = q.where('published_at', '<', f.until.toISOString());
  if (after)
    q = q.where(({ eb, refTuple, tuple }) =>
      eb(refTuple('published_at', 'id'), '<', tuple(after.publishedAt.toISOString(), after.id)),
    );
  return q.orderBy('published_at', 'desc').orderBy('id', 'desc').limit(limit);
}

function hasAuthor(authorId: number) {
  return ({ exists, selectFrom }: ExpressionBuilder<Schema & { j: Schema['article_tags'] }, 'j'>) =>
    exists(
      selectFrom('article_authors as y')
        .select('y.article_id')
        .whereRef('y.article_id', '=', 'j.article_id')
        .where('y.author_id', '=', authorId),
    );
}

export interface NamedPage {
  id: number;
  slug: string;
  name: string;
  bio?: string;
  photo?: string;
}

type SlugAt = { after: string | undefined } | { is: string };

/** Tags or authors with at least one published article: a name only a draft carries stays unknown. */
async function publicNamed(db: Db, kind: 'tag' | 'author', at: SlugAt, limit: number): Promise<NamedPage[]> {
  const [table, join, key] =
    kind === 'tag'
      ? (['tags', 'article_tags', 'j.tag_id'] as const)
      : (['authors', 'article_authors', 'j.author_id'] as const);
  // Both tables have id, slug and name (tags have no bio or photo: null); the casts only tell Kysely so.
  let q = db
    .selectFrom(`${table} as t` as 'authors as t')
    .select(['t.id', 't.slug', 't.name'])
    .$if(kind === 'author', (b) => b.select(['t.bio', 't.photo']))
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom(`${join} as j` as 'article_authors as j')
          .select('j.article_id')
          .whereRef(key as 'j.author_id', '=', 't.id')
          .where('j.published_at', 'is not', null),
      ),
    );
  if ('is' in at) q = q.where('t.slug', '=', at.is);
  else if (at.after !== undefined) q = q.where('t.slug', '>', at.after);
  const rows = await q.orderBy('t.slug').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    ...(r.bio ? { bio: r.bio } : {}),
    ...(r.photo ? { photo: r.photo } : {}),
  }));
}

/**
 * Public tags or authors by slug (their unique index), after `afterSlug`.
 *
 * @example
 *   const tags = await listNamedPage(db, 'tag', undefined, 100);
 *   const more = await listNamedPage(db, 'tag', tags.at(-1)?.slug, 100);
 */
export function listNamedPage(
  db: Db,
  kind: 'tag' | 'author',
  afterSlug: string | undefined,
  limit: number,
): Promise<NamedPage[]> {
  return publicNamed(db, kind, { after: afterSlug }, limit);
}

/** A tag or an author by slug, only when at least one published article carries it. */
export async function findPublicNamed(db: Db, kind: 'tag' | 'author', slug: string): Promise<NamedPage | undefined> {
  return (await publicNamed(db, kind, { is: slug }, 1))[0];
}
