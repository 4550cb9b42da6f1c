/**
 * Related news, first version: full-text similarity of an article's headline
 * and standfirst against the index (headline matches weigh most), relative to
 * how well the article matches itself, discounted by distance in time.
 * Computed when an article is published or updated, stored, read from the
 * store on page views. The full engine (entities, clustering) replaces the
 * scoring here without changing this interface.
 */
import type { ArticleSummary } from '../articles/article.js';
import { listPublishedByIds } from '../articles/article-list.repository.js';
import type { Database } from '../db/connect.js';
import { refreshStatistics } from '../db/maintenance.js';
import { toDateOrUndefined } from '../lib/time.js';
import { documentFrequencies, matchAnyTerm } from '../search/search.repository.js';
import { forgetRelated, readRelatedSummaries, storeRelated } from './related.repository.js';
import { distinctiveTerms, tokenize } from './terms.js';

/** Below this share of the article's own match score, a candidate is not related. */
export const MIN_RELEVANCE = 0.2;
/** …and it must share at least this many distinctive words with it. */
export const MIN_SHARED_TERMS = 2;
const CANDIDATES = 30;
/** Words considered from the headline and standfirst… */
const CANDIDATE_TERMS = 16;
/** …of which the rarest ones in the index make the query: they say most, and their short posting lists keep it fast. */
const QUERY_TERMS = 6;
/** A word found in this many articles is common: counting stops there, and it is left out of queries. */
const COMMON_TERM_DOCUMENTS = 1000;
const DAY_MS = 86_400_000;

export interface RelatedService {
  /** Recomputes and stores the list for one article; returns the related ids, best first. */
  refresh(articleId: number): Promise<number[]>;
  /**
   * Refreshes an article's list and the lists of the articles it is related
   * to, so older coverage links forward to a follow-up. Returns the ids of
   * every article whose list was recomputed.
   */
  refreshAround(articleId: number): Promise<number[]>;
  /** Recomputes many lists (after a bulk import), telling `progress` how many are done. */
  refreshMany(articleIds: number[], progress?: (done: number) => void): Promise<void>;
  /** The stored list, as published summaries. */
  read(articleId: number): Promise<ArticleSummary[]>;
  /** Drops an unpublished article from every stored list. */
  forget(articleId: number): Promise<void>;
}

export function createRelatedService(deps: { database: Database; limit?: number }): RelatedService {
  const { db, dialect } = deps.database;
  const limit = deps.limit ?? 5;
  /** Terms found in at least one other article, rarest first. */
  async function rarestTerms(terms: string[]): Promise<string[]> {
    const df = await documentFrequencies(db, dialect, terms, COMMON_TERM_DOCUMENTS);
    const ranked = terms.filter((t) => (df.get(t) ?? 0) >= 2).sort((a, b) => (df.get(a) ?? 0) - (df.get(b) ?? 0));
    // A word in a thousand articles or more says little and costs the most to match: leave it out, unless
    // the article has nothing rarer to offer.
    const telling = ranked.filter((t) => (df.get(t) ?? 0) < COMMON_TERM_DOCUMENTS);
    return (telling.length > 0 ? telling : ranked.slice(0, 2)).slice(0, QUERY_TERMS);
  }

  const service: RelatedService = {
    async refreshAround(articleId) {
      const neighbours = await service.refresh(articleId);
      for (const id of neighbours) await service.refresh(id);
      return [articleId, ...neighbours];
    },
    async refresh(articleId) {
      const article = await db
        .selectFrom('articles')
        .select(['id', 'headline', 'standfirst', 'published_at', 'status'])
        .where('id', '=', articleId)
        .executeTakeFirst();
      if (article?.status !== 'published') {
        await storeRelated(db, articleId, []);
        return [];
      }
      const terms = await rarestTerms(distinctiveTerms(article.standfirst, CANDIDATE_TERMS, article.headline));
      const matches = await matchAnyTerm(db, dialect, terms, CANDIDATES);
      const selfScore = matches.find((m) => m.id === articleId)?.score ?? Math.max(0, ...matches.map((m) => m.score));
      if (selfScore <= 0) {
        await storeRelated(db, articleId, []);
        return [];
      }
      const relevance = new Map(
        matches
          .filter((m) => m.id !== articleId && m.score / selfScore >= MIN_RELEVANCE)
          .map((m) => [m.id, m.score / selfScore]),
      );
      const candidates = await listPublishedByIds(db, [...relevance.keys()]);
      const ranked = rank(candidates, relevance, {
        headline: article.headline,
        standfirst: article.standfirst,
        publishedAt: toDateOrUndefined(article.published_at) ?? new Date(),
      }).slice(0, limit);
      await storeRelated(db, articleId, ranked);
      return ranked.map((r) => r.id);
    },
    async refreshMany(articleIds, progress) {
      if (articleIds.length === 0) return;
      // The planner must know how much the tables grew before they are queried thousands of times, and after.
      await refreshStatistics(deps.database);
      for (let i = 0; i < articleIds.length; i++) {
        await service.refresh(articleIds[i] as number);
        progress?.(i + 1);
      }
      await refreshStatistics(deps.database);
    },
    read: (articleId) => readRelatedSummaries(deps.database.reader, articleId),
    forget: (articleId) => forgetRelated(db, articleId),
  };
  return service;
}

/**
 * Orders candidates by relevance × closeness in time. A candidate must share
 * at least MIN_SHARED_TERMS distinctive words with the article (one common
 * rare word is chance, not a story), and repeats of one headline are dropped.
 */
export function rank(
  candidates: ArticleSummary[],
  relevance: Map<number, number>,
  article: { headline: string; standfirst: string; publishedAt: Date },
): { id: number; score: number }[] {
  const seen = new Set([headlineKey(article.headline)]);
  const own = stems(`${article.headline} ${article.standfirst}`);
  const scored = candidates
    .filter((c) => sharedCount(own, stems(`${c.headline} ${c.standfirst}`)) >= MIN_SHARED_TERMS)
    .map((c) => {
      const days = Math.abs(c.publishedAt.getTime() - article.publishedAt.getTime()) / DAY_MS;
      return { c, score: (relevance.get(c.id) ?? 0) / (1 + days / 14) };
    })
    .sort((a, b) => b.score - a.score || b.c.publishedAt.getTime() - a.c.publishedAt.getTime());
  const out: { id: number; score: number }[] = [];
  for (const { c, score } of scored) {
    const key = headlineKey(c.headline);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ id: c.id, score });
  }
  return out;
}

/** Crude stems (first five letters) so "erupts" and "eruption" count as one word. */
function stems(text: string): Set<string> {
  return new Set(tokenize(text).map((w) => w.slice(0, 5)));
}

function sharedCount(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const w of b) if (a.has(w)) n++;
  return n;
}

function headlineKey(headline: string): string {
  return headline
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
