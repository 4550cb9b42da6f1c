/**
 * Stored related lists without foreign keys (issue 18, archive speed).
 *
 * Each list row was checked against `articles` twice (`article_id`,
 * `related_id`): on PostgreSQL a trigger per row that looks the article up
 * and locks it, so a row lock, a WAL record and a dirtied `articles` page per
 * check. Storing 100,000 lists (a million rows) cost the server 16.5 CPU
 * seconds with the checks and 6 without; at a million articles the lists
 * phase of an import had one of the two cores. Nothing needs them: articles
 * are never deleted (they are unpublished, and `forgetRelated` takes an
 * unpublished article out of every list), and every read joins the list to
 * published articles, so a row left pointing at nothing is never shown and
 * goes with the list's next refresh.
 *
 * SQLite cannot drop a constraint: the table is made again, rows kept.
 *
 * Migrations never change once merged: add a new file instead.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    if (dialect === 'postgres') {
      await sql`alter table related_articles
        drop constraint if exists related_articles_article_id_fkey,
        drop constraint if exists related_articles_related_id_fkey`.execute(db);
      return;
    }
    await db.schema
      .createTable('related_articles_next')
      .addColumn('article_id', 'integer', (c) => c.notNull())
      .addColumn('rank', 'integer', (c) => c.notNull())
      .addColumn('related_id', 'integer', (c) => c.notNull())
      .addColumn('score', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint('related_articles_pk', ['article_id', 'rank'])
      .execute();
    await sql`insert into related_articles_next (article_id, rank, related_id, score)
      select article_id, rank, related_id, score from related_articles`.execute(db);
    await db.schema.dropTable('related_articles').execute();
    await sql`alter table related_articles_next rename to related_articles`.execute(db);
    await db.schema.createIndex('related_articles_related').on('related_articles').column('related_id').execute();
  };
}
