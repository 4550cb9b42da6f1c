/**
 * An article's bylines, tags and notes, read in one statement beside its row
 * (`article.repository.ts`): a page view is two statements, not four.
 */
import { type Kysely, sql } from 'kysely';
import { prepared } from '../db/prepared.js';
import type { Schema } from '../db/schema.js';
import { toDate } from '../lib/time.js';
import type { ArticleNote, Author, Tag } from './article.js';

type Db = Kysely<Schema>;

/** Which of an article's parts a row of `partsOf` is. */
const AUTHOR = 0;
const TAG = 1;
const NOTE = 2;

/**
 * An article's bylines, tags and notes in one statement (`union all`): a
 * page view is one statement for the row and one for its parts, not four.
 * Each row says which part it is and its place among them (numbered by the
 * database in the order each part always had: bylines by position, tags by
 * name in the database's collation, notes by time).
 */
const partsOf = prepared((db, articleId: number) => {
  // Notes first: PostgreSQL types a union's columns from left to right, and `at` is a time only there.
  const notes = db
    .selectFrom('article_notes as n')
    .select([
      sql<number>`${sql.lit(NOTE)}`.as('part'),
      sql<number>`row_number() over (order by n.noted_at, n.id)`.as('place'),
      'n.id as id',
      'n.kind as key',
      'n.text as text',
      (eb) => eb.ref('n.noted_at').$castTo<Date | string | null>().as('at'),
    ])
    .where('n.article_id', '=', articleId);
  const authors = db
    .selectFrom('article_authors as aa')
    .innerJoin('authors as au', 'au.id', 'aa.author_id')
    .select([
      sql<number>`${sql.lit(AUTHOR)}`.as('part'),
      sql<number>`row_number() over (order by aa.position)`.as('place'),
      'au.id as id',
      'au.slug as key',
      'au.name as text',
      sql<Date | string | null>`null`.as('at'),
    ])
    .where('aa.article_id', '=', articleId);
  const tags = db
    .selectFrom('article_tags as ta')
    .innerJoin('tags as t', 't.id', 'ta.tag_id')
    .select([
      sql<number>`${sql.lit(TAG)}`.as('part'),
      sql<number>`row_number() over (order by t.name)`.as('place'),
      't.id as id',
      't.slug as key',
      't.name as text',
      sql<Date | string | null>`null`.as('at'),
    ])
    .where('ta.article_id', '=', articleId);
  return notes.unionAll(authors).unionAll(tags);
});

type PartRow = Awaited<ReturnType<typeof partsOf>>[number];

/** The rows of one part, in their place. */
function partRows(rows: PartRow[], part: number): PartRow[] {
  return rows.filter((r) => Number(r.part) === part).sort((a, b) => Number(a.place) - Number(b.place));
}

/** An article's bylines in their order, its tags by name, its notes by time. */
export async function readArticleParts(
  db: Db,
  articleId: number,
): Promise<{ authors: Author[]; tags: Tag[]; notes: ArticleNote[] }> {
  const parts = await partsOf(db, articleId);
  const named = (part: number) => partRows(parts, part).map((r) => ({ id: Number(r.id), slug: r.key, name: r.text }));
  return {
    authors: named(AUTHOR),
    tags: named(TAG),
    notes: partRows(parts, NOTE).map((n) => ({
      kind: n.key as ArticleNote['kind'],
      text: n.text,
      at: toDate(n.at ?? new Date(0)),
    })),
  };
}
