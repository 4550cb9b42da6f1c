/**
 * Search at scale (issue 12), two tables:
 *
 * - PostgreSQL only, the GIN index of `article_search` keyed by each
 *   document's words and by its block of 4,096 ids (a lexeme `#N` no reader's
 *   word can be), so a search asks the newest blocks first and reads only
 *   their matching rows: a common word read every matching row before.
 * - PostgreSQL only, `article_search_heads`: each article's headline and
 *   standfirst lexemes (the A and B weights of its `article_search`
 *   document, `ts_filter`), kept by a trigger on `article_search` — whatever
 *   writes the document, with whatever parser, the heads follow. A search
 *   ranks its newest 3,000 matches by these small vectors first (a few
 *   hundred bytes, read in place), and the whole document only for the best
 *   500: reading and ranking 3,000 whole documents was half a common word's
 *   time.
 * - Both databases, `search_words`: the words of published headlines and
 *   standfirsts with how many articles used them, for "Did you mean …" in
 *   the empty state: a misspelt word's one-edit neighbours are looked up by
 *   primary key. Filled here from the published articles, then by the
 *   search's index as articles are saved.
 *
 * Migrations never change once merged: add a new file instead.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    if (dialect === 'postgres') await heads(db);
    const words = db.schema
      .createTable('search_words')
      .addColumn('word', 'text', (c) => c.primaryKey())
      .addColumn('articles', 'integer', (c) => c.notNull());
    await (dialect === 'sqlite' ? words.modifyEnd(sql`without rowid`) : words).execute();
    await fillWords(db);
  };
}

async function heads(db: Kysely<unknown>): Promise<void> {
  await sql`create table article_search_heads (
    article_id integer primary key references article_search (article_id) on delete cascade,
    heading tsvector not null)`.execute(db);
  await sql`create function article_search_heads_sync() returns trigger language plpgsql as $$
    begin
      insert into article_search_heads (article_id, heading) values (new.article_id, ts_filter(new.document, '{a,b}'))
      on conflict (article_id) do update set heading = excluded.heading;
      return null;
    end $$`.execute(db);
  await sql`create trigger article_search_heads_sync after insert or update of document on article_search
    for each row execute function article_search_heads_sync()`.execute(db);
  await sql`insert into article_search_heads (article_id, heading)
    select article_id, ts_filter(document, '{a,b}') from article_search`.execute(db);
  // The GIN index keyed by word and by block of 4,096 ids ('#N'), in place of the one by word alone.
  await sql`create index article_search_blocks on article_search
    using gin ((document || ('#' || (article_id / 4096)::text)::tsvector)) with (fastupdate = off)`.execute(db);
  await sql`drop index article_search_document`.execute(db);
}

// The word rule of `src/search/suggest.ts` as it was when this ran.
const WORD = /\p{L}+/gu;

async function fillWords(db: Kysely<unknown>): Promise<void> {
  const counts = new Map<string, number>();
  for (let after = 0; ; ) {
    const { rows } = await sql<{ id: number; headline: string; standfirst: string }>`
      select id, headline, standfirst from articles
      where status = 'published' and id > ${after} order by id limit 2000`.execute(db);
    for (const r of rows) {
      const words = new Set(`${r.headline} ${r.standfirst}`.normalize('NFC').toLowerCase().match(WORD) ?? []);
      for (const w of words) if (w.length >= 3 && w.length <= 24) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    if (rows.length < 2000) break;
    after = Number(rows.at(-1)?.id);
  }
  const all = [...counts].sort(([a], [b]) => (a < b ? -1 : 1));
  for (let i = 0; i < all.length; i += 500) {
    const rows = all.slice(i, i + 500).map(([word, n]) => sql`(${word}, ${n})`);
    await sql`insert into search_words (word, articles) values ${sql.join(rows)}`.execute(db);
  }
}
