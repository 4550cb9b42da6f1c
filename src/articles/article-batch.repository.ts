/**
 * An import batch's writes and lookups at once (see `article-save.ts`): which
 * original URLs are taken, ids taken ahead from PostgreSQL's sequence, and new
 * articles with their bylines and tags in multi-row inserts.
 */
import { type Kysely, sql } from 'kysely';
import type { Schema } from '../db/schema.js';
import type { NewArticleRow } from './article.repository.js';

type Db = Kysely<Schema>;

/** Which of these original URLs an article already has: one query for a whole import batch. */
export async function takenSourceUrls(db: Db, urls: string[]): Promise<Set<string>> {
  const wanted = [...new Set(urls)];
  if (wanted.length === 0) return new Set();
  const rows = await db.selectFrom('articles').select('source_url').where('source_url', 'in', wanted).execute();
  return new Set(rows.map((r) => r.source_url as string));
}

/** An article's byline and tag rows, as `replaceArticleLinks` writes them. */
export function articleLinkRows(
  articleId: number,
  links: { authorIds: number[]; tagIds: number[]; publishedAt: string | null },
) {
  return {
    authors: links.authorIds.map((author_id, position) => ({
      article_id: articleId,
      author_id,
      position,
      published_at: links.publishedAt,
    })),
    tags: links.tagIds.map((tag_id) => ({ article_id: articleId, tag_id, published_at: links.publishedAt })),
  };
}

/**
 * Ids for new articles taken ahead from PostgreSQL's sequence, one round trip for `count` of them, so that a
 * bulk save can write its new articles in multi-row inserts (`insertArticlesWithLinks`). Ids not used are
 * skipped, as a rolled-back insert's are.
 */
export async function reserveArticleIds(db: Db, count: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select nextval(pg_get_serial_sequence('articles', 'id'))::integer as id from generate_series(1, ${count})`.execute(
    db,
  );
  return rows.map((r) => Number(r.id));
}

/** New articles with their ids, then their bylines and tags, in multi-row inserts. */
export async function insertArticlesWithLinks(
  db: Db,
  articles: (NewArticleRow & { id: number })[],
  links: ReturnType<typeof articleLinkRows>[],
): Promise<void> {
  // PostgreSQL takes at most 65,535 parameters a statement: about 30 columns a row, so 1,000 rows at most.
  for (let i = 0; i < articles.length; i += 1000)
    await db
      .insertInto('articles')
      .values(articles.slice(i, i + 1000))
      .execute();
  const authors = links.flatMap((l) => l.authors);
  const tags = links.flatMap((l) => l.tags);
  for (let i = 0; i < authors.length; i += 5000)
    await db
      .insertInto('article_authors')
      .values(authors.slice(i, i + 5000))
      .execute();
  for (let i = 0; i < tags.length; i += 5000)
    await db
      .insertInto('article_tags')
      .values(tags.slice(i, i + 5000))
      .execute();
}
