/**
 * The newsroom's headline search on PostgreSQL at scale: each headline's
 * words kept in a stored column (`headline_words`), indexed by GIN, instead of
 * an index on `to_tsvector(headline)`. With the expression index every row the
 * search touched (a bitmap's recheck, or the id-order walk the planner picks
 * for a common word) ran `to_tsvector` again, 30–50 µs a headline: "minist*"
 * over 100,000 articles took 87 ms walking by id and 134 ms for "the*" by the
 * index. Reading a stored value costs a microsecond. SQLite keeps its FTS5
 * table (`article_titles`), which never had the problem.
 * Migrations never change once merged: add a new file instead.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    if (dialect !== 'postgres') return;
    await sql`alter table articles add column headline_words tsvector
      generated always as (to_tsvector('simple', headline)) stored`.execute(db);
    await sql`create index article_headline_words on articles using gin (headline_words)`.execute(db);
    await sql`drop index article_titles`.execute(db);
  };
}
