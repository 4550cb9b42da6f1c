/**
 * PostgreSQL only: the related postings' primary key carries the weight too
 * (`include (weight)`), so that reading the postings of a term nearest in time
 * is an index-only scan. Without it every posting read fetched its heap row:
 * at a million articles (2.6 GB of postings, far beyond shared buffers) that
 * was most of the 43 ms median of a related-list computation. SQLite's table
 * has no rowid and is its primary key already.
 * Migrations never change once merged: add a new file instead.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    if (dialect !== 'postgres') return;
    await sql`alter table related_postings
      drop constraint related_postings_pk,
      add constraint related_postings_pk primary key (term, day, article_id) include (weight)`.execute(db);
  };
}
