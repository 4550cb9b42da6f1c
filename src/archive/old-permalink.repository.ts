/**
 * Old permalinks of imported articles (`old_permalinks`): recorded by the
 * importers, looked up by the reader face when no route matched.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import { toDate } from '../lib/time.js';

type Db = Kysely<Schema>;

/**
 * Points each path at the article (a path that pointed elsewhere moves: the
 * newest import wins, as re-running an import updates its articles).
 *
 * @example
 *   await recordOldPermalinks(db, 42, ['/2019/05/06/novosti-dnya', '/?p=123']);
 */
export async function recordOldPermalinks(db: Db, articleId: number, paths: string[]): Promise<void> {
  const unique = [...new Set(paths)];
  if (unique.length === 0) return;
  await db
    .insertInto('old_permalinks')
    .values(unique.map((path) => ({ path, article_id: articleId })))
    .onConflict((oc) => oc.column('path').doUpdateSet({ article_id: articleId }))
    .execute();
}

/** What the new address of a published article is made of, or undefined (no such path, or not published). */
export interface MovedArticle {
  slug: string;
  sectionSlug: string;
  publishedAt: Date;
}

/**
 * The published article an old path belongs to: a primary-key probe and a join on two primary keys.
 *
 * @example
 *   await findMovedArticle(db, '/2019/05/06/novosti-dnya'); // { slug: 'novosti-dnya', sectionSlug: 'mir', publishedAt }
 */
export async function findMovedArticle(db: Db, path: string): Promise<MovedArticle | undefined> {
  const row = await db
    .selectFrom('old_permalinks as o')
    .innerJoin('articles as a', 'a.id', 'o.article_id')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select(['a.slug', 's.slug as section_slug', 'a.published_at'])
    .where('o.path', '=', path)
    .where('a.status', '=', 'published')
    .executeTakeFirst();
  if (!row?.published_at) return undefined;
  return { slug: row.slug, sectionSlug: row.section_slug, publishedAt: toDate(row.published_at) };
}
