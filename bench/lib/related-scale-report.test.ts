import { describe, expect, it } from 'vitest';
import type { SizeMeasurement } from './related-scale-measure.js';
import { jsonLine, judge, percentiles, summarize, TARGETS, table } from './related-scale-report.js';

describe('percentiles', () => {
  it('uses the nearest rank', () => {
    const samples = Array.from({ length: 200 }, (_, i) => 200 - i); // 1…200, unordered
    expect(percentiles(samples)).toEqual({ p50: 100, p99: 198, max: 200 });
    expect(percentiles([0.0004, 2.5])).toEqual({ p50: 0, p99: 2.5, max: 2.5 });
  });
});

const measurement = (articles: number, over: Partial<SizeMeasurement> = {}): SizeMeasurement => ({
  articles,
  imported: articles,
  failed: 0,
  importSeconds: articles / 2000,
  analyzeSeconds: 0.5,
  saveMs: [1, 2],
  computeMs: [4, 40],
  readMs: [0.02, 0.5],
  referenceMs: [0.01, 0.05],
  nonEmptyReads: 1,
  dbBytes: 300 * 2 ** 20,
  tableBytes: { articles: 200 * 2 ** 20, articles_fts_data: 75 * 2 ** 20, related_articles: 2 ** 20, tags: 2 ** 20 },
  rssStartMb: 120.4,
  rssAfterImportMb: 190.6,
  peakRssMb: 250.2,
  ...over,
});

describe('summarize and judge', () => {
  it('counts the related and full-text tables as the index, and rates the import per second', () => {
    const s = summarize(measurement(100_000));
    expect(s).toMatchObject({ import_per_s: 2000, db_mb: 300, index_mb: 76, peak_rss_mb: 250, read_non_empty: 0.5 });
    expect(s.tables_mb).toEqual({ articles: 200, articles_fts_data: 75, related_articles: 1, tags: 1 });
  });

  it('judges the targets at the largest size measured', () => {
    const sizes = [
      summarize(measurement(10_000)),
      summarize(measurement(100_000, { computeMs: [60], peakRssMb: 700 })),
    ];
    expect(judge(sizes)).toEqual({ articles: 100_000, compute_p99: false, read_p99: true, peak_rss: false });
    expect(judge([])).toBeNull();
  });
});

describe('report', () => {
  const options = { db: 'sqlite', samples: 200, reads: 2000, seed: 42 };
  const sizes = [summarize(measurement(10_000))];

  it('ends with one line of JSON holding every size, the targets and the verdict', () => {
    const line = jsonLine(options, sizes);
    expect(line).not.toContain('\n');
    const json = JSON.parse(line);
    expect(json.scale).toMatchObject({ db: 'sqlite', targets: TARGETS, met: { articles: 10_000 } });
    expect(json.scale.sizes[0]).toMatchObject({ articles: 10_000, compute_ms: { p50: 4, p99: 40 }, index_mb: 76 });
  });

  it('prints one row per size and the targets as met or MISSED', () => {
    const text = table('sqlite', [...sizes, summarize(measurement(100_000, { readMs: [3] }))]);
    expect(text).toMatch(/^10,000 .* 4\.0 \/ 40\.0 /m);
    expect(text).toMatch(/^100,000 /m);
    expect(text).toContain('read p99 ≤ 2 ms MISSED');
  });
});
