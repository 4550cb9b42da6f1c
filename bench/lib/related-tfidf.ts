/**
 * The baselines of `bench:related`, computed in the benchmark on the same
 * de-duplicated documents as the engine: TF-IDF cosine over title + body
 * (sparse, L2-normalised vectors; candidates from an inverted index, so only
 * documents sharing a term are compared), the same × exp(−|Δt| / 12 h), and
 * "same section, newest first".
 *
 * @example
 *   const index = buildTfidf(docs.map((d) => `${d.title} ${d.body}`));
 *   const top = index.neighbours(0, 5); // [{ doc, score }, …]
 *   const decayed = topK(index.candidates(0), 5, (n) => n.score * timeDecay(t[0], t[n.doc]));
 */

const STOPWORDS = new Set(
  `a an and are as at be been but by for from has had have he her his i in is it its of on or our she that the their
  them they this to was were will with would we you not no s said says mr mrs ms also than then there which who what
  when where how after before over into up out about more most so if can could do does did just new one two`.split(
    /\s+/,
  ),
);

export function terms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 1 && !STOPWORDS.has(w));
}

export interface Neighbour {
  doc: number;
  score: number;
}

export interface TfidfIndex {
  /** Every other document sharing a term with `doc`, with its cosine similarity (unordered). */
  candidates(doc: number): Neighbour[];
  /** The `limit` most similar other documents, best first. */
  neighbours(doc: number, limit: number): Neighbour[];
}

/** The `limit` best of `items` by `score`, best first (ties: lower doc first); one pass, no full sort. */
export function topK(items: Neighbour[], limit: number, score: (n: Neighbour) => number = (n) => n.score): Neighbour[] {
  const best: Neighbour[] = [];
  for (const item of items) {
    const s = score(item);
    if (s <= 0) continue;
    const last = best[best.length - 1];
    if (best.length >= limit && last && (s < last.score || (s === last.score && item.doc > last.doc))) continue;
    let i = best.length;
    while (i > 0) {
      const prev = best[i - 1] as Neighbour;
      if (prev.score > s || (prev.score === s && prev.doc < item.doc)) break;
      i--;
    }
    best.splice(i, 0, { doc: item.doc, score: s });
    if (best.length > limit) best.pop();
  }
  return best;
}

export function buildTfidf(texts: string[]): TfidfIndex {
  const n = texts.length;
  const vocabulary = new Map<string, number>();
  const counts = texts.map((text) => {
    const tf = new Map<number, number>();
    for (const w of terms(text)) {
      let id = vocabulary.get(w);
      if (id === undefined) {
        id = vocabulary.size;
        vocabulary.set(w, id);
      }
      tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    return tf;
  });
  const df = new Uint32Array(vocabulary.size);
  for (const tf of counts) for (const t of tf.keys()) df[t] = (df[t] ?? 0) + 1;
  const idf = Float64Array.from(df, (d) => Math.log(n / d));
  // Sparse document vectors (term ids + weights) and postings (doc ids + weights).
  const vectors = counts.map((tf) => {
    const ids = Uint32Array.from(tf.keys());
    const weights = Float64Array.from(ids, (t) => (tf.get(t) ?? 0) * (idf[t] ?? 0));
    const norm = Math.hypot(...weights) || 1;
    for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] ?? 0) / norm;
    return { ids, weights };
  });
  const postings: { docs: number[]; weights: number[] }[] = Array.from({ length: vocabulary.size }, () => ({
    docs: [],
    weights: [],
  }));
  vectors.forEach((v, doc) => {
    v.ids.forEach((t, i) => {
      const p = postings[t];
      if (p && (v.weights[i] ?? 0) > 0) {
        p.docs.push(doc);
        p.weights.push(v.weights[i] ?? 0);
      }
    });
  });

  const scores = new Float64Array(n);
  return {
    candidates(doc) {
      const v = vectors[doc];
      if (!v) return [];
      const touched: number[] = [];
      for (let i = 0; i < v.ids.length; i++) {
        const q = v.weights[i] ?? 0;
        const p = postings[v.ids[i] as number];
        if (!p || q === 0) continue;
        for (let j = 0; j < p.docs.length; j++) {
          const d = p.docs[j] as number;
          if (scores[d] === 0) touched.push(d);
          scores[d] = (scores[d] ?? 0) + q * (p.weights[j] ?? 0);
        }
      }
      const out: Neighbour[] = [];
      for (const d of touched) {
        if (d !== doc) out.push({ doc: d, score: scores[d] ?? 0 });
        scores[d] = 0;
      }
      return out;
    },
    neighbours(doc, limit) {
      return topK(this.candidates(doc), limit);
    },
  };
}

const HOUR_MS = 3_600_000;

/** exp(−|Δt| / 12 h); 1 when either date is missing (BBC), so the decayed baseline equals plain TF-IDF there. */
export function timeDecay(a: number | undefined, b: number | undefined, tauHours = 12): number {
  if (a === undefined || b === undefined) return 1;
  return Math.exp(-Math.abs(a - b) / (tauHours * HOUR_MS));
}

/**
 * "Same section, newest first" (what a tag/section-based widget does): the
 * `limit` newest other documents in the section; ties (no dates) by import
 * order, latest first.
 */
export function sectionNewest(
  sections: ReadonlyArray<string>,
  published: ReadonlyArray<number | undefined>,
): (doc: number, limit: number) => number[] {
  const bySection = new Map<string, number[]>();
  sections.forEach((s, i) => {
    const list = bySection.get(s);
    if (list) list.push(i);
    else bySection.set(s, [i]);
  });
  for (const list of bySection.values()) list.sort((a, b) => (published[b] ?? 0) - (published[a] ?? 0) || b - a);
  return (doc, limit) => {
    const out: number[] = [];
    for (const d of bySection.get(sections[doc] ?? '') ?? []) {
      if (d === doc) continue;
      out.push(d);
      if (out.length >= limit) break;
    }
    return out;
  };
}
