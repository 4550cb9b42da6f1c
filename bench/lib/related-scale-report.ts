/**
 * The scale benchmark's figures (`bench:related -- --scale`): raw timings of
 * each size summarised as percentiles, sizes in MB, the targets of issue 4
 * judged, the table and the final line of JSON.
 *
 * @example
 *   const sizes = [summarize(measurement)];
 *   process.stdout.write(`${table('sqlite', sizes)}\n${jsonLine({ db: 'sqlite', seed: 42, samples: 200, reads: 2000 }, sizes)}\n`);
 */
import type { SizeMeasurement } from './related-scale-measure.js';

/** Tables whose size is the related and full-text index's (stored lists included), as opposed to the content. */
export const INDEX_TABLES = /^(related_|article_search|articles_fts)/;
/** Issue 4's targets, at a million articles on the dev box. */
export const TARGETS = { articles: 1_000_000, compute_p99_ms: 50, read_p99_ms: 2, peak_rss_mb: 600 } as const;

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles, in ms rounded to 3 decimals. */
export function percentiles(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { p50: r(at(0.5)), p99: r(at(0.99)), max: r(at(1)) };
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

export interface SizeFigures {
  articles: number;
  failed: number;
  import_per_s: number;
  import_s: number;
  /** Planner statistics after the import (ANALYZE; VACUUM ANALYZE on PostgreSQL), not in import_s. */
  analyze_s: number;
  save_ms: Percentiles;
  compute_ms: Percentiles;
  read_ms: Percentiles;
  reference_ms: Percentiles;
  /** Share of timed reads that returned a non-empty list. */
  read_non_empty: number;
  db_mb: number;
  index_mb: number;
  tables_mb: Record<string, number>;
  rss_start_mb: number;
  rss_after_import_mb: number;
  peak_rss_mb: number;
}

export function summarize(m: SizeMeasurement): SizeFigures {
  const indexBytes = Object.entries(m.tableBytes)
    .filter(([name]) => INDEX_TABLES.test(name))
    .reduce((sum, [, bytes]) => sum + bytes, 0);
  return {
    articles: m.articles,
    failed: m.failed,
    import_per_s: Math.round(m.imported / m.importSeconds),
    import_s: Math.round(m.importSeconds * 10) / 10,
    analyze_s: Math.round(m.analyzeSeconds * 10) / 10,
    save_ms: percentiles(m.saveMs),
    compute_ms: percentiles(m.computeMs),
    read_ms: percentiles(m.readMs),
    reference_ms: percentiles(m.referenceMs),
    read_non_empty: Math.round((m.nonEmptyReads / Math.max(1, m.readMs.length)) * 1000) / 1000,
    db_mb: mb(m.dbBytes),
    index_mb: mb(indexBytes),
    tables_mb: Object.fromEntries(Object.entries(m.tableBytes).map(([name, bytes]) => [name, mb(bytes)])),
    rss_start_mb: Math.round(m.rssStartMb),
    rss_after_import_mb: Math.round(m.rssAfterImportMb),
    peak_rss_mb: Math.round(m.peakRssMb),
  };
}

/** The targets, judged at the largest size measured (they are set for a million articles). */
export function judge(sizes: readonly SizeFigures[]) {
  const largest = sizes.at(-1);
  if (!largest) return null;
  return {
    articles: largest.articles,
    compute_p99: largest.compute_ms.p99 <= TARGETS.compute_p99_ms,
    read_p99: largest.read_ms.p99 <= TARGETS.read_p99_ms,
    peak_rss: largest.peak_rss_mb <= TARGETS.peak_rss_mb,
  };
}

const n = (x: number) => x.toLocaleString('en-US');
const pair = (p: Percentiles, digits: number) => `${p.p50.toFixed(digits)} / ${p.p99.toFixed(digits)}`;

export function table(db: string, sizes: readonly SizeFigures[]): string {
  const head = [
    'articles',
    'import/s',
    'compute p50/p99 ms',
    'read p50/p99 ms',
    'ref p50/p99 ms',
    'db MB',
    'index MB',
    'RSS import/peak MB',
  ];
  const rows = sizes.map((s) => [
    n(s.articles),
    n(s.import_per_s),
    pair(s.compute_ms, 1),
    pair(s.read_ms, 3),
    pair(s.reference_ms, 3),
    n(s.db_mb),
    n(s.index_mb),
    `${s.rss_after_import_mb} / ${s.peak_rss_mb}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd : c.padStart).call(c, widths[i] ?? 0)).join('  ');
  const met = judge(sizes);
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  return [
    `Related news at scale on ${db}: synthetic corpora recombined from the real ones (see bench/README.md)`,
    '',
    line(head),
    ...rows.map(line),
    '',
    'compute = related.refresh of a newly saved article; read = related.read of a stored list;',
    'ref = a primary-key read of one article row on the same database handle, interleaved with both.',
    ...sizes.map(
      (s) =>
        `${n(s.articles)}: save p50/p99 ${pair(s.save_ms, 1)} ms, compute max ${s.compute_ms.max.toFixed(1)} ms, ` +
        `${Math.round(s.read_non_empty * 100)}% of reads non-empty, import ${n(s.import_s)} s, RSS at start ${s.rss_start_mb} MB` +
        (s.failed > 0 ? `, ${s.failed} import lines FAILED` : ''),
    ),
    ...(met
      ? [
          '',
          `Targets (set for ${n(TARGETS.articles)} articles), judged at ${n(met.articles)}: ` +
            `compute p99 ≤ ${TARGETS.compute_p99_ms} ms ${verdict(met.compute_p99)}, ` +
            `read p99 ≤ ${TARGETS.read_p99_ms} ms ${verdict(met.read_p99)}, ` +
            `peak RSS ≤ ${TARGETS.peak_rss_mb} MB ${verdict(met.peak_rss)}`,
        ]
      : []),
  ].join('\n');
}

export function jsonLine(
  options: { db: string; seed: number; samples: number; reads: number },
  sizes: SizeFigures[],
): string {
  const { db, samples, reads, seed } = options;
  return JSON.stringify({ scale: { db, seed, samples, reads, sizes, targets: TARGETS, met: judge(sizes) } });
}
