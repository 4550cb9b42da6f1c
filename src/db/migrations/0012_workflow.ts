/**
 * The newsroom's workflow on articles:
 * - `review`: a draft submitted for review (`submitted`) or sent back to its
 *   writer (`returned`), with the editor's `review_note`; null otherwise;
 * - `embargo_until`: nobody may publish the article before this time;
 * - `first_published_at`: when it was first visible to readers, kept when it
 *   is unpublished (an unpublished article is a draft that has one);
 * - `article_revisions`: the article as each save left it (newest first by
 *   id), for history, diffs and restore;
 * - `article_notes`: dated corrections and updates shown on the article page.
 * Status values are unchanged (SQLite cannot alter the status CHECK without
 * rebuilding a table its children cascade from): review states live beside it.
 * Migrations never change once merged: add a new file instead.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const ts = pg ? sql`timestamptz` : sql`text`;
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .alterTable('articles')
      .addColumn('review', 'text', (c) => c.check(sql`review in ('submitted', 'returned')`))
      .execute();
    await db.schema.alterTable('articles').addColumn('review_note', 'text').execute();
    await db.schema.alterTable('articles').addColumn('embargo_until', ts).execute();
    await db.schema.alterTable('articles').addColumn('first_published_at', ts).execute();
    await sql`update articles set first_published_at = published_at where status in ('published', 'archived')`.execute(
      db,
    );
    // The newsroom's list: most recently changed first, filtered by status or section.
    await db.schema.createIndex('articles_updated').on('articles').columns(['updated_at', 'id']).execute();
    await db.schema
      .createIndex('articles_status_updated')
      .on('articles')
      .columns(['status', 'updated_at', 'id'])
      .execute();
    await db.schema
      .createIndex('articles_section_updated')
      .on('articles')
      .columns(['section_id', 'updated_at', 'id'])
      .execute();

    const id = (table: string) =>
      db.schema
        .createTable(table)
        .addColumn('id', 'integer', (c) =>
          pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
        );
    await id('article_revisions')
      .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('saved_at', ts, (c) => c.notNull())
      .addColumn('saved_by', 'integer')
      // JSON: the article as an editor sees it (text, labels, status, times).
      .addColumn('snapshot', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('article_revisions_article')
      .on('article_revisions')
      .columns(['article_id', 'id'])
      .execute();

    await id('article_notes')
      .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('correction', 'update')`))
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('noted_at', ts, (c) => c.notNull())
      .addColumn('noted_by', 'integer')
      .execute();
    await db.schema
      .createIndex('article_notes_article')
      .on('article_notes')
      .columns(['article_id', 'noted_at'])
      .execute();
  };
}
