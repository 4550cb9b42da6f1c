/**
 * The benchmark's figures, its targets, and how they are printed: a table for
 * people, then one line of JSON for tools.
 */
import type { WrkResult } from './wrk.js';

/**
 * Reader pages. `search` (`/search?q=` + a word of the article's headline) is never in the page cache: both
 * phases render it; its answer comes from the search service's own cache after the first request (the same
 * query, repeated: what a popular search costs). `npm run bench:search` times the search itself.
 */
export const READER_PAGES = ['article', 'home', 'section', 'search'] as const;
/**
 * Feeds and sitemaps (the site's RSS feed, the first articles sitemap, the Google News sitemap), fetched with
 * gzip as feed readers and crawlers do; measured with the page cache on only, as they are served (uncached, a
 * sitemap of 2,000 URLs takes a few hundred ms to write: wrk's backlog would still be rendering when the
 * next page is measured).
 */
export const DOCUMENTS = ['feed', 'sitemap', 'news'] as const;
export const PAGES = [...READER_PAGES, ...DOCUMENTS] as const;
/** p99 ceilings: 20 ms for pages, 100 ms for a search page (issue 12). */
const P99_MS: Record<(typeof READER_PAGES)[number], number> = { article: 20, home: 20, section: 20, search: 100 };
export type Page = (typeof PAGES)[number];

export interface Figures {
  rps: number;
  p50: number;
  p99: number;
}

export interface PageFigures extends Figures {
  /** req/s as a fraction of the ceiling measured in the same phase. */
  fraction: number;
  url: string;
  bytes: number;
  non2xx: number;
  socketErrors: number;
}

export interface Phase {
  ceiling: Figures & { runs: number[] };
  /** Every page with the page cache on; the reader pages only with it off. */
  pages: Partial<Record<Page, PageFigures>>;
  peakRssMb: number;
  firstResponseMs: number;
}

/**
 * The weather widget's cost: the article page with no widget
 * (WEATHER_PROVIDER=none), with a provider answering after 300 ms, and with
 * the provider down (connection refused), each its own server, runs
 * interleaved.
 */
export const WEATHER_VARIANTS = ['none', 'slow', 'down'] as const;
export type WeatherVariant = (typeof WEATHER_VARIANTS)[number];

/** Medians over the rounds. */
export interface WeatherFigures extends Figures {
  /** req/s of each interleaved run. */
  runs: number[];
  bytes: number;
  /** Whether the page carried a weather reading. */
  widget: boolean;
  non2xx: number;
  socketErrors: number;
}

export interface WeatherPhase {
  pageCache: boolean;
  url: string;
  variants: Record<WeatherVariant, WeatherFigures>;
  /** Forecast requests the 300 ms provider answered during the phase. */
  upstreamCalls: number;
}

export interface Run {
  articles: number;
  db: string;
  durationSeconds: number;
  connections: number;
  /** As `dateline import` reports it. */
  importPerSec: number;
  /** Articles ÷ wall time of the whole `dateline import` process. */
  importWallPerSec: number;
  importWallSeconds: number;
  /** Related-news computation after saving, when the CLI reports it apart. */
  importRelatedSeconds?: number;
  cached: Phase;
  uncached: Phase;
  weather?: WeatherPhase[];
}

export interface Target {
  name: string;
  value: number;
  limit: number;
  unit: string;
  met: boolean;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The ceiling of a phase: the mean of its interleaved bare-server runs. */
export function ceilingOf(runs: WrkResult[]): Phase['ceiling'] {
  return {
    rps: mean(runs.map((r) => r.rps)),
    p50: mean(runs.map((r) => r.p50)),
    p99: mean(runs.map((r) => r.p99)),
    runs: runs.map((r) => round(r.rps, 0)),
  };
}

export function targets(run: Run): Target[] {
  const list: Target[] = [];
  const atLeast = (name: string, value: number, limit: number, unit: string) =>
    Number.isNaN(value) || list.push({ name, value, limit, unit, met: value >= limit });
  const atMost = (name: string, value: number, limit: number, unit: string) =>
    Number.isNaN(value) || list.push({ name, value, limit, unit, met: value <= limit });
  // A page left out by `--pages` has no figures, and no target.
  const fig = (phase: 'cached' | 'uncached', page: Page) =>
    run[phase].pages[page] ?? { fraction: Number.NaN, p99: Number.NaN };
  for (const [phase, share] of [
    ['cached', 0.5],
    ['uncached', 0.05],
  ] as const) {
    for (const page of ['article', 'home'] as const) {
      atLeast(`${phase} ${page} req/s ≥ ${share * 100}% of ceiling`, fig(phase, page).fraction * 100, share * 100, '%');
    }
  }
  for (const page of DOCUMENTS)
    atLeast(`cached ${page} req/s ≥ 50% of ceiling`, fig('cached', page).fraction * 100, 50, '%');
  for (const phase of ['cached', 'uncached'] as const) {
    for (const page of READER_PAGES)
      atMost(`${phase} ${page} p99 ≤ ${P99_MS[page]} ms`, fig(phase, page).p99, P99_MS[page], 'ms');
  }
  for (const w of run.weather ?? []) {
    const base = w.variants.none.rps;
    const label = w.pageCache ? 'cached' : 'uncached';
    atLeast(`weather ${label} article, provider 300 ms ≥ 95% of none`, (w.variants.slow.rps / base) * 100, 95, '%');
    atLeast(`weather ${label} article, provider down ≥ 95% of none`, (w.variants.down.rps / base) * 100, 95, '%');
  }
  for (const phase of ['cached', 'uncached'] as const) {
    atMost(`${phase} peak RSS ≤ 200 MB`, run[phase].peakRssMb, 200, 'MB');
    atMost(`${phase} first response ≤ 1000 ms`, run[phase].firstResponseMs, 1000, 'ms');
  }
  return list;
}

/** Joins cells into a row; a negative width left-aligns its column. */
const pad = (cells: (string | number)[], widths: number[]) =>
  cells
    .map((c, i) => {
      const w = widths[i] ?? 0;
      return w < 0 ? String(c).padEnd(-w) : String(c).padStart(w);
    })
    .join('  ')
    .trimEnd();

function importLine(run: Run): string {
  const related =
    run.importRelatedSeconds === undefined ? '' : ` (+ ${run.importRelatedSeconds.toFixed(1)} s related news)`;
  return (
    `Import: ${round(run.importPerSec, 0)} articles/s as the CLI reports it${related}; ` +
    `end to end ${round(run.importWallPerSec, 0)} articles/s (${run.importWallSeconds.toFixed(1)} s wall clock incl. start-up)`
  );
}

const WIDTHS = [-8, -7, 8, 7, 8, 10, 6];

const row = (phase: string, page: string, f: Figures, fraction: number, kb: string) =>
  pad(
    [phase, page, f.rps.toFixed(0), f.p50.toFixed(2), f.p99.toFixed(2), `${(fraction * 100).toFixed(1)}%`, kb],
    WIDTHS,
  );

export function table(run: Run): string {
  const lines = [
    `Dateline pages: ${run.articles} articles (${run.db}), wrk -t2 -c${run.connections} -d${run.durationSeconds}s, no Accept-Encoding (${DOCUMENTS.join(', ')}: gzip; KB uncompressed)`,
    importLine(run),
    '',
    pad(['phase', 'page', 'req/s', 'p50 ms', 'p99 ms', 'of ceiling', 'KB'], WIDTHS),
  ];
  for (const phase of ['cached', 'uncached'] as const) {
    const p = run[phase];
    lines.push(row(phase, 'ceiling', p.ceiling, 1, ''));
    for (const page of PAGES) {
      const f = p.pages[page];
      if (!f) continue;
      const warn = f.non2xx + f.socketErrors > 0 ? `  ! ${f.non2xx} non-2xx/3xx, ${f.socketErrors} socket errors` : '';
      lines.push(row(phase, page, f, f.fraction, (f.bytes / 1024).toFixed(1)) + warn);
    }
    lines.push(`${''.padEnd(8)}  ceiling = mean of the bare runs, req/s: ${p.ceiling.runs.join(', ')}`);
  }
  lines.push('', pad(['phase', 'peak RSS MB', 'first response ms'], [-8, 11, 17]));
  for (const phase of ['cached', 'uncached'] as const) {
    lines.push(pad([phase, run[phase].peakRssMb.toFixed(1), run[phase].firstResponseMs.toFixed(0)], [-8, 11, 17]));
  }
  if (run.weather?.length) lines.push('', weatherTable(run.weather));
  lines.push('', 'Targets');
  for (const t of targets(run)) {
    lines.push(`  ${t.met ? 'met   ' : 'MISSED'}  ${t.name.padEnd(40)} ${t.value.toFixed(1)} ${t.unit}`);
  }
  const urls = PAGES.map((page) => `${page} ${run.cached.pages[page]?.url ?? '—'}`).join(', ');
  lines.push('', `URLs: ${urls}`);
  return `${lines.join('\n')}\n`;
}

const VARIANT_LABEL: Record<WeatherVariant, string> = {
  none: 'no widget',
  slow: 'provider 300 ms',
  down: 'provider down',
};

function weatherTable(phases: WeatherPhase[]): string {
  const widths = [-8, -16, 8, 7, 8, 9, 6, -7];
  const lines = [
    `Weather widget: article page ${phases[0]?.url ?? ''}, runs interleaved`,
    pad(['phase', 'weather', 'req/s', 'p50 ms', 'p99 ms', 'of none', 'KB', 'widget'], widths),
  ];
  for (const w of phases) {
    for (const variant of WEATHER_VARIANTS) {
      const f = w.variants[variant];
      const warn = f.non2xx + f.socketErrors > 0 ? `  ! ${f.non2xx} non-2xx/3xx, ${f.socketErrors} socket errors` : '';
      lines.push(
        pad(
          [
            w.pageCache ? 'cached' : 'uncached',
            VARIANT_LABEL[variant],
            f.rps.toFixed(0),
            f.p50.toFixed(2),
            f.p99.toFixed(2),
            `${((f.rps / w.variants.none.rps) * 100).toFixed(1)}%`,
            (f.bytes / 1024).toFixed(1),
            f.widget ? 'yes' : 'no',
          ],
          widths,
        ) + warn,
      );
    }
    const runs = WEATHER_VARIANTS.map((v) => `${v} ${w.variants[v].runs.join('/')}`).join('; ');
    lines.push(`${''.padEnd(8)}  runs, req/s: ${runs}; upstream calls: ${w.upstreamCalls}`);
  }
  return lines.join('\n');
}

function weatherJson(w: WeatherPhase) {
  return {
    pageCache: w.pageCache,
    url: w.url,
    upstreamCalls: w.upstreamCalls,
    ...Object.fromEntries(
      WEATHER_VARIANTS.map((v) => {
        const f = w.variants[v];
        return [
          v,
          {
            rps: round(f.rps, 1),
            p50: round(f.p50, 3),
            p99: round(f.p99, 3),
            ofNone: round(f.rps / w.variants.none.rps, 4),
            runs: f.runs,
            bytes: f.bytes,
            widget: f.widget,
            non2xx: f.non2xx,
            socketErrors: f.socketErrors,
          },
        ];
      }),
    ),
  };
}

function phaseJson(p: Phase) {
  const pages = Object.fromEntries(
    PAGES.filter((page) => p.pages[page]).map((page) => {
      const f = p.pages[page] as PageFigures;
      return [
        page,
        {
          rps: round(f.rps, 1),
          p50: round(f.p50, 3),
          p99: round(f.p99, 3),
          fraction: round(f.fraction, 4),
          url: f.url,
          bytes: f.bytes,
          non2xx: f.non2xx,
          socketErrors: f.socketErrors,
        },
      ];
    }),
  );
  const ceiling = {
    rps: round(p.ceiling.rps, 1),
    p50: round(p.ceiling.p50, 3),
    p99: round(p.ceiling.p99, 3),
    runs: p.ceiling.runs,
  };
  return { ...pages, ceiling, peakRssMb: round(p.peakRssMb, 1), firstResponseMs: round(p.firstResponseMs, 0) };
}

/** One line of JSON with every figure; the overall ceiling is the mean over both phases' bare runs. */
export function jsonLine(run: Run): string {
  const both = [run.cached.ceiling, run.uncached.ceiling];
  return JSON.stringify({
    bench: 'pages',
    articles: run.articles,
    db: run.db,
    durationSeconds: run.durationSeconds,
    connections: run.connections,
    importPerSec: round(run.importPerSec, 0),
    importWallPerSec: round(run.importWallPerSec, 0),
    importWallSeconds: round(run.importWallSeconds, 1),
    ...(run.importRelatedSeconds === undefined ? {} : { importRelatedSeconds: run.importRelatedSeconds }),
    ceiling: {
      rps: round(mean(both.map((c) => c.rps)), 1),
      p50: round(mean(both.map((c) => c.p50)), 3),
      p99: round(mean(both.map((c) => c.p99)), 3),
    },
    cached: phaseJson(run.cached),
    uncached: phaseJson(run.uncached),
    ...(run.weather ? { weather: run.weather.map(weatherJson) } : {}),
    targets: targets(run).map((t) => ({ name: t.name, value: round(t.value, 2), limit: t.limit, met: t.met })),
  });
}
