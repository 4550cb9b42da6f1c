/**
 * Stories count time in articles as well as hours: an article's story link
 * reads the articles published just before it, in publication order, which
 * this index serves at any size. Migrations never change once merged: add a
 * new file instead.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(_dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createIndex('related_docs_published')
      .on('related_docs')
      .columns(['published_ms', 'article_id'])
      .execute();
  };
}
