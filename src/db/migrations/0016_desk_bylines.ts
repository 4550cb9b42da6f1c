/**
 * The newsroom's list filtered by a byline, newest first, at a million
 * articles: each author's articles by id, whatever their state (the older
 * `article_authors_author_published` index orders published ones only).
 * Migrations never change once merged: add a new file instead.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(_dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createIndex('article_authors_author_article')
      .on('article_authors')
      .columns(['author_id', 'article_id'])
      .execute();
  };
}
