/**
 * Old permalinks (issue 18): the address an article had on the platform it
 * was imported from (WordPress, Ghost), so a link to it anywhere on the web
 * answers a 301 to its new address. Looked up only when no route matched, by
 * primary key: one index probe, whatever the archive's size.
 * Migrations never change once merged: add a new file instead.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(_dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('old_permalinks')
      // A path of this site's host, decoded and without a trailing slash (`/2019/05/06/novosti-dnya`).
      .addColumn('path', 'text', (c) => c.primaryKey())
      .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .execute();
    await db.schema.createIndex('old_permalinks_article').on('old_permalinks').column('article_id').execute();
  };
}
