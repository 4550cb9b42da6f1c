/**
 * The article-extraction benchmark's scorer, as its README describes it:
 * Unicode word-character tokens, multisets of 4-token shingles, per-page
 * precision and recall, their means over pages, F1 as the harmonic mean of the
 * two means; beside it the mean of per-page F1 and the share of exact pages.
 */

export interface PageScore {
  /** undefined when the prediction has no shingle (it does not count towards mean precision). */
  precision: number | undefined;
  recall: number | undefined;
  f1: number;
  exact: boolean;
}

export interface Summary {
  pages: number;
  precision: number;
  recall: number;
  f1: number;
  meanPageF1: number;
  exact: number;
}

/**
 * Maximal runs of word characters (letters of any script, marks, digits, underscore).
 *
 * @example
 *   tokens("Ogunjobi's $250,000 fine"); // ['Ogunjobi', 's', '250', '000', 'fine']
 */
export function tokens(text: string): string[] {
  return text.match(/[\p{L}\p{M}\p{Nd}\p{Pc}]+/gu) ?? [];
}

/** The multiset of 4-token shingles; 1 to 3 tokens make one shorter shingle, none make none. */
export function shingles(toks: string[]): Map<string, number> {
  const out = new Map<string, number>();
  if (toks.length === 0) return out;
  const n = Math.min(4, toks.length);
  for (let i = 0; i + n <= toks.length; i++) {
    const key = toks.slice(i, i + n).join('\u0001');
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/**
 * One page's scores.
 *
 * @example
 *   scorePage('a b c d e', 'a b c d e').f1; // 1
 */
export function scorePage(predicted: string, truth: string): PageScore {
  const pt = tokens(predicted);
  const tt = tokens(truth);
  const p = shingles(pt);
  const t = shingles(tt);
  let tp = 0;
  let predictedCount = 0;
  let trueCount = 0;
  for (const [k, c] of p) {
    predictedCount += c;
    tp += Math.min(c, t.get(k) ?? 0);
  }
  for (const c of t.values()) trueCount += c;
  const precision = predictedCount > 0 ? tp / predictedCount : undefined;
  const recall = trueCount > 0 ? tp / trueCount : undefined;
  const pr = precision ?? 0;
  const rc = recall ?? 0;
  const f1 = pr + rc > 0 ? (2 * pr * rc) / (pr + rc) : 0;
  const exact = pt.length === tt.length && pt.every((w, i) => w === tt[i]);
  return { precision, recall, f1, exact };
}

/** Mean precision over pages with a predicted shingle, mean recall over pages with a true one, F1 of the two. */
export function summarize(scores: PageScore[]): Summary {
  const mean = (xs: number[]) => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const precision = mean(scores.flatMap((s) => (s.precision === undefined ? [] : [s.precision])));
  const recall = mean(scores.flatMap((s) => (s.recall === undefined ? [] : [s.recall])));
  return {
    pages: scores.length,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
    meanPageF1: mean(scores.map((s) => s.f1)),
    exact: mean(scores.map((s) => (s.exact ? 1 : 0))),
  };
}
