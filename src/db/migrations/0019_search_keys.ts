/**
 * Search on SQLite: what a search reads of each match (status, publication
 * time, section) in an index keyed by id, so ranking thousands of matches
 * does not read each article's row — whose body, stored before those
 * columns, spills onto overflow pages that every lookup would walk. On
 * PostgreSQL the heap row is narrow (long bodies are TOASTed), so nothing is
 * needed there. Migrations never change once merged: add a new file instead.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    if (dialect !== 'sqlite') return;
    await db.schema
      .createIndex('articles_search_keys')
      .on('articles')
      .columns(['id', 'status', 'published_at', 'section_id'])
      .execute();
  };
}
