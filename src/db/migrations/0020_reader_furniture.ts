/**
 * The reader's furniture (issue 12):
 * - content pages (About, Contact, Corrections policy…) an admin edits in the
 *   newsroom, linked from every page's footer; three are written here so a new
 *   site has them, in plain words an editor replaces;
 * - `articles.published_day_only`: an imported article whose source gave only
 *   a date (stored as noon UTC) is shown with its date, never a made-up time.
 * Migrations never change once merged: add a new file instead.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../connect.js';

const paragraphs = (...texts: string[]) => JSON.stringify(texts.map((html) => ({ type: 'paragraph', html })));

/** The pages a new site starts with. */
export const SEEDED_PAGES = [
  {
    slug: 'about',
    title: 'About us',
    position: 1,
    body: paragraphs(
      'We are an independent newsroom. We report what we can verify, say where our information comes from, and correct our mistakes in the open.',
      'Our journalists follow our corrections policy and our editors review what we publish.',
    ),
  },
  {
    slug: 'contact',
    title: 'Contact',
    position: 2,
    body: paragraphs(
      'To tell us about a story, a mistake or anything else, write to the newsroom. We read every message.',
    ),
  },
  {
    slug: 'corrections',
    title: 'Corrections policy',
    position: 3,
    body: paragraphs(
      'When we get something wrong, we correct it as soon as we can and say so at the end of the article, with the date of the correction.',
      'An update adds information that was not known when the article was published; a correction fixes an error. Neither removes what was there without saying so.',
    ),
  },
] as const;

export function up(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const ts = pg ? sql`timestamptz` : sql`text`;
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('content_pages')
      .addColumn('id', 'integer', (c) =>
        pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
      )
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('title', 'text', (c) => c.notNull())
      // JSON array of Dateline blocks, as an article's body.
      .addColumn('body', 'text', (c) => c.notNull())
      // Order in the footer; 0 keeps a page out of it.
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', ts, (c) => c.notNull())
      .addColumn('updated_by', 'integer')
      .execute();
    const now = new Date().toISOString();
    for (const page of SEEDED_PAGES) {
      await sql`insert into content_pages (slug, title, body, position, updated_at)
        values (${page.slug}, ${page.title}, ${page.body}, ${page.position}, ${now})`.execute(db);
    }
    await db.schema
      .alterTable('articles')
      .addColumn('published_day_only', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  };
}
