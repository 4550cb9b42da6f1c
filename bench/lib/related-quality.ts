/**
 * One quality run of `bench:related`: a labelled corpus imported through the
 * product's import (labels hidden), its related lists and stories scored
 * against the labels beside three baselines on the same queries. Returns the
 * figures; `printQuality` writes the table.
 *
 * @example
 *   const result = await evaluate(corpus, { label: 'story', k: 5, queries: 2000, seed: 42 }, log);
 *   printQuality(result, 'uci (compressed)', process.stdout.write.bind(process.stdout));
 */
import { type LabelKind, type LabelledCorpus, type LabelledDoc, relevantTo, sampleQueries } from './related-corpus.js';
import { runEngine } from './related-engine.js';
import {
  type BCubed,
  bcubed,
  pairedDifference,
  RankingAverage,
  type RankingScore,
  ScoreBands,
  ShownPrecision,
  scoreRanking,
} from './related-metrics.js';
import { buildTfidf, sectionNewest, timeDecay, topK } from './related-tfidf.js';

/** The engine stores this many related articles per article (STORED in src/related/related.service.ts). */
const ENGINE_LIST = 10;
/** Score bands of the stored items' relevance table: is what sits just above the list's floor better than chance? */
const SCORE_BANDS = [0, 0.03, 0.05, 0.08, 0.12, 0.2, 0.4];

export const METHODS = ['engine', 'tag-newest', 'tfidf', 'tfidf-decay'] as const;
export type Method = (typeof METHODS)[number];
const BASELINES = ['tag-newest', 'tfidf', 'tfidf-decay'] as const;

export interface QualityOptions {
  label: LabelKind;
  k: number;
  queries: number;
  seed: number;
  /** Also score every query whose body has at least this many words, engine against TF-IDF (0: not). */
  longWords?: number;
}

/** Engine against TF-IDF on the long articles' queries (`--long`). */
export interface LongFigures {
  minWords: number;
  queries: number;
  engine: number;
  tfidf: number;
  /** Paired per-query difference, engine − tfidf, P@k. */
  diff: number;
  se: number;
}

export interface QualityResult {
  opts: QualityOptions;
  articles: number;
  duplicates: number;
  rejected: number;
  queries: number;
  means: Record<Method, RankingScore>;
  versus: Record<string, Record<string, { diff: number; se: number }>>;
  bands: ScoreBands<number>;
  chance: number;
  empty: number;
  clusters: BCubed | null;
  long: LongFigures | null;
  /** Precision of every item the article pages show, over every article with a label. */
  shown: ReturnType<ShownPrecision['result']>;
  undated: boolean;
  seconds: { import: number; related: number; baselines: number };
}

export const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** Gold stories by corpus position; an unlabelled article is a story of its own. */
function goldStories(docs: LabelledDoc[]): Map<number, string> {
  return new Map(docs.map((d) => [d.index, d.labels[0] ?? `own:${d.index}`]));
}

export async function evaluate(
  corpus: LabelledCorpus,
  opts: QualityOptions,
  log: (text: string) => void,
): Promise<QualityResult> {
  const queries = sampleQueries(corpus, opts.queries, opts.seed);
  const longQueries = opts.longWords ? sampleQueries(corpus, corpus.docs.length, opts.seed, opts.longWords) : [];
  log(`${corpus.docs.length} articles, ${queries.length} queries; importing (labels removed)`);
  const engine = await runEngine(corpus.docs, opts.label, log);
  const { imported } = engine;
  log(
    `imported ${imported.created} (${imported.failed} failed) in ${imported.seconds.toFixed(1)} s + related ${imported.relatedSeconds.toFixed(1)} s`,
  );

  const baselineStarted = performance.now();
  const tfidf = buildTfidf(corpus.docs.map((d) => `${d.title}\n${d.body}`));
  const when = corpus.docs.map((d) => d.published);
  const newest = sectionNewest(engine.sections, engine.published);
  let baselineSeconds = (performance.now() - baselineStarted) / 1000;

  const averages = new Map<Method, RankingAverage>(METHODS.map((m) => [m, new RankingAverage()]));
  let empty = 0;
  const bands = new ScoreBands<number>(SCORE_BANDS);
  const shown = new ShownPrecision();
  let chance = 0;
  let clusters: BCubed | null = null;
  const longScores = { engine: [] as number[], tfidf: [] as number[] };
  try {
    if (opts.label === 'story') clusters = bcubed(await engine.stories(), goldStories(corpus.docs));
    // An article without any label cannot be judged (half of Reuters has no topic): it is left out.
    const judged = (doc: number) => (corpus.docs[doc]?.labels.length ?? 0) > 0;
    for (const d of corpus.docs)
      if (d.labels.length > 0) shown.add(await engine.shown(d.index), relevantTo(d, corpus), judged);
    for (const q of queries) {
      const relevant = relevantTo(q, corpus);
      const engineList = await engine.related(q.index);
      if (engineList.length === 0) empty++;
      bands.add(await engine.scored(q.index), relevant);
      chance += relevant.size / (corpus.docs.length - 1) / queries.length;
      const t = performance.now();
      const candidates = tfidf.candidates(q.index);
      const lists: Record<Method, number[]> = {
        engine: engineList,
        'tag-newest': newest(q.index, opts.k),
        tfidf: topK(candidates, opts.k).map((n) => n.doc),
        'tfidf-decay': topK(candidates, opts.k, (n) => n.score * timeDecay(q.published, when[n.doc])).map((n) => n.doc),
      };
      baselineSeconds += (performance.now() - t) / 1000;
      for (const m of METHODS) averages.get(m)?.add(scoreRanking(lists[m], relevant, opts.k));
    }
    for (const q of longQueries) {
      const relevant = relevantTo(q, corpus);
      longScores.engine.push(scoreRanking(await engine.related(q.index), relevant, opts.k).precision);
      const tfidfList = topK(tfidf.candidates(q.index), opts.k).map((n) => n.doc);
      longScores.tfidf.push(scoreRanking(tfidfList, relevant, opts.k).precision);
    }
  } finally {
    await engine.close();
  }

  const means = Object.fromEntries(
    METHODS.map((m) => [m, averages.get(m)?.mean() ?? { precision: 0, recall: 0, ndcg: 0 }]),
  ) as Record<Method, RankingScore>;
  const scoresOf = (m: Method, key: 'precision' | 'ndcg') => (averages.get(m)?.scores ?? []).map((s) => s[key]);
  const versus = Object.fromEntries(
    BASELINES.map((m) => {
      const [p, n] = (['precision', 'ndcg'] as const).map((key) =>
        pairedDifference(scoresOf('engine', key), scoresOf(m, key)),
      );
      return [
        m,
        {
          [`precision@${opts.k}`]: { diff: r4(p?.mean ?? 0), se: r4(p?.se ?? 0) },
          [`ndcg@${opts.k}`]: { diff: r4(n?.mean ?? 0), se: r4(n?.se ?? 0) },
        },
      ];
    }),
  );
  return {
    opts,
    articles: corpus.docs.length,
    duplicates: corpus.duplicates,
    rejected: corpus.rejected,
    queries: queries.length,
    means,
    versus,
    bands,
    chance,
    empty,
    clusters,
    long: opts.longWords ? longFigures(opts.longWords, longScores) : null,
    shown: shown.result(),
    undated: when.every((w) => w === undefined),
    seconds: { import: imported.seconds, related: imported.relatedSeconds, baselines: baselineSeconds },
  };
}

function longFigures(minWords: number, scores: { engine: number[]; tfidf: number[] }): LongFigures {
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  const d = pairedDifference(scores.engine, scores.tfidf);
  return {
    minWords,
    queries: scores.engine.length,
    engine: r4(mean(scores.engine)),
    tfidf: r4(mean(scores.tfidf)),
    diff: r4(d.mean),
    se: r4(d.se),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(8);

/** The result as a table (the text part of the report). */
export function printQuality(r: QualityResult, title: string, out: (text: string) => void): void {
  const { k } = r.opts;
  out(`\nRelated news quality: ${title}, label ${r.opts.label}, k = ${k}\n`);
  out(
    `${r.articles} articles (${r.duplicates} exact duplicates and ${r.rejected} invalid records removed), ${r.queries} queries\n\n`,
  );
  out(`${'method'.padEnd(14)}${`P@${k}`.padStart(8)}${`R@${k}`.padStart(8)}${`nDCG@${k}`.padStart(8)}\n`);
  for (const m of METHODS) {
    const s = r.means[m];
    out(`${m.padEnd(14)}${pct(s.precision)}${pct(s.recall)}${pct(s.ndcg)}\n`);
  }
  const signed = (x: number) => `${x >= 0 ? '+' : '−'}${(Math.abs(x) * 100).toFixed(2)}`;
  out(`\nengine − baseline on the same queries (points; ± two standard errors; a difference inside them is a tie):\n`);
  for (const [m, v] of Object.entries(r.versus)) {
    const p = v[`precision@${k}`] ?? { diff: 0, se: 0 };
    const n = v[`ndcg@${k}`] ?? { diff: 0, se: 0 };
    out(
      `  vs ${m.padEnd(12)} P@${k} ${signed(p.diff)} ± ${(2 * p.se * 100).toFixed(2)}   nDCG@${k} ${signed(n.diff)} ± ${(2 * n.se * 100).toFixed(2)}\n`,
    );
  }
  out(
    `\nengine's stored lists (up to ${ENGINE_LIST} items) by score: how often an item is relevant (chance: ${pct(r.chance).trim()})\n`,
  );
  for (const b of r.bands.bands) {
    const to = Number.isFinite(b.to) ? b.to.toFixed(2) : '';
    out(
      `  ${`${b.from.toFixed(2)}–${to}`.padEnd(11)}${String(b.items).padStart(7)} items${b.items ? pct(b.relevant / b.items) : ''}\n`,
    );
  }
  out(
    `items shown on the ${r.shown.articles} labelled articles' pages (story + related): precision${pct(r.shown.precision)}` +
      `${r.shown.judgedPrecision === r.shown.precision ? '' : ` (of items the corpus labels: ${pct(r.shown.judgedPrecision).trim()})`}, ` +
      `${r.shown.perArticle.toFixed(2)} per article, none on ${r.shown.emptyArticles}\n`,
  );
  out(`engine: empty list for ${r.empty} of ${r.queries} queries`);
  out(k > ENGINE_LIST ? `; it stores at most ${ENGINE_LIST} per article, so k > ${ENGINE_LIST} is capped\n` : '\n');
  out(`tag-newest = same section as imported, newest first (the corpora carry no tags the engine may see)\n`);
  if (r.opts.label === 'category')
    out(`  every article was imported in section "News", so tag-newest is "newest overall"\n`);
  if (r.undated) out(`no dates in the corpus: tfidf-decay equals tfidf\n`);
  if (r.clusters) {
    const c = r.clusters;
    out(
      `story clustering (BCubed, ${r.articles} articles): precision ${pct(c.precision)}, recall ${pct(c.recall)}, F1 ${pct(c.f1)}\n`,
    );
  }
  if (r.long && r.long.queries > 0) {
    const l = r.long;
    out(
      `long articles (body ≥ ${l.minWords} words, ${l.queries} queries): P@${k} engine ${pct(l.engine).trim()}, tfidf ${pct(l.tfidf).trim()}, ` +
        `engine − tfidf ${(l.diff * 100).toFixed(2)} ± ${(2 * l.se * 100).toFixed(2)} points\n`,
    );
  }
  out(
    `time: import ${r.seconds.import.toFixed(1)} s + related ${r.seconds.related.toFixed(1)} s; baselines ${r.seconds.baselines.toFixed(1)} s\n`,
  );
}

const ranking = (score: RankingScore, k: number): Record<string, number> => ({
  [`precision@${k}`]: r4(score.precision),
  [`recall@${k}`]: r4(score.recall),
  [`ndcg@${k}`]: r4(score.ndcg),
});

/** The engine's figures for the JSON line. */
export function engineFigures(r: QualityResult): Record<string, number> {
  const c = r.clusters;
  return {
    ...ranking(r.means.engine, r.opts.k),
    shown_precision: r4(r.shown.precision),
    shown_precision_judged: r4(r.shown.judgedPrecision),
    shown_per_article: r4(r.shown.perArticle),
    emptyLists: r.empty,
    ...(c ? { bcubed_precision: r4(c.precision), bcubed_recall: r4(c.recall), bcubed_f1: r4(c.f1) } : {}),
  };
}

/** The whole result for the JSON line. */
export function qualityJson(r: QualityResult): Record<string, unknown> {
  return {
    label: r.opts.label,
    k: r.opts.k,
    queries: r.queries,
    articles: r.articles,
    duplicatesRemoved: r.duplicates,
    invalidRemoved: r.rejected,
    engine: engineFigures(r),
    engineVersus: r.versus,
    ...(r.long ? { long: r.long } : {}),
    scoreBands: {
      chance: r4(r.chance),
      bands: r.bands.bands.map((b) => ({ ...b, to: Number.isFinite(b.to) ? b.to : null })),
    },
    baselines: Object.fromEntries(BASELINES.map((m) => [m, ranking(r.means[m], r.opts.k)])),
    seconds: {
      import: Math.round(r.seconds.import * 10) / 10,
      related: Math.round(r.seconds.related * 10) / 10,
      baselines: Math.round(r.seconds.baselines * 10) / 10,
    },
  };
}
