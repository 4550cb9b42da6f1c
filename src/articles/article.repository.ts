/**
 * Articles in the database. Plain functions taking the database (or a
 * transaction) first; `toArticle` here and `toSummary` in
 * `article-list.repository.ts` are the only places that
 * turn rows into domain objects.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import { prepared } from '../db/prepared.js';
import type { ArticlesTable, Schema } from '../db/schema.js';
import { toDate, toDateOrUndefined } from '../lib/time.js';
import type {
  Article,
  ArticleNote,
  ArticleStatus,
  Author,
  Block,
  Image,
  ReviewState,
  Section,
  Tag,
} from './article.js';
import { articleLinkRows } from './article-batch.repository.js';
import { readArticleParts } from './article-parts.repository.js';

type Db = Kysely<Schema>;
export type ArticleRow = Selectable<ArticlesTable>;
export type NewArticleRow = Insertable<ArticlesTable>;

/** Images are stored as JSON text. */
export function parseImage(json: string | null): Image | undefined {
  return json ? (JSON.parse(json) as Image) : undefined;
}

export function toArticle(
  row: ArticleRow,
  section: Section,
  authors: Author[],
  tags: Tag[],
  notes: ArticleNote[] = [],
): Article {
  const leadImage = parseImage(row.lead_image);
  const publishedAt = toDateOrUndefined(row.published_at);
  return {
    id: row.id,
    ...(row.external_id ? { externalId: row.external_id } : {}),
    slug: row.slug,
    headline: row.headline,
    standfirst: row.standfirst,
    body: JSON.parse(row.body) as Block[],
    ...(leadImage ? { leadImage } : {}),
    authors,
    section,
    tags,
    ...(row.dateline_place ? { datelinePlace: row.dateline_place } : {}),
    status: row.status as ArticleStatus,
    language: row.language,
    ...(publishedAt ? { publishedAt } : {}),
    ...(publishedAt && row.published_day_only ? { publishedDayOnly: true as const } : {}),
    updatedAt: toDate(row.updated_at),
    createdAt: toDate(row.created_at),
    version: Number(row.version),
    ...(row.review ? { review: row.review as ReviewState } : {}),
    ...(row.review_note ? { reviewNote: row.review_note } : {}),
    ...(row.embargo_until ? { embargoUntil: toDate(row.embargo_until) } : {}),
    ...(row.first_published_at ? { firstPublishedAt: toDate(row.first_published_at) } : {}),
    ...(row.created_by != null ? { createdBy: Number(row.created_by) } : {}),
    notes,
    ...(row.source_name
      ? {
          source: {
            name: row.source_name,
            ...(row.source_url ? { url: row.source_url } : {}),
            ...(row.source_licence ? { licence: row.source_licence } : {}),
            ...(row.source_licence_url ? { licenceUrl: row.source_licence_url } : {}),
          },
        }
      : {}),
  };
}

type ArticleWithSectionRow = ArticleRow & { section_slug: string; section_name: string; section_position: number };

/** Articles with their section, in one query. */
function articlesWithSection(db: Db) {
  return db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .selectAll('a')
    .select(['s.slug as section_slug', 's.name as section_name', 's.position as section_position']);
}

const articleBySlug = prepared((db, slug: string) => articlesWithSection(db).where('a.slug', '=', slug));
const articleById = prepared((db, id: number) => articlesWithSection(db).where('a.id', '=', id));

async function loadArticle(db: Db, row: ArticleWithSectionRow | undefined): Promise<Article | undefined> {
  if (!row) return undefined;
  const section = {
    id: row.section_id,
    slug: row.section_slug,
    name: row.section_name,
    position: row.section_position,
  };
  const { authors, tags, notes } = await readArticleParts(db, row.id);
  return toArticle(row, section, authors, tags, notes);
}

export async function findArticleBySlug(db: Db, slug: string): Promise<Article | undefined> {
  return loadArticle(db, (await articleBySlug(db, slug))[0]);
}

export async function findArticleById(db: Db, id: number): Promise<Article | undefined> {
  return loadArticle(db, (await articleById(db, id))[0]);
}

/** What a save needs to know about the article it may update. */
export type ExistingArticle = Pick<
  ArticleRow,
  | 'id'
  | 'slug'
  | 'status'
  | 'published_at'
  | 'published_day_only'
  | 'review'
  | 'review_note'
  | 'embargo_until'
  | 'first_published_at'
>;

/** The columns of `ExistingArticle`. */
export const EXISTING_COLUMNS = [
  'id',
  'slug',
  'status',
  'published_at',
  'published_day_only',
  'review',
  'review_note',
  'embargo_until',
  'first_published_at',
] as const;

/** The article imported from this external id or, failing that, this original URL. */
export async function findArticleIdByOrigin(
  db: Db,
  origin: { externalId?: string; sourceUrl?: string },
): Promise<ExistingArticle | undefined> {
  const columns = EXISTING_COLUMNS;
  if (origin.externalId) {
    const row = await db
      .selectFrom('articles')
      .select(columns)
      .where('external_id', '=', origin.externalId)
      .executeTakeFirst();
    if (row) return row;
  }
  if (origin.sourceUrl) {
    return db.selectFrom('articles').select(columns).where('source_url', '=', origin.sourceUrl).executeTakeFirst();
  }
  return undefined;
}

/** The articles with these external ids, by external id: one query for a whole import batch. */
export async function findArticlesByExternalIds(db: Db, externalIds: string[]): Promise<Map<string, ExistingArticle>> {
  const wanted = [...new Set(externalIds)];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('articles')
    .select([...EXISTING_COLUMNS, 'external_id'])
    .where('external_id', 'in', wanted)
    .execute();
  return new Map(rows.map(({ external_id, ...row }) => [external_id as string, row]));
}

/** Which of these slugs are taken, and by which article. */
export async function slugOwners(db: Db, slugs: string[]): Promise<Map<string, number>> {
  const wanted = [...new Set(slugs)];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('articles').select(['id', 'slug']).where('slug', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.slug, r.id]));
}

export async function isSlugTaken(db: Db, slug: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom('articles').select('id').where('slug', '=', slug);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function insertArticle(db: Db, row: NewArticleRow): Promise<number> {
  const { id } = await db.insertInto('articles').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/**
 * Writes an article's columns and raises its version; with `expectedVersion`,
 * only if it is still at that version. Returns the new version, or undefined
 * when nothing was written.
 */
export async function updateArticle(
  db: Db,
  id: number,
  row: Partial<NewArticleRow>,
  expectedVersion?: number,
): Promise<number | undefined> {
  let query = db
    .updateTable('articles')
    .set((eb) => ({ ...row, version: eb('version', '+', 1) }))
    .where('id', '=', id);
  if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
  const updated = await query.returning('version').executeTakeFirst();
  return updated && Number(updated.version);
}

/** Replaces an article's bylines and tags, copying its publication time onto the join rows. */
export async function replaceArticleLinks(
  db: Db,
  articleId: number,
  links: { authorIds: number[]; tagIds: number[]; publishedAt: string | null },
  options: { isNew?: boolean } = {},
): Promise<void> {
  // A new article has no links to replace.
  if (!options.isNew) {
    await db.deleteFrom('article_authors').where('article_id', '=', articleId).execute();
    await db.deleteFrom('article_tags').where('article_id', '=', articleId).execute();
  }
  const rows = articleLinkRows(articleId, links);
  if (rows.authors.length) await db.insertInto('article_authors').values(rows.authors).execute();
  if (rows.tags.length) await db.insertInto('article_tags').values(rows.tags).execute();
}

export async function countArticles(db: Db): Promise<number> {
  const row = await db
    .selectFrom('articles')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Scheduled articles whose publication time has come, oldest first. */
export async function listDueScheduledIds(db: Db, now: Date): Promise<number[]> {
  const rows = await db
    .selectFrom('articles')
    .select('id')
    .where('status', '=', 'scheduled')
    .where('published_at', '<=', now.toISOString())
    .orderBy('published_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}
