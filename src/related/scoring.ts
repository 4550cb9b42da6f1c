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
import { cosine, cosineWithPairs, hammingDistance, type SparseVector, scalePairs, sharedBreadth } from './vector.js';

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
}

/** How much headline word pairs count when ranking for an article of `words` words. */
export function pairWeight(words: number): number {
  return words > RANKING.headlineWords ? 1 : RANKING.pairWeight;
}

/** Candidates scored against a query vector, best first, before de-duplication. */
export function scoreCandidates(article: IndexedDoc, query: SparseVector, candidates: IndexedDoc[]): Ranked[] {
  const story = article.storyId ?? article.id;
  const pairs = pairWeight(article.words);
  const q = TermWeights.of(scalePairs(query, pairs));
  const out: Ranked[] = [];
  for (const c of candidates) {
    if (c.id === article.id) continue;
    const similarity = cosineWithPairs(c.vector, q, pairs);
    if (similarity < RANKING.minSimilarity) continue;
    const sameStory = (c.storyId ?? c.id) === story;
    const score =
      similarity * timeFactor(c.publishedMs - article.publishedMs, article.words) +
      (sameStory ? RANKING.storyBonus : 0);
    out.push({ id: c.id, score, similarity, sameStory });
  }
  return out.sort((a, b) => b.score - a.score || b.id - a.id);
}

/** What the floor knows of the site (`related-list.ts: siteFloor`). */
export interface SiteFloor {
  /** Articles indexed. */
  documents: number;
  /** The similarity of the site's articles' best matches, typically (their median over a sample). */
  typical: number;
}

/** No floor beyond the minimum similarity (an archive too large for one to matter). */
export const NO_FLOOR: SiteFloor = { documents: Number.POSITIVE_INFINITY, typical: 0 };

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
 * Whether an item beyond the article's story is shown: its similarity clears
 * the site's floor, or `broadFloor` of it when the two agree broadly.
 */
export function clearsFloor(similarity: number, broad: boolean, site: SiteFloor): boolean {
  return similarity >= Math.max(RANKING.minSimilarity, shownFloor(site) * (broad ? RANKING.broadFloor : 1));
}

/**
 * The related list: scored candidates, at most one per near-duplicate group
 * (and never a copy of the article itself), `limit` long at most; beyond the
 * article's story, only items above the site's floor (`clearsFloor`).
 */
export function rankRelated(
  article: IndexedDoc,
  query: SparseVector,
  candidates: IndexedDoc[],
  limit: number,
  site: SiteFloor = NO_FLOOR,
): Ranked[] {
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const own = TermWeights.of(article.vector);
  const chosen: IndexedDoc[] = [article];
  const out: Ranked[] = [];
  for (const r of scoreCandidates(article, query, candidates)) {
    const c = byId.get(r.id) as IndexedDoc;
    if (!r.sameStory) {
      const broad = sharedBreadth(c.vector, own) >= RANKING.broadFeatures;
      if (!clearsFloor(r.similarity, broad, site)) continue;
    }
    if (chosen.some((k) => nearDuplicates(k, c))) continue;
    chosen.push(c);
    out.push(r);
    if (out.length >= limit) break;
  }
  return out;
}
