/**
 * Lists of published articles as summaries: newest first (optionally in a
 * section), through a tag or an author, or by id. Every list pages through
 * an index before reading rows, so deep pages stay cheap.
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { prepared } from '../db/prepared.js';
import type { Schema } from '../db/schema.js';
import { toDate } from '../lib/time.js';
import type { ArticleSummary } from './article.js';
import { parseImage } from './article.repository.js';

type Db = Kysely<Schema>;

/** The columns of an ArticleSummary, for queries joining `articles as a` and `sections as s`. */
export const SUMMARY_COLUMNS = [
  'a.id',
  'a.slug',
  'a.headline',
  'a.standfirst',
  'a.lead_image',
  'a.published_at',
  'a.published_day_only',
  's.slug as section_slug',
  's.name as section_name',
] as const;

interface SummaryRow {
  id: number;
  slug: string;
  headline: string;
  standfirst: string;
  lead_image: string | null;
  published_at: Date | string | null;
  published_day_only: number;
  section_slug: string;
  section_name: string;
}

export function toSummary(row: SummaryRow): ArticleSummary {
  const leadImage = parseImage(row.lead_image);
  return {
    id: row.id,
    slug: row.slug,
    headline: row.headline,
    standfirst: row.standfirst,
    ...(leadImage ? { leadImage } : {}),
    section: { slug: row.section_slug, name: row.section_name },
    publishedAt: toDate(row.published_at ?? new Date(0)),
    ...(row.published_day_only ? { publishedDayOnly: true as const } : {}),
  };
}

export interface ListOptions {
  limit: number;
  offset?: number;
}

/**
 * List pages page through an index first and fetch whole rows only for the
 * page itself (a "deferred join"): with OFFSET, skipped entries then cost an
 * index step each instead of a row read — page 500 of a section costs about
 * what page 1 does (see docs/DATABASE.md).
 */
/** A page of article ids with their publication time, newest first. */
// biome-ignore lint/suspicious/noExplicitAny: the page may come from `articles` or from a join table.
type PageQuery = SelectQueryBuilder<Schema, any, { id: number; published_at: Date | string | null }>;

function summariesOfPage(db: Db, page: PageQuery) {
  return db
    .selectFrom(page.as('p'))
    .innerJoin('articles as a', 'a.id', 'p.id')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select(SUMMARY_COLUMNS)
    .where('a.status', '=', 'published')
    .orderBy('p.published_at', 'desc')
    .orderBy('p.id', 'desc');
}

function pageOfArticles(db: Db) {
  return db
    .selectFrom('articles')
    .select(['id', 'published_at'])
    .where('status', '=', 'published')
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc');
}

const newest = prepared((db, limit: number, offset: number) =>
  summariesOfPage(db, pageOfArticles(db).limit(limit).offset(offset)),
);
const newestInSection = prepared((db, sectionId: number, limit: number, offset: number) =>
  summariesOfPage(db, pageOfArticles(db).where('section_id', '=', sectionId).limit(limit).offset(offset)),
);

/** Newest published articles, optionally in one section. */
export async function listPublished(db: Db, opts: ListOptions & { sectionId?: number }): Promise<ArticleSummary[]> {
  const offset = opts.offset ?? 0;
  const rows =
    opts.sectionId === undefined
      ? await newest(db, opts.limit, offset)
      : await newestInSection(db, opts.sectionId, opts.limit, offset);
  return rows.map(toSummary);
}

/**
 * Tag and author pages page through a join table whose rows carry the
 * publication time (null unless the article is published), so the page comes
 * from its index alone. Both tables have `article_id` and `published_at`; the
 * casts only tell Kysely's types that one builder serves both.
 */
function newestThrough(join: 'article_tags' | 'article_authors', key: 'tag_id' | 'author_id') {
  return prepared((db, id: number, limit: number, offset: number) =>
    summariesOfPage(
      db,
      db
        .selectFrom(`${join} as j` as 'article_tags as j')
        .select(['j.article_id as id', 'j.published_at'])
        .where(`j.${key}` as 'j.tag_id', '=', id)
        .where('j.published_at', 'is not', null)
        .orderBy('j.published_at', 'desc')
        .orderBy('j.article_id', 'desc')
        .limit(limit)
        .offset(offset),
    ),
  );
}

const newestWithTag = newestThrough('article_tags', 'tag_id');
const newestByAuthor = newestThrough('article_authors', 'author_id');

/** Newest published articles carrying a tag or written by an author. */
export async function listPublishedBy(
  db: Db,
  by: { tagId: number } | { authorId: number },
  opts: ListOptions,
): Promise<ArticleSummary[]> {
  const offset = opts.offset ?? 0;
  const rows =
    'tagId' in by
      ? await newestWithTag(db, by.tagId, opts.limit, offset)
      : await newestByAuthor(db, by.authorId, opts.limit, offset);
  return rows.map(toSummary);
}

/** Published articles by id, in the order of `ids`. */
export async function listPublishedByIds(db: Db, ids: number[]): Promise<ArticleSummary[]> {
  if (ids.length === 0) return [];
  // Status is checked here rather than in SQL so the planner looks rows up by id instead of scanning the status index.
  const rows = await db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select([...SUMMARY_COLUMNS, 'a.status'])
    .where('a.id', 'in', ids)
    .execute();
  const byId = new Map(rows.filter((r) => r.status === 'published').map((r) => [r.id, toSummary(r)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
