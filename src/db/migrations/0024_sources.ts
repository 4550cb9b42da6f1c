/**
 * Feed sources (`src/sources/`): the feeds polled for articles, each with its
 * settings and status, and the items seen (which article each became). An
 * item is found again by its GUID within its source, or by its URL or
 * canonical URL. Migrations never change once merged: add a new file instead.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const ts = pg ? sql`timestamptz` : sql`text`;
  return async (db: Kysely<unknown>): Promise<void> => {
    const id = <T extends string>(table: string) =>
      db.schema
        .createTable(table)
        .addColumn('id' as T, 'integer', (c) =>
          pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
        );

    await id('sources')
      .addColumn('url', 'text', (c) => c.notNull().unique())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('format', 'text')
      .addColumn('section', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('draft', 'publish')`))
      .addColumn('licence', 'text')
      .addColumn('attribution', 'text')
      .addColumn('interval_seconds', 'integer', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('next_poll_at', ts, (c) => c.notNull())
      .addColumn('claimed_until', ts)
      .addColumn('last_polled_at', ts)
      .addColumn('last_success_at', ts)
      .addColumn('last_error', 'text')
      .addColumn('last_error_at', ts)
      .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('etag', 'text')
      .addColumn('last_modified', 'text')
      .addColumn('items_seen', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('items_created', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('items_updated', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    // The sweep's question: which sources are due?
    await db.schema.createIndex('sources_due').on('sources').columns(['next_poll_at']).execute();

    await id('source_items')
      .addColumn('source_id', 'integer', (c) => c.notNull().references('sources.id').onDelete('cascade'))
      .addColumn('guid', 'text', (c) => c.notNull())
      .addColumn('url', 'text')
      .addColumn('canonical_url', 'text')
      // The article stays when its source is removed; its item rows go with the source.
      .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('item_hash', 'text', (c) => c.notNull())
      .addColumn('written_hash', 'text', (c) => c.notNull())
      .addColumn('seen_at', ts, (c) => c.notNull())
      .addUniqueConstraint('source_items_guid', ['source_id', 'guid'])
      .execute();
    await db.schema.createIndex('source_items_url').on('source_items').columns(['url']).execute();
    await db.schema.createIndex('source_items_canonical').on('source_items').columns(['canonical_url']).execute();
    await db.schema.createIndex('source_items_article').on('source_items').columns(['article_id']).execute();
  };
}
