/**
 * Articles carry a version, raised by every save, so that an editor's save
 * based on an older version is refused instead of silently overwriting a
 * colleague's (optimistic concurrency; see `ArticleService.update`).
 * Migrations never change once merged: add a new file instead.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(_dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .alterTable('articles')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
  };
}
