/**
 * Content pages in the database: plain functions over Kysely, one row shape
 * turned into one domain shape.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Block } from '../articles/article.js';
import type { ContentPagesTable, Schema } from '../db/schema.js';
import { toDate } from '../lib/time.js';
import type { ContentPage } from './content-page.js';

type Db = Kysely<Schema>;

const toPage = (row: Selectable<ContentPagesTable>): ContentPage => ({
  id: row.id,
  slug: row.slug,
  title: row.title,
  body: JSON.parse(row.body) as Block[],
  position: row.position,
  updatedAt: toDate(row.updated_at),
});

export async function listPages(db: Db): Promise<ContentPage[]> {
  const rows = await db.selectFrom('content_pages').selectAll().orderBy('position').orderBy('title').execute();
  return rows.map(toPage);
}

export async function findPage(db: Db, by: { id: number } | { slug: string }): Promise<ContentPage | undefined> {
  const query = db.selectFrom('content_pages').selectAll();
  const row = await ('id' in by ? query.where('id', '=', by.id) : query.where('slug', '=', by.slug)).executeTakeFirst();
  return row && toPage(row);
}

/** Whether a section already has this address (the section's page would hide the content page). */
export async function sectionHasSlug(db: Db, slug: string): Promise<boolean> {
  return (await db.selectFrom('sections').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined;
}

export interface PageRow {
  slug: string;
  title: string;
  body: Block[];
  position: number;
  updatedAt: Date;
  updatedBy: number | null;
}

export async function insertPage(db: Db, page: PageRow): Promise<number> {
  const row = await db
    .insertInto('content_pages')
    .values({ ...columns(page) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updatePage(db: Db, id: number, page: PageRow): Promise<boolean> {
  const result = await db.updateTable('content_pages').set(columns(page)).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deletePage(db: Db, id: number): Promise<boolean> {
  const result = await db.deleteFrom('content_pages').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

const columns = (page: PageRow) => ({
  slug: page.slug,
  title: page.title,
  body: JSON.stringify(page.body),
  position: page.position,
  updated_at: page.updatedAt.toISOString(),
  updated_by: page.updatedBy,
});
