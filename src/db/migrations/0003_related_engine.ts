/**
 * The related-news engine's own index, the same on both databases:
 * - `related_df`: how many indexed articles carry each feature (term hash →
 *   count); the row with term 0 holds the number of indexed articles.
 * - `related_postings`: for each feature, the articles whose strongest
 *   features include it, keyed by day so a lookup reads the articles nearest
 *   in time first.
 * - `related_docs`: per indexed (published) article, its weighted feature
 *   vector (packed int32 term hash + float32 weight), publication time in ms,
 *   length in words, SimHash of its text, and the story it belongs to.
 * Migrations never change once merged: add a new file instead.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const pg = dialect === 'postgres';
    await db.schema
      .createTable('related_df')
      .addColumn('term', 'integer', (c) => c.primaryKey())
      .addColumn('df', 'integer', (c) => c.notNull())
      .execute();

    const postings = db.schema
      .createTable('related_postings')
      .addColumn('term', 'integer', (c) => c.notNull())
      .addColumn('day', 'integer', (c) => c.notNull())
      .addColumn('article_id', 'integer', (c) => c.notNull())
      .addColumn('weight', 'real', (c) => c.notNull())
      .addPrimaryKeyConstraint('related_postings_pk', ['term', 'day', 'article_id']);
    // No rowid: the primary key is the table, so a posting lookup is one range read.
    await (pg ? postings : postings.modifyEnd(sql`without rowid`)).execute();

    await db.schema
      .createTable('related_docs')
      .addColumn('article_id', 'integer', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
      .addColumn('published_ms', 'double precision', (c) => c.notNull())
      .addColumn('words', 'integer', (c) => c.notNull())
      .addColumn('vector', pg ? 'bytea' : 'blob', (c) => c.notNull())
      .addColumn('simhash', 'text', (c) => c.notNull())
      .addColumn('story_id', 'integer')
      .execute();
    await db.schema
      .createIndex('related_docs_story')
      .on('related_docs')
      .columns(['story_id', 'published_ms'])
      .execute();
  };
}
