/**
 * Stored related-news lists: computed on publish, read on every page view.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';

type Db = Kysely<Schema>;

export async function storeRelated(db: Db, articleId: number, items: { id: number; score: number }[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('related_articles').where('article_id', '=', articleId).execute();
    if (items.length === 0) return;
    await trx
      .insertInto('related_articles')
      .values(items.map((it, rank) => ({ article_id: articleId, rank, related_id: it.id, score: it.score })))
      .execute();
  });
}

export async function readRelatedIds(db: Db, articleId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('related_articles')
    .select('related_id')
    .where('article_id', '=', articleId)
    .orderBy('rank')
    .execute();
  return rows.map((r) => r.related_id);
}

/** Removes an article from every stored list (it was unpublished). */
export async function forgetRelated(db: Db, articleId: number): Promise<void> {
  await db.deleteFrom('related_articles').where('related_id', '=', articleId).execute();
}
