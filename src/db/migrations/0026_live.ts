/**
 * Live coverage (issue 19): a coverage of a developing story, and its
 * entries, each an independent row so that several editors post at once
 * without conflicts.
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
      .createTable('live_coverages')
      .addColumn('id', 'integer', (c) =>
        pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
      )
      .addColumn('slug', 'text', (c) => c.notNull())
      .addColumn('headline', 'text', (c) => c.notNull())
      .addColumn('standfirst', 'text', (c) => c.notNull().defaultTo(''))
      // live | paused | ended; ended is final (the coverage is locked).
      .addColumn('status', 'text', (c) => c.notNull())
      // The story: an article of it (its related-news story is the coverage's story).
      .addColumn('article_id', 'integer', (c) => c.references('articles.id').onDelete('set null'))
      .addColumn('started_at', ts, (c) => c.notNull())
      .addColumn('ended_at', ts)
      .addColumn('created_by', 'integer')
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('live_entries')
      .addColumn('id', 'integer', (c) =>
        pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
      )
      .addColumn('coverage_id', 'integer', (c) => c.notNull().references('live_coverages.id').onDelete('cascade'))
      // JSON array of Dateline blocks, sanitized as an article's body.
      .addColumn('body', 'text', (c) => c.notNull())
      // JSON array of the authors' names, as shown.
      .addColumn('authors', 'text', (c) => c.notNull())
      // published | in_review | deleted (kept for the audit trail, never shown).
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('key_event', 'text')
      .addColumn('correction', 'text')
      .addColumn('article_id', 'integer', (c) => c.references('articles.id').onDelete('set null'))
      .addColumn('created_by', 'integer')
      .addColumn('posted_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();
    // Readers' pages and the stream read a coverage's shown entries newest first, by id (keyset).
    await db.schema.createIndex('live_entries_by_coverage').on('live_entries').columns(['coverage_id', 'id']).execute();
  };
}
