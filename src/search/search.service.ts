/**
 * Full-text search of published articles, one interface over SQLite FTS5 and
 * PostgreSQL `tsvector` (the dialect SQL is in `search.repository.ts`).
 *
 * A query is parsed (`query.ts`: words all required, `"phrases"`,
 * `-exclusions`, `prefix*`; any input parses), the index ranks the newest
 * 3,000 matches that pass the filters by text relevance (headline ≫
 * standfirst > body: `matchArticles`) and keeps the best MAX_RESULTS, and
 * those are re-ranked here with a recency boost: relevance × (1 + 0.25 ×
 * 2^(−age / 30 days)), so among equally relevant articles the newer comes
 * first, and a month-old article needs a quarter more relevance to pass a
 * new one, a year-old one hardly any; a query that repeats a headline word
 * for word then finds that article first (`headlineFirst`). Only the page's
 * articles are read in full, for their highlighted headline and snippet.
 * When no article has every word, the articles with any of them are shown
 * instead, most first
 * (`partial`); then, or when nothing matched, a `suggestion` may offer the
 * query with its misspelt words corrected (`suggest.ts`), if that finds
 * articles.
 *
 * @example
 *   const search = createSearchService({ database });
 *   const result = await search.search({ q: '"peaceful solution" -crimea', section: 'world' });
 *   result.hits[0]?.headlineHtml; // 'Talks seek a <mark>peaceful</mark> <mark>solution</mark>'
 */
import { type Block, bodyText } from '../articles/article.js';
import type { Database } from '../db/connect.js';
import { highlighter } from './highlight.js';
import { highlightWords, type ParsedQuery, parseQuery, toFts5, toTsquery } from './query.js';
import {
  headlinesOf,
  isQueryError,
  type MatchFilters,
  type MatchRow,
  matchArticles,
  resultRows,
} from './search.repository.js';
import {
  MAX_RESULTS,
  type SearchHit,
  type SearchQueryInput,
  type SearchResult,
  searchQuerySchema,
} from './search.schemas.js';
import { oneEditAway, suggestQuery, wordsToCheck } from './suggest.js';
import { wordCounts } from './suggest.repository.js';

/** Of the ranked matches, how many are looked at for a headline the query repeats word for word. */
const EXACT_HEADLINE_WINDOW = 50;
/** Queries shorter than this are words, not a headline. */
const EXACT_HEADLINE_MIN_WORDS = 3;
const RECENCY_WEIGHT = 0.25;
const RECENCY_HALF_LIFE_DAYS = 30;
const DAY_MS = 86_400_000;

export interface SearchService {
  /** Searches published articles; any query text gives results or an empty list, never an error. */
  search(query: SearchQueryInput): Promise<SearchResult>;
}

export function createSearchService(deps: {
  database: Database;
  now?: () => Date;
  /** The site's language tag (`SITE_LANGUAGE`): a query's words are tried in it (`query.ts`). English by default. */
  language?: string;
  /** Told when the engine refuses a query the parser let through (it should not happen; the reader gets no results). */
  onQueryError?: (error: unknown, q: string) => void;
}): SearchService {
  const { dialect } = deps.database;
  const db = deps.database.reader;
  const now = deps.now ?? (() => new Date());
  const language = deps.language ?? 'en';

  /** "Did you mean": the query with misspelt words corrected (`suggest.ts`), when that finds articles. */
  const suggest = async (parsed: ParsedQuery, filters: MatchFilters): Promise<string | undefined> => {
    const words = wordsToCheck(parsed);
    if (words.length === 0) return undefined;
    const better = suggestQuery(parsed, await wordCounts(db, [...words, ...words.flatMap(oneEditAway)]));
    const fixed = better === undefined ? undefined : parseQuery(better);
    const fts5 = fixed && toFts5(fixed);
    const tsquery = fixed && toTsquery(fixed);
    if (!fts5 || !tsquery) return undefined;
    try {
      return (await matchArticles(db, dialect, { fts5, tsquery }, filters, 1)).length > 0 ? better : undefined;
    } catch (error) {
      if (isQueryError(error)) return undefined;
      throw error;
    }
  };

  /**
   * A query that is a headline word for word (a reader pasting it, a link
   * shared without its address) finds that article first: of the best
   * EXACT_HEADLINE_WINDOW, those whose headline has the query's words in
   * its order, and no other, move to the front, in their order. Relevance
   * alone may not: PostgreSQL's ranking does not weigh a headline's length,
   * and a newer article whose headline holds the same words and more (the
   * next quarter's results of one company, a follow-up) can pass it.
   */
  const headlineFirst = async (ranked: MatchRow[], q: string, parsed: ParsedQuery): Promise<MatchRow[]> => {
    const words = headlineWords(q);
    if (parsed.terms.some((t) => t.negated) || words.split(' ').length < EXACT_HEADLINE_MIN_WORDS) return ranked;
    const window = ranked.slice(0, EXACT_HEADLINE_WINDOW);
    const headlines = await headlinesOf(
      db,
      window.map((m) => m.id),
    );
    const exact = window.filter((m) => headlineWords(headlines.get(m.id) ?? '') === words);
    if (exact.length === 0 || exact.every((m, k) => ranked[k] === m)) return ranked;
    const first = new Set(exact);
    return [...exact, ...ranked.filter((m) => !first.has(m))];
  };

  return {
    async search(input) {
      const query = searchQuerySchema.parse(input);
      const q = query.q.trim();
      const parsed = parseQuery(q, language);
      const base = { q, page: query.page, perPage: query.perPage, total: 0, totalCapped: false, pages: 0, hits: [] };
      if (parsed.terms.length === 0) return { ...base, empty: 'no-query' };
      const fts5 = toFts5(parsed, 'all', language);
      const tsquery = toTsquery(parsed, 'all', language);
      if (fts5 === undefined || tsquery === undefined) return { ...base, empty: 'only-exclusions' };

      let matches: MatchRow[];
      let partial = false;
      try {
        const filters = filtersOf(query);
        matches = await matchArticles(db, dialect, { fts5, tsquery }, filters, MAX_RESULTS + 1);
        // Nothing has every word (a typo, a word one index keeps and the other drops, such as PostgreSQL's
        // "<TAG>"): the articles with most of them, rather than nothing.
        if (matches.length === 0 && parsed.terms.filter((t) => !t.negated).length > 1) {
          const any = { fts5: toFts5(parsed, 'any', language)!, tsquery: toTsquery(parsed, 'any', language)! };
          matches = await matchArticles(db, dialect, any, filters, MAX_RESULTS + 1);
          partial = matches.length > 0;
        }
      } catch (error) {
        if (!isQueryError(error)) throw error;
        deps.onQueryError?.(error, q);
        return base;
      }
      const totalCapped = matches.length > MAX_RESULTS;
      const ranked = await headlineFirst(rerank(matches.slice(0, MAX_RESULTS), now()), q, parsed);
      const start = (query.page - 1) * query.perPage;
      const shown = ranked.slice(start, start + query.perPage);
      const rows = new Map(
        (
          await resultRows(
            db,
            shown.map((m) => m.id),
          )
        ).map((r) => [r.id, r]),
      );
      const marks = highlighter(highlightWords(parsed), language);
      const hits: SearchHit[] = shown.flatMap((m) => {
        const r = rows.get(m.id);
        if (!r) return [];
        const body = bodyText(JSON.parse(r.body) as Block[]);
        return [
          {
            id: r.id,
            slug: r.slug,
            headline: r.headline,
            headlineHtml: marks.mark(r.headline),
            standfirst: r.standfirst,
            snippetHtml: marks.snippet(body || r.standfirst),
            section: r.section,
            authors: r.authors,
            publishedAt: r.publishedAt.toISOString(),
            publishedDayOnly: r.publishedDayOnly,
          },
        ];
      });
      const total = Math.min(matches.length, MAX_RESULTS);
      const suggestion = total === 0 || partial ? await suggest(parsed, filtersOf(query)) : undefined;
      return {
        ...base,
        total,
        totalCapped,
        pages: Math.ceil(total / query.perPage),
        hits,
        ...(partial ? { partial: true } : {}),
        ...(suggestion ? { suggestion } : {}),
      };
    },
  };
}

function filtersOf(query: ReturnType<typeof searchQuerySchema.parse>): MatchFilters {
  return {
    ...(query.section ? { section: query.section } : {}),
    ...(query.tag ? { tag: query.tag } : {}),
    ...(query.author ? { author: query.author } : {}),
    ...(query.from ? { from: new Date(`${query.from}T00:00:00Z`) } : {}),
    // `to` is a day, included: before the start of the next one.
    ...(query.to ? { to: new Date(Date.parse(`${query.to}T00:00:00Z`) + DAY_MS) } : {}),
  };
}

/**
 * A text's words, lower-cased and joined by one space, punctuation and
 * symbols left out: what a headline and a query repeating it share.
 *
 * @example
 *   headlineWords('MARCUS CORP <MRCS> 3RD QTR'); // 'marcus corp mrcs 3rd qtr'
 */
export function headlineWords(text: string): string {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{M}\p{N}]+/gu) ?? []
  ).join(' ');
}

/**
 * Relevance × a recency boost, best first; ties by newer, then higher id.
 *
 * @example
 *   rerank([{ id: 1, relevance: 1, publishedAt: old }, { id: 2, relevance: 1, publishedAt: today }], now); // 2, then 1
 */
export function rerank(matches: MatchRow[], now: Date): MatchRow[] {
  const score = (m: MatchRow) => {
    const ageDays = Math.max(0, (now.getTime() - m.publishedAt.getTime()) / DAY_MS);
    return m.relevance * (1 + RECENCY_WEIGHT * 2 ** (-ageDays / RECENCY_HALF_LIFE_DAYS));
  };
  return matches
    .map((m) => ({ m, s: score(m) }))
    .sort((a, b) => b.s - a.s || b.m.publishedAt.getTime() - a.m.publishedAt.getTime() || b.m.id - a.m.id)
    .map(({ m }) => m);
}
