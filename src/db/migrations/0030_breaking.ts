/**
 * Breaking news (issue 19): an article or a live entry flagged as breaking
 * for a time box. The time box is checked whenever the banner is shown, so
 * a flag ends by itself; `ended_at` records an editor ending it early.
 * Migrations never change once merged: add a new file instead.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const ts = pg ? sql`timestamptz` : sql`text`;
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('breaking_news')
      .addColumn('id', 'integer', (c) =>
        pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
      )
      // The banner's words and where it leads (a path on the site), fixed when flagged.
      .addColumn('headline', 'text', (c) => c.notNull())
      .addColumn('href', 'text', (c) => c.notNull())
      // What is breaking: an article, or an entry of a live coverage (exactly one of the two).
      .addColumn('article_id', 'integer', (c) => c.references('articles.id').onDelete('set null'))
      .addColumn('entry_id', 'integer', (c) => c.references('live_entries.id').onDelete('set null'))
      .addColumn('starts_at', ts, (c) => c.notNull())
      .addColumn('ends_at', ts, (c) => c.notNull())
      .addColumn('ended_at', ts)
      .addColumn('created_by', 'integer')
      .execute();
    // Every instance reads the flags whose time box is not over (a handful of rows) on each change.
    await db.schema.createIndex('breaking_news_by_end').on('breaking_news').column('ends_at').execute();
  };
}
