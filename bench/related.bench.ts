/**
 * Quality of Related news, measured on a labelled corpus.
 *
 *   npm run bench:related -- --corpus FILE [--label story|category] [--k 5] [--queries 2000] [--seed 42]
 *   npm run bench:related -- --scale 10000,100000 [--db sqlite|postgres] [--samples 200] [--reads 2000] [--seed 42]
 *
 * Imports the de-duplicated corpus into a fresh temporary SQLite database
 * through the normal import path, with the labels removed, lets the product
 * compute its related lists, then scores them against the labels over up to
 * N query articles (fixed seed) that have at least one other article with the
 * same label: precision@k (capped at the number of relevant), recall@k and
 * nDCG@k, beside three baselines computed here on the same data. A table, then
 * one line of JSON (always the last line). See bench/README.md.
 *
 * With --scale, measures speed, size and memory at N articles instead
 * (bench/lib/related-scale.ts).
 */
import { parseArgs } from 'node:util';
import { type LabelKind, type LabelledDoc, loadLabelled, relevantTo, sampleQueries } from './lib/related-corpus.js';
import { importable, runEngine } from './lib/related-engine.js';
import {
  type BCubed,
  bcubed,
  pairedDifference,
  RankingAverage,
  type RankingScore,
  ScoreBands,
  scoreRanking,
} from './lib/related-metrics.js';
import { isScaleRun, runScale } from './lib/related-scale.js';
import { buildTfidf, sectionNewest, timeDecay, topK } from './lib/related-tfidf.js';

const out = (text: string) => process.stdout.write(text);
const log = (text: string) => process.stderr.write(`${text}\n`);
/** The engine stores this many related articles per article (STORED in src/related/related.service.ts). */
const ENGINE_LIST = 10;
/** Score bands of the stored items' relevance table: is what sits just above the list's floor better than chance? */
const SCORE_BANDS = [0, 0.03, 0.05, 0.08, 0.12, 0.2, 0.4];

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      corpus: { type: 'string' },
      label: { type: 'string', default: 'story' },
      k: { type: 'string', default: '5' },
      queries: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '42' },
    },
  });
  if (!values.corpus) throw new UsageError('--corpus FILE is required');
  if (values.label !== 'story' && values.label !== 'category')
    throw new UsageError('--label must be story or category');
  const int = (name: string, value: string, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} must be an integer from 1 to ${max}`);
    return n;
  };
  return {
    corpus: values.corpus,
    label: values.label as LabelKind,
    k: int('k', values.k, 100),
    queries: int('queries', values.queries, 1_000_000),
    seed: int('seed', values.seed, 2 ** 31),
  };
}

class UsageError extends Error {}

const METHODS = ['engine', 'tag-newest', 'tfidf', 'tfidf-decay'] as const;
type Method = (typeof METHODS)[number];

const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** Gold stories by corpus position; an unlabelled article is a story of its own. */
function goldStories(docs: LabelledDoc[]): Map<number, string> {
  return new Map(docs.map((d) => [d.index, d.labels[0] ?? `own:${d.index}`]));
}

function round(score: RankingScore, k: number): Record<string, number> {
  const r = r4;
  return { [`precision@${k}`]: r(score.precision), [`recall@${k}`]: r(score.recall), [`ndcg@${k}`]: r(score.ndcg) };
}

async function main() {
  const opts = options(process.argv.slice(2));
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);

  log(`reading ${opts.corpus} (label: ${opts.label})`);
  const corpus = await loadLabelled(opts.corpus, opts.label, importable(opts.label));
  const queries = sampleQueries(corpus, opts.queries, opts.seed);
  log(
    `${corpus.docs.length} articles after removing ${corpus.duplicates} exact duplicates and ${corpus.rejected} the import rejects; ${queries.length} queries`,
  );

  log('importing into a fresh SQLite database (labels removed); the import computes the related lists');
  const engine = await runEngine(corpus.docs, opts.label, log);
  const { imported } = engine;
  log(
    `imported ${imported.created} (${imported.failed} failed) in ${imported.seconds.toFixed(1)} s + related ${imported.relatedSeconds.toFixed(1)} s`,
  );

  const baselineStarted = performance.now();
  const tfidf = buildTfidf(corpus.docs.map((d) => `${d.title}\n${d.body}`));
  const when = corpus.docs.map((d) => d.published);
  const newest = sectionNewest(engine.sections, engine.published);
  const indexSeconds = (performance.now() - baselineStarted) / 1000;

  const averages = new Map<Method, RankingAverage>(METHODS.map((m) => [m, new RankingAverage()]));
  let engineEmpty = 0;
  const bands = new ScoreBands<number>(SCORE_BANDS);
  let chance = 0;
  let baselineSeconds = indexSeconds;
  let clusters: BCubed | null = null;
  try {
    if (opts.label === 'story') clusters = bcubed(await engine.stories(), goldStories(corpus.docs));
    for (const q of queries) {
      const relevant = relevantTo(q, corpus);
      const engineList = await engine.related(q.index);
      if (engineList.length === 0) engineEmpty++;
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
  } finally {
    await engine.close();
  }

  const mean = (m: Method) => averages.get(m)?.mean() ?? { precision: 0, recall: 0, ndcg: 0 };
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(8);
  out(`\nRelated news quality: ${opts.corpus}, label ${opts.label}, k = ${opts.k}\n`);
  out(
    `${corpus.docs.length} articles (${corpus.duplicates} exact duplicates and ${corpus.rejected} invalid records removed), ${queries.length} queries\n\n`,
  );
  out(
    `${'method'.padEnd(14)}${`P@${opts.k}`.padStart(8)}${`R@${opts.k}`.padStart(8)}${`nDCG@${opts.k}`.padStart(8)}\n`,
  );
  for (const m of METHODS) {
    const s = mean(m);
    out(`${m.padEnd(14)}${pct(s.precision)}${pct(s.recall)}${pct(s.ndcg)}\n`);
  }
  const scoresOf = (m: Method, key: 'precision' | 'ndcg') => (averages.get(m)?.scores ?? []).map((s) => s[key]);
  const versus = Object.fromEntries(
    (['tag-newest', 'tfidf', 'tfidf-decay'] as const).map((m) => {
      const [p, n] = (['precision', 'ndcg'] as const).map((key) =>
        pairedDifference(scoresOf('engine', key), scoresOf(m, key)),
      );
      return [
        m,
        {
          [`precision@${opts.k}`]: { diff: r4(p!.mean), se: r4(p!.se) },
          [`ndcg@${opts.k}`]: { diff: r4(n!.mean), se: r4(n!.se) },
        },
      ];
    }),
  );
  const signed = (x: number) => `${x >= 0 ? '+' : '−'}${(Math.abs(x) * 100).toFixed(2)}`;
  out(`\nengine − baseline on the same queries (points; ± two standard errors; a difference inside them is a tie):\n`);
  for (const [m, v] of Object.entries(versus)) {
    const p = v[`precision@${opts.k}`] as { diff: number; se: number };
    const n = v[`ndcg@${opts.k}`] as { diff: number; se: number };
    out(
      `  vs ${m.padEnd(12)} P@${opts.k} ${signed(p.diff)} ± ${(2 * p.se * 100).toFixed(2)}   nDCG@${opts.k} ${signed(n.diff)} ± ${(2 * n.se * 100).toFixed(2)}\n`,
    );
  }
  out(
    `\nengine's stored lists (up to ${ENGINE_LIST} items) by score: how often an item is relevant (chance: ${pct(chance).trim()})\n`,
  );
  for (const b of bands.bands) {
    const to = Number.isFinite(b.to) ? b.to.toFixed(2) : '';
    out(
      `  ${`${b.from.toFixed(2)}–${to}`.padEnd(11)}${String(b.items).padStart(7)} items${b.items ? pct(b.relevant / b.items) : ''}\n`,
    );
  }
  out(`engine: empty list for ${engineEmpty} of ${queries.length} queries`);
  out(
    opts.k > ENGINE_LIST ? `; it stores at most ${ENGINE_LIST} per article, so k > ${ENGINE_LIST} is capped\n` : '\n',
  );
  out(`tag-newest = same section as imported, newest first (the corpora carry no tags the engine may see)\n`);
  if (opts.label === 'category')
    out(`  every article was imported in section "News", so tag-newest is "newest overall"\n`);
  if (when.every((w) => w === undefined)) out(`no dates in the corpus: tfidf-decay equals tfidf\n`);
  if (clusters) {
    out(
      `story clustering (BCubed, ${corpus.docs.length} articles): precision ${pct(clusters.precision)}, recall ${pct(clusters.recall)}, F1 ${pct(clusters.f1)}\n`,
    );
  }
  out(
    `time: import ${imported.seconds.toFixed(1)} s + related ${imported.relatedSeconds.toFixed(1)} s; ` +
      `baselines ${baselineSeconds.toFixed(1)} s; total ${seconds()} s\n`,
  );

  const json = {
    corpus: opts.corpus.split('/').pop(),
    label: opts.label,
    k: opts.k,
    queries: queries.length,
    articles: corpus.docs.length,
    duplicatesRemoved: corpus.duplicates,
    invalidRemoved: corpus.rejected,
    engine: {
      ...round(mean('engine'), opts.k),
      emptyLists: engineEmpty,
      ...(clusters
        ? {
            bcubed_precision: r4(clusters.precision),
            bcubed_recall: r4(clusters.recall),
            bcubed_f1: r4(clusters.f1),
          }
        : {}),
    },
    engineVersus: versus,
    scoreBands: {
      chance: r4(chance),
      bands: bands.bands.map((b) => ({ ...b, to: Number.isFinite(b.to) ? b.to : null })),
    },
    baselines: Object.fromEntries(
      (['tag-newest', 'tfidf', 'tfidf-decay'] as const).map((m) => [m, round(mean(m), opts.k)]),
    ),
    seconds: {
      import: Math.round(imported.seconds * 10) / 10,
      related: Math.round(imported.relatedSeconds * 10) / 10,
      baselines: Math.round(baselineSeconds * 10) / 10,
      total: Number(seconds()),
    },
  };
  out(`${JSON.stringify(json)}\n`);
}

if (isScaleRun(process.argv.slice(2))) {
  // Issue 4's scale benchmark (bench/lib/related-scale.ts) instead of the quality one.
  await runScale(process.argv.slice(2), out, log);
  process.exit(process.exitCode ?? 0);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof UsageError) log(`usage: ${err.message}`);
    else log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
