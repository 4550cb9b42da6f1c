/**
 * One article's story link and related list, over a source of candidates and
 * vectors. The incremental engine's source is the database index
 * (`related.service.ts`); a bulk rebuild's is the whole index in memory
 * (`related-bulk.ts`). Both run these same steps, so both give the same
 * stories and lists.
 *
 * @example
 *   const first = await firstCandidates(source, doc);
 *   const link = await storyLinkOf(source, doc, first); // earlier article or undefined
 *   const ranked = await relatedList(source, doc, first);
 */
import type { IndexedDoc } from './related-index.repository.js';
import {
  feedbackWeight,
  floorMatters,
  judgeItem,
  NO_FLOOR,
  RANKING,
  type Ranked,
  rankRelated,
  type SharedNeighbours,
  type SiteFloor,
  STORY,
  similarityTo,
  storyLink,
  timeFactor,
} from './scoring.js';
import { TermWeights } from './term-weights.js';
import { addInto, cosine, fromMap, type SparseVector } from './vector.js';

/** Terms of the article whose postings are read. */
export const QUERY_TERMS = 32;
/** Postings read per term, nearest in time. */
export const PER_TERM = 300;
/** Candidates whose vectors are read and scored, by partial score from the postings. */
export const CANDIDATES = 200;
/** Further candidates brought by the expanded query. */
const EXPANSION_TERMS = 16;
const EXPANSION_CANDIDATES = 50;
/** Stored per article: the page shows up to 5 beyond the story, so a story's own members may fill the rest. */
export const STORED = 10;
export const STORY_MEMBERS_READ = 20;
/**
 * The site's typical best match is the median over its latest this many
 * articles: enough for a steady median (on the young samples, 16 moved the
 * precision of what is shown by up to 4 points, 32 and 64 by 1), few enough
 * to compute in the time of a few dozen lists.
 */
export const TYPICAL_SAMPLE = 64;

/** Where candidates, vectors and stories come from. */
export interface CandidateSource {
  /**
   * The best `limit` candidates for `doc` by partial score over the postings
   * of `terms` (weighed by `query`), nearest in time; never those in `skip`.
   */
  candidateIds(
    doc: IndexedDoc,
    query: SparseVector,
    terms: number[],
    limit: number,
    skip: Set<number>,
  ): Promise<number[]> | number[];
  /** The indexed articles among `ids`, in ascending id order (as the database returns them). */
  readDocs(ids: number[]): Promise<IndexedDoc[]> | IndexedDoc[];
  /** Ids of the story's articles, oldest first. */
  storyMemberIds(storyId: number, limit: number): Promise<number[]> | number[];
  /** The indexed articles published just before `doc`, nearest first. */
  publishedBefore(doc: IndexedDoc, limit: number): Promise<number[]> | number[];
  /** How many articles are indexed. */
  documents(): Promise<number> | number;
  /** The latest `limit` indexed articles, newest first (in publication order, as `publishedBefore`). */
  latest(limit: number): Promise<number[]> | number[];
}

export async function firstCandidates(source: CandidateSource, doc: IndexedDoc): Promise<IndexedDoc[]> {
  const terms = [...doc.vector.terms.slice(0, QUERY_TERMS)];
  const ids = await source.candidateIds(doc, doc.vector, terms, CANDIDATES, new Set([doc.id]));
  return source.readDocs(ids);
}

/** The earlier article whose story `doc` joins, if any (`scoring.ts: storyLink`). */
export async function storyLinkOf(
  source: CandidateSource,
  doc: IndexedDoc,
  candidates: IndexedDoc[],
): Promise<IndexedDoc | undefined> {
  return storyLink(doc, candidates, await source.publishedBefore(doc, STORY.windowArticles));
}

/** An article's nearest, unfloored, best first: its neighbourhood (`RANKING.neighbours`). */
type Nearest = readonly Pick<Ranked, 'id' | 'similarity'>[];

/**
 * Articles' nearest (`nearestOf`) by id, kept while the index does not
 * change: a bulk pass asks each article's once at most.
 */
export type NearestMemo = Map<number, Nearest>;

async function nearestOf(source: CandidateSource, doc: IndexedDoc, memo: NearestMemo): Promise<Nearest> {
  const known = memo.get(doc.id);
  if (known) return known;
  const ranked = await relatedList(source, doc, await firstCandidates(source, doc), RANKING.neighbours);
  const nearest = ranked.map(({ id, similarity }) => ({ id, similarity }));
  memo.set(doc.id, nearest);
  return nearest;
}

/** Whether `id` is among the more similar half of `nearest` (of ten: the five most similar). */
function inCloserHalf(nearest: Nearest, id: number): boolean {
  const own = nearest.find((n) => n.id === id);
  if (!own) return false;
  const similarities = nearest.map((n) => n.similarity).sort((a, b) => b - a);
  return own.similarity >= (similarities[(similarities.length >> 1) - 1] ?? 0);
}

/** The article's query, expanded with its nearest's words, and every candidate read for it. */
async function expand(source: CandidateSource, doc: IndexedDoc, first: IndexedDoc[]) {
  const members = doc.storyId === null ? [] : await source.storyMemberIds(doc.storyId, STORY_MEMBERS_READ);
  const have = new Set([doc.id, ...first.map((c) => c.id)]);
  const candidates = [...first, ...(await source.readDocs(members.filter((id) => !have.has(id))))];
  for (const c of candidates) have.add(c.id);

  const own = TermWeights.of(doc.vector);
  const feedback = candidates
    .map((c) => ({ c, s: cosine(c.vector, own) * timeFactor(c.publishedMs - doc.publishedMs, doc.words) }))
    .sort((a, b) => b.s - a.s)
    .slice(0, RANKING.feedbackDocs);
  const expanded = TermWeights.of(doc.vector);
  const weight = feedbackWeight(doc.words);
  for (const { c, s } of feedback) addInto(expanded, c.vector, weight * s);
  const query = fromMap(expanded);

  const newTerms = [...query.terms].filter((t) => !own.has(t)).slice(0, EXPANSION_TERMS);
  if (newTerms.length > 0) {
    const more = await source.candidateIds(doc, query, newTerms, EXPANSION_CANDIDATES, have);
    candidates.push(...(await source.readDocs(more)));
  }
  return { query, candidates };
}

/** How many of the article's nearest each candidate's own nearest share (`scoring.ts: SharedNeighbours`). */
async function neighbourhood(
  source: CandidateSource,
  doc: IndexedDoc,
  expanded: { query: SparseVector; candidates: IndexedDoc[] },
  memo: NearestMemo,
): Promise<SharedNeighbours> {
  const ranked = await rankRelated(doc, expanded.query, expanded.candidates, RANKING.neighbours);
  memo.set(
    doc.id,
    ranked.map(({ id, similarity }) => ({ id, similarity })),
  );
  const own = new Set(ranked.map((r) => r.id));
  return async (c) => {
    const theirs = await nearestOf(source, c, memo);
    return { shared: theirs.filter((n) => own.has(n.id)).length, mutual: inCloserHalf(theirs, doc.id) };
  };
}

/**
 * The ranked list of an indexed article, with query expansion, above the
 * site's floor (`siteFloor`); where the floor asks an item's neighbourhood,
 * the article's nearest are compared with the item's (`RANKING.neighbours`).
 */
export async function relatedList(
  source: CandidateSource,
  doc: IndexedDoc,
  first: IndexedDoc[],
  limit = STORED,
  site: SiteFloor = NO_FLOOR,
  memo: NearestMemo = new Map(),
): Promise<Ranked[]> {
  const expanded = await expand(source, doc, first);
  const shared = site.neighbourhood ? await neighbourhood(source, doc, expanded, memo) : undefined;
  return rankRelated(doc, expanded.query, expanded.candidates, limit, site, shared);
}

/** Why an item is in an article's list, judged now: what `rankRelated` weighs. */
export type Judged = Pick<Ranked, 'similarity' | 'sameStory' | 'needed' | 'sharedNeighbours' | 'mutual'>;

/**
 * The items `ids` of an article's list judged as `relatedList` judges them
 * today (for the explanation API: the stored list was computed when it was
 * last refreshed, on the index of that day).
 */
export async function judgeItems(
  source: CandidateSource,
  doc: IndexedDoc,
  ids: number[],
  site: SiteFloor,
): Promise<Map<number, Judged>> {
  const expanded = await expand(source, doc, await firstCandidates(source, doc));
  const shared = site.neighbourhood ? await neighbourhood(source, doc, expanded, new Map()) : undefined;
  const similarityOf = similarityTo(doc, expanded.query);
  const own = TermWeights.of(doc.vector);
  const story = doc.storyId ?? doc.id;
  const out = new Map<number, Judged>();
  for (const item of await source.readDocs(ids)) {
    const similarity = similarityOf(item);
    const sameStory = (item.storyId ?? item.id) === story;
    const judged = sameStory
      ? { needed: RANKING.minSimilarity, sharedNeighbours: null, mutual: null }
      : await judgeItem(doc, item, similarity, own, site, shared);
    out.set(item.id, { similarity, sameStory, ...judged });
  }
  return out;
}

/**
 * What the floor of a list needs to know of the site: its size, and the
 * similarity its articles' best matches typically have, the median over the
 * latest `TYPICAL_SAMPLE` articles of their best match's (no floor; 0 for
 * none). Only a young site of at least that many articles computes it
 * (`floorMatters`); it depends on the index alone, so the incremental and the
 * bulk engine agree on it.
 *
 * @example
 *   const site = await siteFloor(source); // { documents: 180, typical: 0.16, neighbourhood: true }
 *   const ranked = await relatedList(source, doc, first, STORED, site);
 */
export async function siteFloor(source: CandidateSource): Promise<SiteFloor> {
  const documents = await source.documents();
  // A handful of best matches says little of a site (a new site's first story would set its floor): the fixed minimum.
  if (!floorMatters(documents) || documents < TYPICAL_SAMPLE) return { documents, typical: 0 };
  const best: number[] = [];
  for (const doc of await source.readDocs(await source.latest(TYPICAL_SAMPLE))) {
    const [top] = await relatedList(source, doc, await firstCandidates(source, doc), 1);
    best.push(top?.similarity ?? 0);
  }
  return { documents, typical: median(best), neighbourhood: true };
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
