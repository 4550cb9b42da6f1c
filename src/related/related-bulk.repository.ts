/**
 * What a bulk pass reads and writes at once: the whole index in publication
 * order (keyset pages), stories and related lists for many articles in a
 * few multi-row statements. Same SQL on SQLite and PostgreSQL, but for the
 * inserts of lists and postings: on PostgreSQL one array per column
 * (`insertColumns`), four parameters per statement instead of four per row.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db/connect.js';
import type { Schema } from '../db/schema.js';
import type { BulkDocInput } from './related-bulk-index.js';

type Db = Kysely<Schema>;

const PAGE = 2000;
const DF_PAGE = 20_000;
/** Rows per statement: under both databases' bound-parameter limits. */
const ROWS = 2000;

export async function countIndexed(db: Db): Promise<number> {
  const row = await db
    .selectFrom('related_docs')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Every indexed article, in publication order (published time, then id), a page at a time. Vectors come as
 * hex text, decoded by the index builder into its own arrays: as binary, each row's vector was a buffer of
 * its own (better-sqlite3) or of the driver's pool (pg), and a million of them, dropped, left the C heap
 * over 100 MB larger through the rest of the pass.
 */
export async function* indexInPublicationOrder(db: Db, dialect: Dialect): AsyncGenerator<BulkDocInput[]> {
  const hexVector =
    dialect === 'postgres' ? sql<string>`encode(vector, 'hex')`.as('vector') : sql<string>`hex(vector)`.as('vector');
  let after: { ms: number; id: number } | undefined;
  for (;;) {
    let query = db
      .selectFrom('related_docs')
      .select(['article_id', 'published_ms', 'words', hexVector, 'simhash', 'story_id'])
      .orderBy('published_ms')
      .orderBy('article_id')
      .limit(PAGE);
    if (after) {
      const { ms, id } = after;
      query = query.where((eb) =>
        eb.or([eb('published_ms', '>', ms), eb.and([eb('published_ms', '=', ms), eb('article_id', '>', id)])]),
      );
    }
    const rows = await query.execute();
    if (rows.length === 0) return;
    const page = rows.map((r) => ({
      id: Number(r.article_id),
      publishedMs: Number(r.published_ms),
      words: Number(r.words),
      vector: r.vector,
      simhash: r.simhash,
      storyId: r.story_id === null ? null : Number(r.story_id),
    }));
    yield page;
    const last = page[page.length - 1] as BulkDocInput;
    after = { ms: last.publishedMs, id: last.id };
    if (rows.length < PAGE) return;
  }
}

/** Every document frequency (term 0: the number of indexed articles), a page at a time. */
export async function* readAllDf(db: Db): AsyncGenerator<[number, number][]> {
  let after: number | undefined;
  for (;;) {
    let query = db.selectFrom('related_df').select(['term', 'df']).orderBy('term').limit(DF_PAGE);
    if (after !== undefined) query = query.where('term', '>', after);
    const rows = await query.execute();
    if (rows.length === 0) return;
    yield rows.map((r) => [Number(r.term), Number(r.df)]);
    after = Number(rows[rows.length - 1]?.term);
    if (rows.length < DF_PAGE) return;
  }
}

/** Which of these articles are in the index. */
export async function indexedAmong(db: Db, ids: number[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (let i = 0; i < ids.length; i += ROWS) {
    const rows = await db
      .selectFrom('related_docs')
      .select('article_id')
      .where('article_id', 'in', ids.slice(i, i + ROWS))
      .execute();
    for (const r of rows) out.add(Number(r.article_id));
  }
  return out;
}

/** Sets many articles' stories: `[articleId, storyId]` pairs. */
export async function storeStories(db: Db, pairs: [number, number][]): Promise<void> {
  for (let i = 0; i < pairs.length; i += ROWS) {
    const part = pairs.slice(i, i + ROWS);
    const values = sql.join(part.map(([id, story]) => sql`(cast(${id} as integer), cast(${story} as integer))`));
    await sql`with v(id, story) as (values ${values})
      update related_docs set story_id = (select story from v where v.id = related_docs.article_id)
      where article_id in (select id from v)`.execute(db);
  }
}

export interface StoredList {
  articleId: number;
  items: { id: number; score: number }[];
}

/** Replaces many articles' stored lists in one transaction. */
export async function storeLists(db: Db, lists: StoredList[], dialect: Dialect = 'sqlite'): Promise<void> {
  if (lists.length === 0) return;
  await db.transaction().execute(async (trx) => {
    const ids = lists.map((l) => l.articleId);
    if (dialect === 'postgres') {
      // Through the primary key, whatever the planner's statistics say: a bulk pass fills the table faster
      // than they follow (never, with autovacuum off), and without them `= any` of 250 ids is estimated at
      // most of the table, so each batch read the whole table (0.9 s at 7 million rows, against 13 ms by the
      // index) and lists slowed as they were written. No JIT either: it compiled each delete (4–8 ms).
      await sql`select set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)`.execute(trx);
      await sql`delete from related_articles where article_id = any(${ids}::int[])`.execute(trx);
      const rows = lists.flatMap((l) => l.items.map((it, rank) => [l.articleId, rank, it.id, it.score]));
      await insertColumns(trx, 'related_articles', ['article_id', 'rank', 'related_id', 'score'], rows, [
        'int',
        'int',
        'int',
        'float8',
      ]);
      return;
    }
    for (let i = 0; i < ids.length; i += ROWS) {
      await trx
        .deleteFrom('related_articles')
        .where('article_id', 'in', ids.slice(i, i + ROWS))
        .execute();
    }
    const rows = lists.flatMap((l) =>
      l.items.map((it, rank) => ({ article_id: l.articleId, rank, related_id: it.id, score: it.score })),
    );
    for (let i = 0; i < rows.length; i += ROWS) {
      await trx
        .insertInto('related_articles')
        .values(rows.slice(i, i + ROWS))
        .execute();
    }
  });
}

export interface PostingRow {
  term: number;
  day: number;
  article_id: number;
  weight: number;
}

/** Rows per transaction of a bulk insert of postings. */
const POSTINGS_PER_TRANSACTION = 50_000;
/** Rows per statement when the columns go as arrays (PostgreSQL). */
const UNNEST_ROWS = 10_000;

/** Inserts postings, given in key order (term, day, article): the index's pages then fill one after the other. */
export async function insertPostings(db: Db, rows: Iterable<PostingRow>, dialect: Dialect = 'sqlite'): Promise<void> {
  let batch: PostingRow[] = [];
  const flush = async () => {
    const rowsNow = batch;
    batch = [];
    if (rowsNow.length === 0) return;
    await db.transaction().execute(async (trx) => {
      if (dialect === 'postgres') {
        for (let i = 0; i < rowsNow.length; i += UNNEST_ROWS)
          await insertColumns(
            trx,
            'related_postings',
            ['term', 'day', 'article_id', 'weight'],
            rowsNow.slice(i, i + UNNEST_ROWS).map((r) => [r.term, r.day, r.article_id, r.weight]),
            ['int', 'int', 'int', 'real'],
          );
        return;
      }
      for (let i = 0; i < rowsNow.length; i += ROWS)
        await trx
          .insertInto('related_postings')
          .values(rowsNow.slice(i, i + ROWS))
          .execute();
    });
  };
  for (const row of rows) {
    batch.push(row);
    if (batch.length >= POSTINGS_PER_TRANSACTION) await flush();
  }
  await flush();
}

/**
 * PostgreSQL: rows inserted as one array per column (`unnest`): four parameters whatever the rows, where a
 * multi-row `values` list has four per row (parsing and binding ten thousand per slice of lists was a good
 * part of the server's time at a million).
 */
async function insertColumns(
  db: Db,
  table: 'related_articles' | 'related_postings',
  names: string[],
  rows: number[][],
  types: ('int' | 'real' | 'float8')[],
): Promise<void> {
  if (rows.length === 0) return;
  const arrays = names.map((_, c) => sql`${rows.map((r) => r[c])}::${sql.raw(types[c] as string)}[]`);
  await sql`insert into ${sql.table(table)} (${sql.join(names.map((n) => sql.ref(n)))})
    select * from unnest(${sql.join(arrays)})`.execute(db);
}
