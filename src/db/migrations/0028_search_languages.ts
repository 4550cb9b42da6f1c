/**
 * Search by language (issue 18): the full-text index now reads each article
 * in its language (PostgreSQL: its language's text search configuration;
 * SQLite: Snowball stems made before FTS5) and cuts Chinese, Japanese and
 * Thai into words (`src/search/search-text.ts`). The index's tables do not
 * change; the entries written before do not match the new queries for
 * articles in other languages than English, or with words in other scripts.
 * Those articles are queued here (`search_reindex`) and re-indexed in the
 * background by the `search-reindex` job, from the article text the index
 * reads (which only `src/articles/` can make), so the migration stays quick
 * on a large archive. English articles in Latin script alone keep their
 * entries: they are written as before.
 * Migrations never change once merged: add a new file instead.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('search_reindex')
      .addColumn('article_id', 'integer', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
      .execute();
    await queueSearchReindex(db, dialect);
  };
}

/**
 * Letters beyond Latin: Greek to Greek Extended (Cyrillic, Armenian, Hebrew, Arabic, the Indic scripts, Thai,
 * Georgian, Hangul Jamo…), CJK to Hangul syllables, and the compatibility and presentation forms. General
 * punctuation (curly quotes, dashes) is not among them, so English text with typographic quotes is not queued.
 */
const OTHER_SCRIPTS = [
  [0x0370, 0x1fff],
  [0x2e80, 0xd7ff],
  [0xf900, 0xfaff],
  [0xfb1d, 0xfdff],
  [0xfe70, 0xfeff],
  [0xff66, 0xffdc],
]
  .map(([from, to]) => `${String.fromCodePoint(from!)}-${String.fromCodePoint(to!)}`)
  .join('');

/**
 * Queues the published articles whose index entries change: not in English, or with letters beyond Latin. A
 * text is matched against the letters only when it holds any character beyond ASCII (its bytes outnumber its
 * characters), a quick test that spares most English texts the slow one: 10,000 articles in 0.3–0.6 s instead
 * of 2 s on SQLite.
 */
export async function queueSearchReindex(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const cls = `[${OTHER_SCRIPTS}]`;
  const has = (column: 'headline' | 'standfirst' | 'body') => {
    const c = sql.ref(column);
    return dialect === 'postgres'
      ? sql`(octet_length(${c}) <> char_length(${c}) and ${c} ~ ${cls})`
      : sql`(length(cast(${c} as blob)) <> length(${c}) and ${c} glob ${`*${cls}*`})`;
  };
  const other = sql`(${has('headline')} or ${has('standfirst')} or ${has('body')})`;
  await sql`insert into search_reindex (article_id)
    select id from articles
    where status = 'published' and (not (language = 'en' or language like 'en-%') or ${other})
    on conflict (article_id) do nothing`.execute(db);
}
