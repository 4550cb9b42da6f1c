/**
 * The full-text index, one function per operation, with the dialect
 * difference kept here: SQLite FTS5 (`articles_fts`, keyed by article id) and
 * PostgreSQL `tsvector` + GIN (`article_search`). Each article's text is
 * read in its language (`search-text.ts`): on PostgreSQL with its language's
 * text search configuration, on SQLite pre-stemmed for FTS5's one tokenizer.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { ArticleIndex, IndexDocument } from '../articles/article-index.js';
import type { Dialect } from '../db/connect.js';
import type { Schema } from '../db/schema.js';
import { toDate } from '../lib/time.js';
import type { TsQuery } from './query.js';
import { indexText, pgConfig } from './search-text.js';

type Db = Kysely<Schema>;

export interface SearchDocument {
  id: number;
  headline: string;
  standfirst: string;
  body: string;
  /** The article's language tag; English when absent. */
  language?: string;
}

export async function indexArticle(db: Db, dialect: Dialect, doc: SearchDocument): Promise<void> {
  await indexArticles(db, dialect, [doc]);
}

/** Adds or replaces these articles' entries, in one statement per 500. */
export async function indexArticles(db: Db, dialect: Dialect, docs: SearchDocument[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 500) {
    const chunk = docs.slice(i, i + 500);
    if (dialect === 'postgres') {
      const available = await textSearchConfigs(db);
      const rows = chunk.map((doc) => {
        const lang = doc.language ?? 'en';
        const cfg = regconfig(available, pgConfig(lang));
        const field = (text: string) => untagged(indexText(text, lang, dialect));
        return sql`(${doc.id},
          setweight(to_tsvector(${cfg}, ${field(doc.headline)}), 'A') ||
          setweight(to_tsvector(${cfg}, ${field(doc.standfirst)}), 'B') ||
          setweight(to_tsvector(${cfg}, ${field(doc.body)}), 'D'))`;
      });
      await sql`insert into article_search (article_id, document) values ${sql.join(rows)}
        on conflict (article_id) do update set document = excluded.document`.execute(db);
    } else {
      const rows = chunk.map((doc) => {
        const field = (text: string) => indexText(text, doc.language ?? 'en', dialect);
        return sql`(${doc.id}, ${field(doc.headline)}, ${field(doc.standfirst)}, ${field(doc.body)})`;
      });
      await sql`insert or replace into articles_fts (rowid, headline, standfirst, body) values ${sql.join(rows)}`.execute(
        db,
      );
    }
  }
}

/** Up to `limit` articles waiting to be indexed again (migration 0028), lowest ids first. */
/**
 * The next queued articles, locked for the transaction on PostgreSQL: a writer beside it (an import's second,
 * the job) takes the ones after them instead of writing the same entries.
 */
export async function queuedForReindex(db: Db, limit: number, dialect: Dialect): Promise<number[]> {
  const query = db.selectFrom('search_reindex').select('article_id').orderBy('article_id').limit(limit);
  const rows = await (dialect === 'postgres' ? query.forUpdate().skipLocked() : query).execute();
  return rows.map((r) => Number(r.article_id));
}

/** Queues articles to be indexed again (a bulk save's deferred entries): an id queued twice is queued once. */
export async function queueReindex(db: Db, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 1000)
    await db
      .insertInto('search_reindex')
      .values(ids.slice(i, i + 1000).map((article_id) => ({ article_id })))
      .onConflict((oc) => oc.column('article_id').doNothing())
      .execute();
}

export async function dequeueReindex(db: Db, ids: number[]): Promise<void> {
  if (ids.length > 0) await db.deleteFrom('search_reindex').where('article_id', 'in', ids).execute();
}

/**
 * Text with its angle brackets made spaces. PostgreSQL's parser takes `<GRB>`, even `<TOROMONT INDUSTRIES LTD>`,
 * for an HTML tag and indexes nothing of it; in an article's plain text such brackets hold words (a wire's
 * ticker), which readers search for. (SQLite's tokenizer already splits on them.)
 *
 * @example
 *   untagged('MADAGASCAR <GRB> BUYS'); // 'MADAGASCAR  GRB  BUYS'
 */
export function untagged(text: string): string {
  return text.replace(/[<>]/g, ' ');
}

export async function removeFromIndex(db: Db, dialect: Dialect, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  const list = sql.join(ids);
  if (dialect === 'postgres') await sql`delete from article_search where article_id in (${list})`.execute(db);
  else await sql`delete from articles_fts where rowid in (${list})`.execute(db);
}

/**
 * The full-text index as the article service writes it, in the save's
 * transaction: searchable the moment the article is visible. A bulk save
 * (`deferIndexes`) on PostgreSQL queues its articles instead, in the same
 * transaction, and its caller indexes them meanwhile (`backgroundReindex`).
 *
 * @example
 *   createArticleService({ …, indexes: [searchIndex('sqlite')] });
 */
export function searchIndex(dialect: Dialect): ArticleIndex {
  return {
    add: (trx, docs) => indexArticles(trx, dialect, docs.map(searchDocument)),
    remove: (trx, ids) => removeFromIndex(trx, dialect, ids),
    // A bulk save on PostgreSQL queues its entries, for a second connection to write on the other core
    // (`to_tsvector` and the GIN index are most of the server's work in an import). SQLite has one writer.
    ...(dialect === 'postgres' ? { deferrable: true, defer: queueReindex } : {}),
  };
}

const searchDocument = ({ id, text }: IndexDocument): SearchDocument => ({
  id,
  headline: text.headline,
  standfirst: text.standfirst,
  body: text.body,
  ...(text.language ? { language: text.language } : {}),
});

/** Narrows a search to a section, a tag, an author (slugs) and a publication window ([from, to)). */
export interface MatchFilters {
  section?: string;
  tag?: string;
  author?: string;
  from?: Date;
  to?: Date;
}

/** One published article matching a query: its text relevance (higher is better, within one query) and time. */
export interface MatchRow {
  id: number;
  relevance: number;
  publishedAt: Date;
}

/** The query in each dialect's syntax, from `toFts5` and `toTsquery` (`query.ts`): never raw reader input. */
export interface DialectQuery {
  fts5: string;
  tsquery: TsQuery;
}

let configs: Promise<ReadonlySet<string>> | undefined;

/** The built-in text search configurations of this PostgreSQL, read once per process. */
function textSearchConfigs(db: Db): Promise<ReadonlySet<string>> {
  configs ??= sql<{ name: string }>`select cfgname as name from pg_ts_config
      where cfgnamespace = 'pg_catalog'::regnamespace`
    .execute(db)
    .then(({ rows }) => new Set(rows.map((r) => r.name)))
    .catch((error: unknown) => {
      configs = undefined;
      throw error;
    });
  return configs;
}

/**
 * A text search configuration by name, `english` where this PostgreSQL has none of that name (the newer
 * languages, such as `arabic` or `greek`, came with PostgreSQL 13): an article is never refused for its language.
 */
const regconfig = (available: ReadonlySet<string>, name: string) =>
  sql`${available.has(name) ? name : 'english'}::regconfig`;

/**
 * A PostgreSQL query from its terms: each term `to_tsquery` in every configuration it is tried in, OR'd
 * (`||`); the terms AND'd (`&&`), or for `any` the positive ones OR'd; an exclusion negated (`!!`). A term
 * that is only a stop word in a configuration is empty there, and an empty query drops out of `&&` and `||`.
 */
function tsquerySql(q: TsQuery, available: ReadonlySet<string>) {
  const one = (t: TsQuery['terms'][number]) => {
    const alternatives = sql.join(
      t.alternatives.map((a) => sql`to_tsquery(${regconfig(available, a.config)}, ${a.text})`),
      sql` || `,
    );
    return t.negated ? sql`(!!(${alternatives}))` : sql`(${alternatives})`;
  };
  const positive = q.terms.filter((t) => !t.negated).map(one);
  const negative = q.terms.filter((t) => t.negated).map(one);
  const wanted = q.match === 'all' ? positive : [sql`(${sql.join(positive, sql` || `)})`];
  return sql.join([...wanted, ...negative], sql` && `);
}

/**
 * Published articles matching the query and filters, by text relevance,
 * best first, at most `limit`. Headline matches weigh most, then the
 * standfirst, then the body: FTS5's bm25 with column weights 10/3/1;
 * PostgreSQL's ts_rank with its weights A 1.0 (headline), B 0.4 (standfirst),
 * D 0.1 (body), plus the cover density of the headline alone (ts_rank has no
 * idf and soon reaches 1, so near-copies of a headline with a word moved to
 * the body would tie with the article whose headline holds every word);
 * reading whole documents costs, so only the `limit` best by headline and
 * standfirst are ranked so (headline matches first, then the newest).
 */
export async function matchArticles(
  db: Db,
  dialect: Dialect,
  query: DialectQuery,
  filters: MatchFilters,
  limit: number,
  /** How many of the newest matches are ranked (RANKED_MATCHES; tests take fewer). */
  ranked = RANKED_MATCHES,
  /** PostgreSQL: how long the whole archive may take before the newest blocks answer alone (ARCHIVE_BUDGET_MS). */
  budgetMs = ARCHIVE_BUDGET_MS,
  /** PostgreSQL: when the newest blocks' answer is asked beside the whole archive's, in case it is needed (HEDGE_MS). */
  hedgeMs = HEDGE_MS,
): Promise<MatchRow[]> {
  if (dialect === 'postgres') return matchPostgres(db, query, filters, limit, ranked, budgetMs, hedgeMs);
  // The newest RANKED_MATCHES matches (by id) that pass the filters are ranked, then the best `limit` kept: a
  // word in a tenth of the archive costs about what one in a few thousand articles does.
  // FTS5 yields matches by rowid, newest first, and stops at the limit; CROSS JOIN keeps it the outer loop,
  // and each match's keys come from their own index (migration 0019), not the article's long row.
  const { rows } = await sql<Row>`
    with newest as (
      select a.id, -bm25(articles_fts, 10.0, 3.0, 1.0) as relevance, a.published_at
      from articles_fts cross join articles a indexed by articles_search_keys
      where articles_fts match ${query.fts5} and a.id = articles_fts.rowid and a.status = 'published' ${filterSql(filters)}
      order by articles_fts.rowid desc limit ${ranked})
    select id, relevance, published_at from newest
    order by relevance desc, published_at desc limit ${limit}`.execute(db);
  return rows.map(toMatch);
}

type Row = { id: number; relevance: number; published_at: Date | string };
const toMatch = (r: Row): MatchRow => ({
  id: r.id,
  relevance: Number(r.relevance),
  publishedAt: toDate(r.published_at),
});

/**
 * PostgreSQL's GIN index keys each document with its block of ids as well (`'#N'` for ids N × ID_BLOCK …,
 * migration 0031), so the newest matches can be asked of the newest blocks alone: the index intersects the
 * word with the blocks, and only those rows are read. One statement asks the newest 2 blocks, then — only if
 * they hold fewer than `ranked` matches that pass the filters — the 22 before (on an archive of 48 blocks or
 * more), then — only if still fewer — everything (each step gated by a one-time condition, so a step not needed is not run). A window that holds
 * `ranked` matches holds the newest ones. So a word in half the archive costs what it costs in 8,000
 * articles, and a rare word one more index lookup.
 *
 * What is left unbounded is bounded by time: a phrase of common words rarely side by side has few matches, so
 * every step runs and each document holding all its words is read for their positions (seconds at a million
 * articles), and ranking 500 whole documents is most of a common word's time. The statement runs under a
 * `statement_timeout` of `budgetMs`; cancelled, the search answers from the newest windows alone, their newest
 * `BOUNDED_MATCHES` ranked by headline and standfirst (`article_search_heads`), which costs little whatever the words.
 * That statement is started beside the other once it has run `HEDGE_MS` (a hedged request), so a search cut short
 * answers at its budget.
 */
export const ID_BLOCK = 4096;
const WINDOWS = [2, 22];
/** How long a PostgreSQL search may look through the whole archive and rank whole documents. */
export const ARCHIVE_BUDGET_MS = 80;
/** After how long the bounded statement is asked beside it: one that takes this long may well be cut short. */
export const HEDGE_MS = 20;
/** Of the newest windows' matches, how many a bounded search ranks by headline and standfirst. */
const BOUNDED_MATCHES = 1000;
/** PostgreSQL's code for a statement cancelled by `statement_timeout`. */
const QUERY_CANCELED = '57014';

async function matchPostgres(
  db: Db,
  query: DialectQuery,
  filters: MatchFilters,
  limit: number,
  ranked: number,
  budgetMs: number,
  hedgeMs: number,
): Promise<MatchRow[]> {
  // The bounded answer is asked on a connection of its own once the whole archive has taken `hedgeMs`: by the
  // time the budget runs out it is ready, so a search the budget cuts short answers at the budget, not the budget
  // plus the bounded statement's own time. The answer is the same (the whole archive's when it is in time).
  let ready: Awaited<ReturnType<typeof statementsOf>> | undefined;
  let hedge: Promise<Row[]> | undefined;
  const ask = () => {
    hedge ??= (async () => {
      const { bounded } = ready ?? (await statementsOf(db, query, filters, limit, ranked));
      return (await bounded.execute(db)).rows;
    })();
    // Unused when the whole archive answers in time: its failure then is nobody's.
    hedge.catch(() => {});
    return hedge;
  };
  const timer = setTimeout(ask, hedgeMs);
  try {
    // The budget covers every statement of the search, the newest id's lookup included.
    return await db.transaction().execute(async (trx) => {
      await sql`select set_config('statement_timeout', ${String(budgetMs)}, true)`.execute(trx);
      ready = await statementsOf(trx, query, filters, limit, ranked);
      return (await ready.whole.execute(trx)).rows.map(toMatch);
    });
  } catch (error) {
    if ((error as { code?: string }).code !== QUERY_CANCELED) throw error;
    return (await ask()).map(toMatch);
  } finally {
    clearTimeout(timer);
  }
}

/** The search's two statements: over the whole archive, and over the newest windows alone (`bounded`). */
async function statementsOf(db: Db, query: DialectQuery, filters: MatchFilters, limit: number, ranked: number) {
  const filtered = Object.values(filters).some((v) => v !== undefined);
  const { rows: top } = await sql<{ m: number | null }>`select max(article_id) as m from article_search`.execute(db);
  const last = Math.floor(Number(top[0]?.m ?? 0) / ID_BLOCK);
  const [near = '', far = ''] = [0, WINDOWS[0]!].map((skip, i) =>
    Array.from({ length: WINDOWS[i]! }, (_, k) => `'#${last - skip - k}'`).join(' | '),
  );
  // The second window only where it leaves most of the archive out: on a smaller one, the rest is as cheap.
  const wide = last + 1 >= 2 * (WINDOWS[0]! + WINDOWS[1]!);
  // The index's own expression, word for word (a parameter in place of the constant would not match it).
  const keyed = sql`(s.document || ('#' || (s.article_id / ${sql.lit(ID_BLOCK)})::text)::tsvector)`;
  const scan = (match: RawBuilder<unknown>, gate?: RawBuilder<unknown>) =>
    sql`select s.article_id as id from article_search s, q where numnode(q.q) > 0 ${gate ? sql`and ${gate}` : sql``}
      and ${keyed} @@ ${match}`;
  // The ids of a step that pass the filters (all of them, unfiltered).
  const passing = (step: string) =>
    filtered
      ? sql`select h.id from ${sql.table(step)} h join articles a on a.id = h.id
          where a.status = 'published' ${filterSql(filters)}`
      : sql`select id from ${sql.table(step)}`;
  const count = (step: string) => sql`(select count(*) from (${passing(step)}) c)`;
  // Materialized: the matching ids come from the GIN index in bitmap scans; left to itself, the planner may walk
  // the primary key backwards testing every document, which for a rare word reads them all. A query the parser
  // reduced to nothing (only stop words) matches nothing. Of the newest, the best `limit` by headline and
  // standfirst (`article_search_heads`, small vectors: migration 0031; looked up one by one, as a join the planner
  // may walk the whole table in key order), newest first among equals, are ranked on their whole documents.
  const tsquery = tsquerySql(query.tsquery, await textSearchConfigs(db));
  // Bounded: the newest windows alone, ranked by headline and standfirst; no step reads the whole archive.
  const bounded = sql<Row>`
    with q as (select ${tsquery} as q),
    near as materialized (${scan(sql`(q.q && ${near}::tsquery)`)}),
    ${wide ? sql`far as materialized (${scan(sql`(q.q && ${far}::tsquery)`, sql`${count('near')} < ${ranked}`)}),` : sql``}
    newest as (select id from (${wide ? sql`${passing('near')} union ${passing('far')}` : passing('near')}) x
      order by id desc limit ${Math.min(ranked, BOUNDED_MATCHES)}),
    heads as (select n.id, (select ts_rank(h.heading, q.q) from article_search_heads h where h.article_id = n.id) as head
      from newest n, q order by head desc, n.id desc limit ${limit})
    select h.id, coalesce(h.head, 0) as relevance, a.published_at from heads h join articles a on a.id = h.id
    where a.status = 'published'
    order by relevance desc, a.published_at desc`;
  const whole = sql<Row>`
    with q as (select ${tsquery} as q),
    near as materialized (${scan(sql`(q.q && ${near}::tsquery)`)}),
    ${
      wide
        ? sql`far as materialized (${scan(sql`(q.q && ${far}::tsquery)`, sql`${count('near')} < ${ranked}`)}),
          rest as materialized (${scan(sql`q.q`, sql`${count('near')} + ${count('far')} < ${ranked}`)}),
          newest as (select id from (${passing('near')} union ${passing('far')} union ${passing('rest')}) x
            order by id desc limit ${ranked}),`
        : sql`rest as materialized (${scan(sql`q.q`, sql`${count('near')} < ${ranked}`)}),
          newest as (select id from (${passing('near')} union ${passing('rest')}) x order by id desc limit ${ranked}),`
    }
    heads as (select n.id, (select ts_rank(h.heading, q.q) from article_search_heads h where h.article_id = n.id) as head
      from newest n, q order by head desc, n.id desc limit ${limit}),
    ranked as (select n.id, ts_rank(s.document, q.q) + ts_rank_cd('{0, 0, 0, 1}', s.document, q.q) as relevance
      from heads n join article_search s on s.article_id = n.id, q order by relevance desc limit ${limit})
    select r.id, r.relevance, a.published_at from ranked r join articles a on a.id = r.id
    where a.status = 'published'
    order by r.relevance desc, a.published_at desc`;
  return { whole, bounded };
}

/**
 * Matches ranked per search at most: the newest by id (ids grow with publication, near enough). A news
 * search favours recent articles anyway; a reader after older ones narrows by words or dates.
 */
export const RANKED_MATCHES = 3000;

function filterSql(f: MatchFilters) {
  const parts = [
    f.section === undefined ? undefined : sql`and a.section_id = (select id from sections where slug = ${f.section})`,
    f.tag === undefined
      ? undefined
      : sql`and exists (select 1 from article_tags t join tags g on g.id = t.tag_id
          where t.article_id = a.id and g.slug = ${f.tag})`,
    f.author === undefined
      ? undefined
      : sql`and exists (select 1 from article_authors t join authors g on g.id = t.author_id
          where t.article_id = a.id and g.slug = ${f.author})`,
    f.from === undefined ? undefined : sql`and a.published_at >= ${f.from.toISOString()}`,
    f.to === undefined ? undefined : sql`and a.published_at < ${f.to.toISOString()}`,
  ].filter((p) => p !== undefined);
  return parts.length ? sql.join(parts, sql` `) : sql``;
}

/** Whether an error is the full-text engine refusing a query (a syntax it cannot read), not a failure. */
export function isQueryError(error: unknown): boolean {
  const e = error as { message?: string; code?: string };
  return /fts5|syntax error in tsquery/i.test(e?.message ?? '') || e?.code === '42601';
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

/** The headlines of these articles, by id. */
export async function headlinesOf(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('articles').select(['id', 'headline']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.headline]));
}

/** What a result shows of a published article: its text, section, bylines and publication time. */
export interface ResultRow {
  id: number;
  slug: string;
  headline: string;
  standfirst: string;
  /** JSON array of blocks. */
  body: string;
  publishedAt: Date;
  /** The source gave only a date (shown as that date). */
  publishedDayOnly: boolean;
  section: { slug: string; name: string };
  authors: { slug: string; name: string }[];
}

/** The published articles among `ids`, in no particular order, with their bylines: two reads by key. */
export async function resultRows(db: Db, ids: number[]): Promise<ResultRow[]> {
  if (ids.length === 0) return [];
  const [rows, bylines] = await Promise.all([
    db
      .selectFrom('articles as a')
      .innerJoin('sections as s', 's.id', 'a.section_id')
      .select([
        'a.id',
        'a.slug',
        'a.headline',
        'a.standfirst',
        'a.body',
        'a.published_at',
        'a.published_day_only',
        's.slug as section_slug',
      ])
      .select('s.name as section_name')
      .where('a.id', 'in', ids)
      .where('a.status', '=', 'published')
      .execute(),
    db
      .selectFrom('article_authors as aa')
      .innerJoin('authors as au', 'au.id', 'aa.author_id')
      .select(['aa.article_id', 'au.slug', 'au.name'])
      .where('aa.article_id', 'in', ids)
      .orderBy('aa.article_id')
      .orderBy('aa.position')
      .execute(),
  ]);
  const authors = new Map<number, { slug: string; name: string }[]>();
  for (const b of bylines)
    authors.set(b.article_id, [...(authors.get(b.article_id) ?? []), { slug: b.slug, name: b.name }]);
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    headline: r.headline,
    standfirst: r.standfirst,
    body: r.body,
    publishedAt: toDate(r.published_at ?? new Date(0)),
    publishedDayOnly: r.published_day_only === 1,
    section: { slug: r.section_slug, name: r.section_name },
    authors: authors.get(r.id) ?? [],
  }));
}
