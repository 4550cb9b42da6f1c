/**
 * Ranking and clustering metrics for `bench:related`. Pure functions, no I/O.
 *
 * @example
 *   scoreRanking(['b', 'x', 'c'], new Set(['b', 'c']), 5) // { precision: 1, recall: 1, ndcg: 0.92… }
 */

export interface RankingScore {
  /** Relevant in the top k ÷ min(k, number of relevant): a perfect list scores 1 even when fewer than k exist. */
  precision: number;
  /** Relevant in the top k ÷ number of relevant. */
  recall: number;
  /** Binary-relevance nDCG@k; the ideal list has min(k, number of relevant) relevant items first. */
  ndcg: number;
}

/** Scores one ranked list against the set of relevant ids. `relevant` must be non-empty. */
export function scoreRanking<T>(ranked: readonly T[], relevant: ReadonlySet<T>, k: number): RankingScore {
  if (relevant.size === 0) throw new Error('scoreRanking needs at least one relevant item');
  const top = ranked.slice(0, k);
  let hits = 0;
  let dcg = 0;
  top.forEach((id, i) => {
    if (relevant.has(id)) {
      hits++;
      dcg += 1 / Math.log2(i + 2);
    }
  });
  const ideal = Math.min(k, relevant.size);
  let idcg = 0;
  for (let i = 0; i < ideal; i++) idcg += 1 / Math.log2(i + 2);
  return { precision: hits / ideal, recall: hits / relevant.size, ndcg: dcg / idcg };
}

/**
 * The mean of per-query differences a − b and its standard error: whether one
 * method beats another on the same queries by more than the sampling noise
 * (a difference under two standard errors is a tie).
 */
export function pairedDifference(a: readonly number[], b: readonly number[]): { mean: number; se: number } {
  if (a.length !== b.length) throw new Error('pairedDifference needs scores of the same queries');
  const n = a.length;
  if (n === 0) return { mean: 0, se: 0 };
  const d = a.map((x, i) => x - (b[i] as number));
  const mean = d.reduce((s, x) => s + x, 0) / n;
  if (n === 1) return { mean, se: 0 };
  const variance = d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(variance / n) };
}

/** Running means of ranking scores. */
export class RankingAverage {
  private sum = { precision: 0, recall: 0, ndcg: 0 };
  count = 0;
  add(s: RankingScore): void {
    this.sum.precision += s.precision;
    this.sum.recall += s.recall;
    this.sum.ndcg += s.ndcg;
    this.scores.push(s);
    this.count++;
  }
  /** Every score added, in order (for paired comparisons). */
  readonly scores: RankingScore[] = [];
  mean(): RankingScore {
    const n = this.count || 1;
    return { precision: this.sum.precision / n, recall: this.sum.recall / n, ndcg: this.sum.ndcg / n };
  }
}

export interface BCubed {
  precision: number;
  recall: number;
  f1: number;
}

/**
 * BCubed (Bagga & Baldwin; Amigó et al. 2009) of a predicted clustering against
 * gold labels, one label per item. For each item: precision = share of its
 * predicted cluster with its gold label; recall = share of its gold cluster in
 * its predicted cluster. Averaged over items. Both maps must cover the same items.
 */
export function bcubed<T>(predicted: ReadonlyMap<T, string>, gold: ReadonlyMap<T, string>): BCubed {
  const pairs = new Map<string, number>();
  const predSize = new Map<string, number>();
  const goldSize = new Map<string, number>();
  for (const [item, g] of gold) {
    const p = predicted.get(item);
    if (p === undefined) throw new Error('bcubed: an item has no predicted cluster');
    const key = JSON.stringify([p, g]);
    pairs.set(key, (pairs.get(key) ?? 0) + 1);
    predSize.set(p, (predSize.get(p) ?? 0) + 1);
    goldSize.set(g, (goldSize.get(g) ?? 0) + 1);
  }
  let precision = 0;
  let recall = 0;
  for (const [key, n] of pairs) {
    const [p, g] = JSON.parse(key) as [string, string];
    // Each of the n items in this (predicted, gold) cell contributes n / |cluster|.
    precision += (n * n) / (predSize.get(p) ?? 1);
    recall += (n * n) / (goldSize.get(g) ?? 1);
  }
  const items = gold.size || 1;
  precision /= items;
  recall /= items;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** Items of stored lists whose score fell in [from, to), and how many of them were relevant. */
export interface ScoreBand {
  from: number;
  to: number;
  items: number;
  relevant: number;
}

/**
 * How often a listed item is relevant, by its stored score: whether the list's
 * floor keeps out what is no better than chance. Items below the first bound
 * go in the first band; `bounds` must be increasing.
 *
 * @example
 *   const bands = new ScoreBands([0, 0.05, 0.1]);
 *   bands.add([{ id: 1, score: 0.07 }], new Set([1])); // band [0.05, 0.1): 1 item, 1 relevant
 */
export class ScoreBands<T> {
  readonly bands: ScoreBand[];
  constructor(bounds: readonly number[]) {
    this.bands = bounds.map((from, i) => ({
      from,
      to: bounds[i + 1] ?? Number.POSITIVE_INFINITY,
      items: 0,
      relevant: 0,
    }));
  }
  add(list: readonly { id: T; score: number }[], relevant: ReadonlySet<T>): void {
    for (const { id, score } of list) {
      const band = this.bands.findLast((b) => score >= b.from) ?? this.bands[0];
      if (!band) continue;
      band.items++;
      if (relevant.has(id)) band.relevant++;
    }
  }
}

/**
 * Precision of every item shown: relevant items shown ÷ items shown, pooled
 * over articles, beside the average number shown per article. Unlike capped
 * P@k it does not reward filling slots: an article with nothing relevant
 * scores best by showing nothing. `judgedPrecision` leaves out the items
 * the corpus cannot judge (`judged` false: an article without any label,
 * half of Reuters' wire copy, which the corpus counts as relevant to
 * nothing, though a bill auction beside a bill auction is): precision over
 * judged items only (Sakai's condensed lists); `precision` counts them as
 * wrong, a lower bound.
 *
 * @example
 *   const shown = new ShownPrecision();
 *   shown.add([1, 2], new Set([1])); // 1 of 2 relevant
 *   shown.add([], new Set()); // nothing shown: no penalty
 *   shown.result(); // { precision: 0.5, judgedPrecision: 0.5, perArticle: 1, articles: 2, emptyArticles: 1 }
 */
export class ShownPrecision {
  private shown = 0;
  private judged = 0;
  private relevant = 0;
  private articles = 0;
  private empty = 0;
  add<T>(list: readonly T[], relevant: ReadonlySet<T>, judged: (item: T) => boolean = () => true): void {
    this.articles++;
    if (list.length === 0) this.empty++;
    this.shown += list.length;
    for (const id of list) {
      if (relevant.has(id)) this.relevant++;
      if (judged(id)) this.judged++;
    }
  }
  /** Precisions are 1 when nothing was shown (or judged) at all: nothing wrong was shown. */
  result(): {
    precision: number;
    judgedPrecision: number;
    perArticle: number;
    articles: number;
    emptyArticles: number;
  } {
    return {
      precision: this.shown === 0 ? 1 : this.relevant / this.shown,
      judgedPrecision: this.judged === 0 ? 1 : this.relevant / this.judged,
      perArticle: this.articles === 0 ? 0 : this.shown / this.articles,
      articles: this.articles,
      emptyArticles: this.empty,
    };
  }
}
