/**
 * How related two articles are, and which story an article joins. Pure
 * functions over indexed vectors; the service feeds them candidates from the
 * index. The constants were chosen on the development corpora (UCI same-story
 * labels, BBC and Reuters topics; see bench/README.md) and kept round.
 *
 * @example
 *   const ranked = rankRelated(article, query, candidates); // [{ id, score, similarity, sameStory }]
 */
import type { IndexedDoc } from './related-index.repository.js';
import { TermWeights } from './term-weights.js';
import {
  cosine,
  cosineWithPairs,
  hammingDistance,
  type SparseVector,
  scalePairs,
  sharedBreadth,
  type WeightLookup,
} from './vector.js';

const HOUR_MS = 3_600_000;

export const RANKING = {
  /** Same-story coverage comes within hours: closeness in time counts on this scale… */
  timeScaleMs: 1.5 * HOUR_MS,
  /**
   * …but the longer an article, the more its words alone say: an article of
   * n words keeps (n / (n + this))² of its text similarity however far apart
   * in time (a headline-only wire brief relies on time; a long feature on text).
   */
  lengthForHalfTime: 35,
  /** Members of the article's story go first at equal text evidence. */
  storyBonus: 0.05,
  /** Below this text similarity (after query expansion) a candidate is unrelated: fewer items beat wrong ones. */
  minSimilarity: 0.02,
  /**
   * The floor that adapts to the site. Beyond the article's story, an item
   * needs a text similarity of at least y × the larger of `shownFloor` and
   * the site's typical best match (`SiteFloor.typical`: the median, over its
   * latest articles, of the similarity of each one's best match), where y is
   * the site's `youth` (1 up to `youngSite` articles, fading beyond). An item
   * is judged against what the site's own articles usually find: wire copy
   * sharing boilerplate, or one headline carried by several publishers, make
   * high similarities ordinary (young Reuters sites: typically 0.16–0.31,
   * UCI's headlines 0.58–0.75), and there a fixed floor let a quarter of what
   * was shown be unrelated. `shownFloor` is the least evidence on any site:
   * where most articles have nothing related, their typical best match is
   * itself a chance match (the demo site: 0.13, when a Person of the Year
   * article's closest unrelated item, Hong Kong's protests, is at 0.16). It
   * was 0.2 alone; at 0.17 young BBC sites of 200, typically 0.16–0.18, show
   * two items instead of 1.9. A young site, where an article's best match is
   * often no relation at all, shows two good items or none rather than five
   * weak ones; a large archive, whose lists are full of real matches, keeps
   * them. A fixed 0.14 on the score cut BBC's P@5 from 0.915 to 0.77.
   */
  shownFloor: 0.17,
  youngSite: 500,
  /**
   * …but two long articles on one subject share many words each a little,
   * where a passing mention shares one or two strongly (the Person of the
   * Year article and Hong Kong's protests: "protest", "Hong Kong"). Agreement
   * spread over at least `broadFeatures` features (`sharedBreadth`) needs
   * `broadFloor` of that floor: BBC young sites of 200 showed 1.0 item per
   * article (P@5 0.19) with a fixed floor alone, 1.9 (0.35) with this; 8 features
   * let the jet-board article list plane crashes again.
   */
  broadFeatures: 10,
  broadFloor: 0.4,
  /**
   * …and, on a site with a measured floor, how many of the article's
   * `neighbours` nearest articles (its unfloored list) are also among the
   * item's own nearest: related articles sit in one neighbourhood, a chance
   * match shares a word or two but not its company (shared-nearest-neighbour
   * similarity, Jarvis–Patrick). With s shared, an item needs
   * `lonely` × 2^(−s ÷ `neighbourHalving`) of the floor (at most `sure`):
   * twice the floor with none shared, the floor itself at about three, a
   * third of it at six. Below the floor the neighbourhood vouches only for
   * an item that counts the article in the more similar half of its own
   * nearest (else an article whose nearest are all one other subject's
   * would find that subject's articles vouching for each other: the Person
   * of the Year is the sixth nearest of five Hong Kong protest articles, at
   * 0.10–0.15 after their 0.27–0.50 for each other), and only as far as the
   * texts say anything (`textShare` of the shorter, to the power 1.5: the
   * cube of words ÷ (words + `lengthForHalfTime`)): a headline's nearest are
   * too few words apart to vouch for a weak match.
   * On the young samples of 200 (seeds 1–6) items above the floor with at
   * most two shared were 0–93% on topic (UCI none) against 89–99% with six
   * or more. BBC's young sites of 200 went from 1.75–2.09 items per article
   * to 2.04–2.33 (seeds 1–12), UCI's and Reuters' precision within 0.01 of
   * before, mostly higher (bench/README.md, "Shared neighbours").
   */
  neighbours: 10,
  lonely: 2.5,
  neighbourHalving: 2,
  sure: 2,
  /**
   * Nearest neighbours folded into the query (pseudo-relevance feedback,
   * Rocchio-style: each weighted by its score), and their weight for an
   * article with no text. Ten at weight 3 instead of three at 1 raised all
   * three development corpora alike (same-story P@5 0.900 → 0.911, BBC 0.911
   * → 0.915, Reuters 0.705 → 0.712); the neighbours' vocabulary is what a
   * short article lacks.
   */
  feedbackDocs: 10,
  feedbackWeight: 3,
  /**
   * Headline word pairs in ranking, for an article no longer than a headline
   * (a wire brief, an aggregator's link): there they are half the features and
   * at full weight would decide alone (same-story P@5 0.90 → 0.89), so they
   * weigh a quarter. Story links use them in full (a shared pair is strong
   * evidence of one event).
   */
  pairWeight: 0.25,
  /**
   * Longer than this, an article has a body, and its headline's pairs name
   * its subject among a hundred other features: full weight (topical P@5 on
   * Reuters 0.698 → 0.705, BBC 0.910 → 0.911, same-story unchanged).
   */
  headlineWords: 25,
} as const;

export const STORY = {
  /**
   * A story link needs similarity × exp(−distance) of at least `threshold`,
   * where the distance is the larger of hours apart ÷ `timeScaleMs` and
   * articles published in between ÷ `articleScale`: time alone merged
   * neighbouring stories once more news was published per hour (UCI with
   * dates squeezed tenfold: BCubed F1 0.87 → 0.74) and everything when no
   * dates were given (0.06); counting articles holds across densities and
   * without dates (0.88 on all three in a simulation of the rule).
   */
  timeScaleMs: 3 * HOUR_MS,
  articleScale: 10,
  threshold: 0.05,
  /** …and never spans more than this, nor more than `windowArticles` articles. */
  windowMs: 24 * HOUR_MS,
  windowArticles: 100,
} as const;

/**
 * Near-duplicate text: SimHashes this close, for texts long enough for
 * SimHash to mean something. Unrelated texts differ in about 32 of 64 bits
 * (standard deviation 4); a wire story re-headlined with a credit line added
 * differs in about 9 at 45 words, fewer when longer.
 */
const NEAR_DUPLICATE_BITS = 10;
const NEAR_DUPLICATE_MIN_WORDS = 30;

/** How much an article's words alone can say, from 0 (no text) towards 1 (a long article). */
export function textShare(words: number): number {
  const share = words / (words + RANKING.lengthForHalfTime);
  return share * share;
}

/** The weight of time between an article (of `words` words) and a candidate `dtMs` apart. */
export function timeFactor(dtMs: number, words: number): number {
  const floor = textShare(words);
  return floor + (1 - floor) * Math.exp(-Math.abs(dtMs) / RANKING.timeScaleMs);
}

/**
 * How much the best matches are folded into the query: fully for a headline
 * (few words, so it needs its neighbours' vocabulary), little for a long
 * article that already says what it is about.
 */
export function feedbackWeight(words: number): number {
  return RANKING.feedbackWeight * (1 - textShare(words));
}

/** Whether two articles are copies of one text (the same wire story from two sources). */
export function nearDuplicates(a: Pick<IndexedDoc, 'simhash' | 'words'>, b: Pick<IndexedDoc, 'simhash' | 'words'>) {
  if (a.words < NEAR_DUPLICATE_MIN_WORDS || b.words < NEAR_DUPLICATE_MIN_WORDS) return a.simhash === b.simhash;
  return hammingDistance(a.simhash, b.simhash) <= NEAR_DUPLICATE_BITS;
}

/**
 * The earlier article an article's story link goes to, if any is strong
 * enough. `before` lists the articles published just before it, nearest
 * first (up to `STORY.windowArticles`). Stories grow as articles arrive: a
 * link only ever points back in time, so an article's story is settled once,
 * when it is published.
 */
export function storyLink(
  article: IndexedDoc,
  candidates: IndexedDoc[],
  before: readonly number[],
): IndexedDoc | undefined {
  const apart = new Map(before.map((id, i) => [id, i + 1]));
  let best: IndexedDoc | undefined;
  let bestScore: number = STORY.threshold;
  const own = TermWeights.of(article.vector);
  for (const c of candidates) {
    const between = apart.get(c.id);
    if (between === undefined) continue;
    const dt = Math.abs(c.publishedMs - article.publishedMs);
    if (dt > STORY.windowMs) continue;
    const distance = Math.max(dt / STORY.timeScaleMs, between / STORY.articleScale);
    const score = cosine(c.vector, own) * Math.exp(-distance);
    if (score >= bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

export interface Ranked {
  id: number;
  score: number;
  /** Text similarity to the (expanded) query. */
  similarity: number;
  sameStory: boolean;
  /** The similarity the item needed to be shown (`clearsFloor`; the minimum for the article's own story). */
  needed: number;
  /** How many of the article's nearest are also the item's, where that was asked (`RANKING.neighbours`), else null. */
  sharedNeighbours: number | null;
  /** Whether the article is in the closer half of the item's nearest, where that was asked, else null. */
  mutual: boolean | null;
}

/** How much headline word pairs count when ranking for an article of `words` words. */
export function pairWeight(words: number): number {
  return words > RANKING.headlineWords ? 1 : RANKING.pairWeight;
}

/** An article's text similarity to a candidate: to its (expanded) query, headline pairs weighed by `pairWeight`. */
export function similarityTo(article: IndexedDoc, query: SparseVector): (candidate: IndexedDoc) => number {
  const pairs = pairWeight(article.words);
  const q = TermWeights.of(scalePairs(query, pairs));
  return (c) => cosineWithPairs(c.vector, q, pairs);
}

/** Candidates scored against a query vector, best first, before de-duplication. */
export function scoreCandidates(article: IndexedDoc, query: SparseVector, candidates: IndexedDoc[]): Ranked[] {
  const story = article.storyId ?? article.id;
  const similarityOf = similarityTo(article, query);
  const out: Ranked[] = [];
  for (const c of candidates) {
    if (c.id === article.id) continue;
    const similarity = similarityOf(c);
    if (similarity < RANKING.minSimilarity) continue;
    const sameStory = (c.storyId ?? c.id) === story;
    const score =
      similarity * timeFactor(c.publishedMs - article.publishedMs, article.words) +
      (sameStory ? RANKING.storyBonus : 0);
    const needed = RANKING.minSimilarity;
    out.push({ id: c.id, score, similarity, sameStory, needed, sharedNeighbours: null, mutual: null });
  }
  return out.sort((a, b) => b.score - a.score || b.id - a.id);
}

/** What the floor knows of the site (`related-list.ts: siteFloor`). */
export interface SiteFloor {
  /** Articles indexed. */
  documents: number;
  /** The similarity of the site's articles' best matches, typically (their median over a sample). */
  typical: number;
  /** Whether an item's neighbourhood is asked (`RANKING.neighbours`): a site with a measured floor. */
  neighbourhood?: boolean;
}

/** No floor beyond the minimum similarity (an archive too large for one to matter). */
export const NO_FLOOR: SiteFloor = { documents: Number.POSITIVE_INFINITY, typical: 0 };

/** An item's neighbourhood beside the article's (`RANKING.neighbours`). */
export interface Neighbourhood {
  /** How many of the article's nearest are also the item's. */
  shared: number;
  /** Whether the article is among the more similar half of the item's nearest. */
  mutual: boolean;
}

/**
 * How many times its floor an item needs with this neighbourhood, the
 * shorter of the two texts being `words` long (`RANKING.lonely`).
 */
export function neighbourFactor({ shared, mutual }: Neighbourhood, words: number): number {
  const factor = Math.min(RANKING.sure, RANKING.lonely * 2 ** (-shared / RANKING.neighbourHalving));
  if (factor >= 1) return factor;
  return mutual ? 1 - textShare(words) ** 1.5 * (1 - factor) : 1;
}

/**
 * How young a site of `documents` articles is: 1 up to `RANKING.youngSite`
 * articles, then fading with the square of `youngSite` ÷ articles (a quarter
 * at 1,000, nothing left of the floor beyond the minimum similarity from
 * about 3,500: `floorMatters`). Fading in proportion kept a floor at UCI's 12,849 headlines,
 * typically 0.7 similar to their best match, and it cut same-story
 * follow-ups that share few words but came within hours (P@5 0.912 →
 * 0.909); an archive of thousands has real matches in its lists (BBC at
 * 2,127 articles: items at 0.03–0.05 are 72% on topic where chance is 20%).
 */
export function youth(documents: number): number {
  return Math.min(1, (RANKING.youngSite / Math.max(1, documents)) ** 2);
}

/** Whether the site is young enough for its typical best match to raise the floor above the minimum similarity. */
export function floorMatters(documents: number): boolean {
  return youth(documents) > RANKING.minSimilarity;
}

/** The similarity an item beyond the article's story needs on this site (`RANKING.shownFloor`). */
export function shownFloor(site: SiteFloor): number {
  return Math.max(RANKING.minSimilarity, youth(site.documents) * Math.max(RANKING.shownFloor, site.typical));
}

/**
 * The similarity an item beyond the article's story needs: the site's floor,
 * `broadFloor` of it when the two agree broadly, times `neighbourFactor` when
 * its neighbourhood was asked (`shared`, with the shorter text's `words`).
 */
export function neededSimilarity(
  broad: boolean,
  site: SiteFloor,
  neighbourhood?: Neighbourhood & { words: number },
): number {
  const floor = shownFloor(site) * (broad ? RANKING.broadFloor : 1);
  const factor = neighbourhood ? neighbourFactor(neighbourhood, neighbourhood.words) : 1;
  return Math.max(RANKING.minSimilarity, floor * factor);
}

/** Whether an item beyond the article's story is shown (`neededSimilarity`). */
export function clearsFloor(
  similarity: number,
  broad: boolean,
  site: SiteFloor,
  neighbourhood?: Neighbourhood & { words: number },
): boolean {
  return similarity >= neededSimilarity(broad, site, neighbourhood);
}

/** A candidate's neighbourhood beside the article's. */
export type SharedNeighbours = (candidate: IndexedDoc) => Promise<Neighbourhood> | Neighbourhood;

/**
 * What an item beyond the article's story needs (`neededSimilarity`), its
 * neighbourhood asked (`shared`) only where the site's floor asks it and the
 * answer can decide: below what even a full neighbourhood would need, or
 * above what none would, it is not asked.
 */
export async function judgeItem(
  article: IndexedDoc,
  item: IndexedDoc,
  similarity: number,
  own: WeightLookup,
  site: SiteFloor,
  shared?: SharedNeighbours,
): Promise<Pick<Ranked, 'needed' | 'sharedNeighbours' | 'mutual'>> {
  const broad = sharedBreadth(item.vector, own) >= RANKING.broadFeatures;
  if (!shared || !site.neighbourhood)
    return { needed: neededSimilarity(broad, site), sharedNeighbours: null, mutual: null };
  const words = Math.min(article.words, item.words);
  const least = neededSimilarity(broad, site, { shared: RANKING.neighbours, mutual: true, words });
  const most = neededSimilarity(broad, site, { shared: 0, mutual: false, words });
  if (similarity < least) return { needed: least, sharedNeighbours: null, mutual: null };
  if (similarity >= most) return { needed: most, sharedNeighbours: null, mutual: null };
  const n = await shared(item);
  return { needed: neededSimilarity(broad, site, { ...n, words }), sharedNeighbours: n.shared, mutual: n.mutual };
}

/**
 * The related list: scored candidates, at most one per near-duplicate group
 * (and never a copy of the article itself), `limit` long at most; beyond the
 * article's story, only items above the site's floor (`clearsFloor`). Where
 * the floor asks an item's neighbourhood (`site.neighbourhood`), `shared`
 * counts it, asked only of items the answer can decide.
 */
export async function rankRelated(
  article: IndexedDoc,
  query: SparseVector,
  candidates: IndexedDoc[],
  limit: number,
  site: SiteFloor = NO_FLOOR,
  shared?: SharedNeighbours,
): Promise<Ranked[]> {
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const own = TermWeights.of(article.vector);
  const chosen: IndexedDoc[] = [article];
  const out: Ranked[] = [];
  for (const r of scoreCandidates(article, query, candidates)) {
    const c = byId.get(r.id) as IndexedDoc;
    if (!r.sameStory) {
      Object.assign(r, await judgeItem(article, c, r.similarity, own, site, shared));
      if (r.similarity < r.needed) continue;
    }
    if (chosen.some((k) => nearDuplicates(k, c))) continue;
    chosen.push(c);
    out.push(r);
    if (out.length >= limit) break;
  }
  return out;
}
