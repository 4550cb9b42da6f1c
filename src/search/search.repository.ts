/**
 * The full-text index, one function per operation, with the dialect
 * difference kept here: SQLite FTS5 (`articles_fts`, keyed by article id) and
 * PostgreSQL `tsvector` + GIN (`article_search`).
 */
import { type Kysely, sql } from 'kysely';
import type { ArticleIndex, IndexDocument } from '../articles/article-index.js';
import type { Dialect } from '../db/connect.js';
import type { Schema } from '../db/schema.js';

type Db = Kysely<Schema>;

export interface SearchDocument {
  id: number;
  headline: string;
  standfirst: string;
  body: string;
}

export async function indexArticle(db: Db, dialect: Dialect, doc: SearchDocument): Promise<void> {
  await indexArticles(db, dialect, [doc]);
}

/** Adds or replaces these articles' entries, in one statement per 500. */
export async function indexArticles(db: Db, dialect: Dialect, docs: SearchDocument[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 500) {
    const chunk = docs.slice(i, i + 500);
    if (dialect === 'postgres') {
      const rows = chunk.map(
        (doc) => sql`(${doc.id},
          setweight(to_tsvector('english', ${doc.headline}), 'A') ||
          setweight(to_tsvector('english', ${doc.standfirst}), 'B') ||
          setweight(to_tsvector('english', ${doc.body}), 'D'))`,
      );
      await sql`insert into article_search (article_id, document) values ${sql.join(rows)}
        on conflict (article_id) do update set document = excluded.document`.execute(db);
    } else {
      const rows = chunk.map((doc) => sql`(${doc.id}, ${doc.headline}, ${doc.standfirst}, ${doc.body})`);
      await sql`insert or replace into articles_fts (rowid, headline, standfirst, body) values ${sql.join(rows)}`.execute(
        db,
      );
    }
  }
}

export async function removeFromIndex(db: Db, dialect: Dialect, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  const list = sql.join(ids);
  if (dialect === 'postgres') await sql`delete from article_search where article_id in (${list})`.execute(db);
  else await sql`delete from articles_fts where rowid in (${list})`.execute(db);
}

/**
 * The full-text index as the article service writes it, in the save's
 * transaction: searchable the moment the article is visible.
 *
 * @example
 *   createArticleService({ …, indexes: [searchIndex('sqlite')] });
 */
export function searchIndex(dialect: Dialect): ArticleIndex {
  return {
    add: (trx, docs) => indexArticles(trx, dialect, docs.map(searchDocument)),
    remove: (trx, ids) => removeFromIndex(trx, dialect, ids),
  };
}

const searchDocument = ({ id, text }: IndexDocument): SearchDocument => ({
  id,
  headline: text.headline,
  standfirst: text.standfirst,
  body: text.body,
});

/**
 * How many indexed articles contain each term (plain words, stemmed as the
 * index stems them), counted up to `cap`: callers rank terms by rarity, and
 * counting every article that holds a common word would cost the most exactly
 * where it tells the least. One round trip.
 */
export async function documentFrequencies(
  db: Db,
  dialect: Dialect,
  terms: string[],
  cap = 1000,
): Promise<Map<string, number>> {
  const words = [...new Set(terms)].map((term) => ({ term, word: cleanWord(term) })).filter((w) => w.word);
  const out = new Map<string, number>();
  if (words.length === 0) return out;
  const counts = words.map(({ term, word }) =>
    dialect === 'postgres'
      ? sql`select ${term}::text as term, (select count(*) from (select 1 from article_search
          where document @@ plainto_tsquery('english', ${word}) limit ${cap}) m) as n`
      : sql`select ${term} as term, (select count(*) from (select 1 from articles_fts
          where articles_fts match ${`"${word}"`} limit ${cap})) as n`,
  );
  const { rows } = await sql<{ term: string; n: number | string }>`${sql.join(counts, sql` union all `)}`.execute(db);
  for (const r of rows) out.set(r.term, Number(r.n));
  return out;
}

const cleanWord = (t: string): string => t.replace(/[^\p{L}\p{N}]/gu, '');

export interface Match {
  id: number;
  /** Higher is better; comparable only within one query. */
  score: number;
}

/**
 * Articles matching any of `terms` (plain words), best first. Matches in
 * headlines weigh most, then standfirsts, then bodies.
 */
export async function matchAnyTerm(db: Db, dialect: Dialect, terms: string[], limit: number): Promise<Match[]> {
  const words = terms.map(cleanWord).filter(Boolean);
  if (words.length === 0) return [];
  if (dialect === 'postgres') {
    const query = words.join(' | ');
    const { rows } = await sql<{ id: number; score: number }>`
      select article_id as id, ts_rank(document, q) as score
      from article_search, to_tsquery('english', ${query}) q
      where document @@ q order by score desc limit ${limit}`.execute(db);
    return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
  }
  // FTS5 string syntax: each word quoted, OR-ed. bm25() is lower-is-better, so negate it.
  const query = words.map((w) => `"${w}"`).join(' OR ');
  const { rows } = await sql<{ id: number; score: number }>`
    select rowid as id, -bm25(articles_fts, 4.0, 2.0, 1.0) as score
    from articles_fts where articles_fts match ${query} order by bm25(articles_fts, 4.0, 2.0, 1.0) limit ${limit}`.execute(
    db,
  );
  return rows;
}

/**
 * Index maintenance, run daily by a job: on SQLite, merges the FTS5 index's
 * segments and refreshes planner statistics; on PostgreSQL, refreshes the
 * statistics of the tables searches and lists read.
 */
export async function optimizeIndex(db: Db, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`analyze articles`.execute(db);
    await sql`analyze article_search`.execute(db);
    return;
  }
  await sql`insert into articles_fts (articles_fts) values ('optimize')`.execute(db);
  await sql`pragma optimize`.execute(db);
}
