/**
 * Quality of Related news, measured on a labelled corpus.
 *
 *   npm run bench:related -- --corpus FILE [--label story|category] [--k 5] [--queries 2000] [--seed 42] [--long 600]
 *   npm run bench:related -- --corpus FILE --stress original,compressed,shuffled,headline,young [--compress 10] [--young 200,500] [--seeds 1,2,3]
 *   npm run bench:related -- --scale 10000,100000 [--db sqlite|postgres] [--samples 200] [--reads 2000] [--seed 42]
 *
 * Imports the de-duplicated corpus into a fresh temporary SQLite database
 * through the normal import path, with the labels removed, lets the product
 * compute its related lists, then scores them against the labels over up to
 * N query articles (fixed seed) that have at least one other article with the
 * same label: precision@k (capped at the number of relevant), recall@k and
 * nDCG@k, beside three baselines computed here on the same data; and, engine
 * against TF-IDF, on every query whose body has at least --long words (0: not). A table, then
 * one line of JSON (always the last line). See bench/README.md.
 *
 * With --stress, scores stress versions of the corpus instead (each its own
 * import): compressed (dates squeezed --compress times), shuffled (publishers
 * and filing dealt out at random), headline (no body, no dates), young (samples
 * of --young sizes, one per --seeds seed); `original` adds the corpus as is.
 * Every run also reports the precision of every item the article pages show.
 *
 * With --scale, measures speed, size and memory at N articles instead
 * (bench/lib/related-scale.ts).
 */
import { parseArgs } from 'node:util';
import { type LabelKind, loadLabelled } from './lib/related-corpus.js';
import { importable } from './lib/related-engine.js';
import { engineFigures, evaluate, printQuality, type QualityResult, qualityJson, r4 } from './lib/related-quality.js';
import { isScaleRun, runScale } from './lib/related-scale.js';
import { reindexCorpus, STRESSES, stressed, youngSite } from './lib/related-stress.js';

const out = (text: string) => process.stdout.write(text);
const log = (text: string) => process.stderr.write(`${text}\n`);

const RUNS = ['original', ...STRESSES, 'young'] as const;
type Run = (typeof RUNS)[number];

class UsageError extends Error {}

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      corpus: { type: 'string' },
      label: { type: 'string', default: 'story' },
      k: { type: 'string', default: '5' },
      queries: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '42' },
      stress: { type: 'string' },
      compress: { type: 'string', default: '10' },
      young: { type: 'string', default: '200,500' },
      seeds: { type: 'string', default: '1,2,3' },
      long: { type: 'string', default: '600' },
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
  const ints = (name: string, value: string, max: number) => value.split(',').map((v) => int(name, v.trim(), max));
  const runs = (values.stress ?? 'original').split(',').map((v) => v.trim());
  for (const r of runs) if (!RUNS.includes(r as Run)) throw new UsageError(`--stress takes ${RUNS.join(', ')}`);
  return {
    corpus: values.corpus,
    label: values.label as LabelKind,
    k: int('k', values.k, 100),
    queries: int('queries', values.queries, 1_000_000),
    seed: int('seed', values.seed, 2 ** 31),
    runs: runs as Run[],
    stressed: values.stress !== undefined,
    compress: int('compress', values.compress, 1000),
    young: ints('young', values.young, 1_000_000),
    seeds: ints('seeds', values.seeds, 2 ** 31),
    longWords: values.long === '0' ? 0 : int('long', values.long, 1_000_000),
  };
}

type Options = ReturnType<typeof options>;

/** Young-site samples: one run per size and seed, averaged per size. */
async function youngRuns(docs: Parameters<typeof youngSite>[0], opts: Options, name: string) {
  const sizes: Record<string, unknown> = {};
  const rows: string[] = [];
  for (const n of opts.young) {
    const results: QualityResult[] = [];
    for (const seed of opts.seeds) {
      log(`young site: ${n} articles, seed ${seed}`);
      const sample = reindexCorpus(youngSite(docs, n, seed));
      results.push(await evaluate(sample, { ...opts, queries: n, longWords: 0 }, log));
    }
    const mean = (f: (r: QualityResult) => number) => r4(results.reduce((s, r) => s + f(r), 0) / results.length);
    const precision = mean((r) => r.means.engine.precision);
    const summary = {
      shown_precision: mean((r) => r.shown.precision),
      shown_precision_judged: mean((r) => r.shown.judgedPrecision),
      shown_per_article: mean((r) => r.shown.perArticle),
      [`precision@${opts.k}`]: precision,
      [`ndcg@${opts.k}`]: mean((r) => r.means.engine.ndcg),
      [`tfidf_precision@${opts.k}`]: mean((r) => r.means.tfidf.precision),
      ...(opts.label === 'story' ? { bcubed_f1: mean((r) => r.clusters?.f1 ?? 0) } : {}),
      runs: results.map((r, i) => ({ seed: opts.seeds[i], queries: r.queries, ...engineFigures(r) })),
    };
    sizes[String(n)] = summary;
    rows.push(
      `  ${String(n).padStart(5)} articles × ${results.length} seeds: shown precision ${summary.shown_precision.toFixed(3)}` +
        (summary.shown_precision_judged === summary.shown_precision
          ? ', '
          : ` (of labelled items ${summary.shown_precision_judged.toFixed(3)}), `) +
        `${summary.shown_per_article.toFixed(2)} shown per article, P@${opts.k} ${precision}` +
        (opts.label === 'story' ? `, BCubed F1 ${summary.bcubed_f1}` : ''),
    );
  }
  out(`\nYoung sites from ${name} (dated corpora: consecutive articles from a random point; undated: a random draw)\n`);
  out(`${rows.join('\n')}\n`);
  return sizes;
}

async function main() {
  const opts = options(process.argv.slice(2));
  const started = performance.now();
  const name = opts.corpus.split('/').pop() ?? opts.corpus;
  log(`reading ${opts.corpus} (label: ${opts.label})`);
  const corpus = await loadLabelled(opts.corpus, opts.label, importable(opts.label));
  log(
    `${corpus.docs.length} articles after removing ${corpus.duplicates} exact duplicates and ${corpus.rejected} the import rejects`,
  );

  if (!opts.stressed) {
    const result = await evaluate(corpus, opts, log);
    printQuality(result, opts.corpus, out);
    out(`total ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    out(`${JSON.stringify({ corpus: name, ...qualityJson(result) })}\n`);
    return;
  }
  const runs: Record<string, unknown> = {};
  const summary: string[] = [];
  for (const run of opts.runs) {
    if (run === 'young') {
      runs['young'] = await youngRuns(corpus.docs, opts, name);
      continue;
    }
    log(`${run} version`);
    const docs = run === 'original' ? corpus.docs : stressed(corpus.docs, run, opts);
    const result = await evaluate(reindexCorpus(docs, corpus.duplicates, corpus.rejected), opts, log);
    printQuality(result, `${name} (${run}${run === 'compressed' ? ` ×${opts.compress}` : ''})`, out);
    runs[run] = qualityJson(result);
    const e = engineFigures(result);
    summary.push(
      `  ${run.padEnd(11)} P@${opts.k} ${e[`precision@${opts.k}`]} (tfidf ${r4(result.means.tfidf.precision)}), shown precision ${e['shown_precision']} ` +
        `(${e['shown_per_article']} per article)${result.clusters ? `, BCubed F1 ${e['bcubed_f1']}` : ''}`,
    );
  }
  if (summary.length > 0) out(`\nSummary (${name}):\n${summary.join('\n')}\n`);
  out(`total ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  out(`${JSON.stringify({ corpus: name, label: opts.label, k: opts.k, compress: opts.compress, runs })}\n`);
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
