/**
 * The first schema. Migrations never change once merged: add a new file instead.
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

    await id('sections')
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('description', 'text')
      .execute();

    await id('authors')
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('bio', 'text')
      .execute();

    await id('tags')
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .execute();

    await id('articles')
      .addColumn('external_id', 'text', (c) => c.unique())
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('headline', 'text', (c) => c.notNull())
      .addColumn('standfirst', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('lead_image', 'text')
      .addColumn('section_id', 'integer', (c) => c.notNull().references('sections.id'))
      .addColumn('dateline_place', 'text')
      .addColumn('status', 'text', (c) =>
        c.notNull().check(sql`status in ('draft', 'scheduled', 'published', 'archived')`),
      )
      .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
      .addColumn('published_at', ts)
      .addColumn('updated_at', ts, (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('source_name', 'text')
      .addColumn('source_url', 'text')
      .addColumn('source_licence', 'text')
      .addColumn('source_licence_url', 'text')
      .execute();
    // Latest news and the home page: newest published first.
    await db.schema
      .createIndex('articles_status_published')
      .on('articles')
      .columns(['status', 'published_at', 'id'])
      .execute();
    // Section pages and home page section blocks.
    await db.schema
      .createIndex('articles_section_status_published')
      .on('articles')
      .columns(['section_id', 'status', 'published_at', 'id'])
      .execute();
    await db.schema.createIndex('articles_source_url').on('articles').column('source_url').execute();

    await db.schema
      .createTable('article_authors')
      .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('author_id', 'integer', (c) => c.notNull().references('authors.id'))
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('published_at', ts)
      .addPrimaryKeyConstraint('article_authors_pk', ['article_id', 'author_id'])
      .execute();
    await db.schema
      .createIndex('article_authors_author_published')
      .on('article_authors')
      .columns(['author_id', 'published_at', 'article_id'])
      .execute();

    await db.schema
      .createTable('article_tags')
      .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id'))
      .addColumn('published_at', ts)
      .addPrimaryKeyConstraint('article_tags_pk', ['article_id', 'tag_id'])
      .execute();
    await db.schema
      .createIndex('article_tags_tag_published')
      .on('article_tags')
      .columns(['tag_id', 'published_at', 'article_id'])
      .execute();

    await db.schema
      .createTable('related_articles')
      .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('rank', 'integer', (c) => c.notNull())
      .addColumn('related_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('score', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint('related_articles_pk', ['article_id', 'rank'])
      .execute();
    await db.schema.createIndex('related_articles_related').on('related_articles').column('related_id').execute();

    if (pg) {
      await db.schema
        .createTable('article_search')
        .addColumn('article_id', 'integer', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
        .addColumn('document', sql`tsvector`, (c) => c.notNull())
        .execute();
      // fastupdate off: a pending list left by bulk inserts would make every search scan it until the next vacuum.
      await sql`create index article_search_document on article_search using gin (document) with (fastupdate = off)`.execute(
        db,
      );
    } else {
      // Contentless: the text lives in `articles`; the index stores only terms, keyed by article id.
      await sql`create virtual table articles_fts using fts5(
        headline, standfirst, body, content='', contentless_delete=1,
        tokenize='porter unicode61 remove_diacritics 2')`.execute(db);
    }
  };
}
