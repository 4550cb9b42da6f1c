/**
 * Stress versions of a labelled corpus for `bench:related --stress`: the same
 * articles (and the same gold labels) made harder in one way each, so the
 * engine is judged on densities and shapes it was not tuned on. Pure
 * functions over the de-duplicated documents; `reindexCorpus` gives the
 * result positions and label lists again.
 *
 * @example
 *   const dense = reindexCorpus(compressTime(corpus.docs, 10));
 *   const young = youngSite(corpus.docs, 200, 7);
 */
import { type LabelledDoc, seeded } from './related-corpus.js';

export { reindexCorpus } from './related-corpus.js';

export const STRESSES = ['compressed', 'shuffled', 'headline'] as const;
export type Stress = (typeof STRESSES)[number];

/** A copy of a document with some record fields replaced (undefined: removed). */
function withRecord(doc: LabelledDoc, changes: Record<string, unknown>, published: number | undefined): LabelledDoc {
  const record = { ...doc.record };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete record[key];
    else record[key] = value;
  }
  return { ...doc, record, published };
}

/**
 * The same articles squeezed in time: each date moved towards the earliest
 * by `factor`, so as many articles (and stories) fall in a day `factor` times
 * over. Order is kept; undated documents are left as they are.
 */
export function compressTime(docs: LabelledDoc[], factor: number): LabelledDoc[] {
  const dated = docs.flatMap((d) => (d.published === undefined ? [] : [d.published]));
  if (dated.length === 0) return docs;
  const start = Math.min(...dated);
  return docs.map((d) => {
    if (d.published === undefined) return d;
    const published = Math.round(start + (d.published - start) / factor);
    return withRecord(d, { published: new Date(published).toISOString() }, published);
  });
}

/** Every record's publisher (`source`) and filing (`category`, the section on import) dealt out again at random. */
export function shufflePublishers(docs: LabelledDoc[], seed: number): LabelledDoc[] {
  const random = seeded(seed);
  const deal = (key: string) => {
    const values = docs.map((d) => d.record[key]);
    for (let i = values.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [values[i], values[j]] = [values[j], values[i]];
    }
    return values;
  };
  const sources = deal('source');
  const categories = deal('category');
  return docs.map((d, i) => withRecord(d, { source: sources[i], category: categories[i] }, d.published));
}

/**
 * Headlines alone, without body or date (an aggregator's feed): every article
 * arrives at import time, in file order. A record without a link gets one,
 * as the import publishes a headline-only brief only with its original's link.
 */
export function headlineOnly(docs: LabelledDoc[]): LabelledDoc[] {
  return docs.map((d) => ({
    ...withRecord(
      d,
      {
        body: undefined,
        published: undefined,
        url: d.record['url'] ?? `https://source.test/${encodeURIComponent(d.externalId)}`,
      },
      undefined,
    ),
    body: '',
  }));
}

/** One stress version of the documents (the seed is used by `shuffled`). */
export function stressed(docs: LabelledDoc[], stress: Stress, options: { compress: number; seed: number }) {
  if (stress === 'compressed') return compressTime(docs, options.compress);
  if (stress === 'shuffled') return shufflePublishers(docs, options.seed);
  return headlineOnly(docs);
}

/**
 * A young site's archive: `n` articles from the corpus. With dates, the `n`
 * consecutive articles from a random point in time (a site that just started
 * publishes news of one period, and its stories are in it); without dates, a
 * random draw. Labels stay as they are: an article whose story or topic has
 * no other article in the sample has nothing relevant, and should be shown
 * nothing.
 */
export function youngSite(docs: LabelledDoc[], n: number, seed: number): LabelledDoc[] {
  const random = seeded(seed);
  if (docs.length <= n) return docs;
  if (docs.every((d) => d.published !== undefined)) {
    const ordered = [...docs].sort((a, b) => (a.published ?? 0) - (b.published ?? 0) || a.index - b.index);
    const start = Math.floor(random() * (ordered.length - n + 1));
    return ordered.slice(start, start + n);
  }
  const pool = [...docs];
  for (let i = pool.length - 1; i > pool.length - 1 - n; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as LabelledDoc, pool[i] as LabelledDoc];
  }
  return pool.slice(pool.length - n);
}
