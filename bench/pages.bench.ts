/**
 * Reader-page throughput against a ceiling measured in the same run.
 *
 *   npm run bench:pages [-- --articles 10000 --duration 10 --connections 50 --db sqlite --keep --quick]
 *   npm run bench:pages -- --pages article,home --no-weather   # only these pages, no weather phases
 *
 * Imports N real articles through the CLI into a fresh database, then twice
 * (page cache on, then PAGE_CACHE=off) starts `dateline serve`, times its first
 * response, and loads an article, the home page and a section with wrk,
 * interleaved with a bare node:http server serving the same article HTML;
 * then the site feed, the first articles sitemap and the news sitemap as
 * feed readers and crawlers fetch them (gzip), beside the same ceiling.
 * Then the weather widget's cost, with the page cache on and off: the article
 * page with no widget, with a local provider answering after 300 ms, and
 * with the provider down (connection refused), three servers loaded in turn.
 * Prints a table, then one line of JSON. See bench/README.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startFixtureServer } from '../src/weather/fixtures/fixture-server.js';
import { writeSelection } from './lib/corpus.js';
import { parseImportSummary } from './lib/import-summary.js';
import {
  type Child,
  freePort,
  peakRssMb,
  runImport,
  runWithCleanup,
  startBare,
  startDateline,
  stop,
  stopAll,
} from './lib/processes.js';
import {
  ceilingOf,
  DOCUMENTS,
  jsonLine,
  PAGES,
  type Page,
  type Phase,
  READER_PAGES,
  type Run,
  table,
  WEATHER_VARIANTS,
  type WeatherFigures,
  type WeatherPhase,
  type WeatherVariant,
} from './lib/report.js';
import { runWrk, type WrkResult } from './lib/wrk.js';

const out = (text: string) => process.stdout.write(text);
const log = (text: string) => process.stderr.write(`${text}\n`);

class UsageError extends Error {}

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      articles: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      db: { type: 'string', default: 'sqlite' },
      keep: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      pages: { type: 'string' },
      'no-weather': { type: 'boolean', default: false },
    },
  });
  const int = (name: string, value: string | undefined, fallback: number, max: number) => {
    const n = Number(value ?? fallback);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} must be an integer from 1 to ${max}`);
    return n;
  };
  const db = values.db;
  if (db !== 'sqlite' && db !== 'postgres') throw new UsageError('--db must be sqlite or postgres');
  const postgresUrl = process.env['BENCH_DATABASE_URL'];
  if (db === 'postgres' && !postgresUrl) {
    throw new UsageError(
      '--db postgres needs BENCH_DATABASE_URL=postgres://… (an empty database the benchmark may fill)',
    );
  }
  const pages = values.pages === undefined ? [...PAGES] : values.pages.split(',').map((p) => p.trim());
  const unknown = pages.filter((p) => !(PAGES as readonly string[]).includes(p));
  if (unknown.length > 0 || pages.length === 0) throw new UsageError(`--pages takes a list of ${PAGES.join(', ')}`);
  return {
    pages: new Set(pages as Page[]),
    weather: !values['no-weather'],
    articles: int('articles', values.articles, values.quick ? 2000 : 10_000, 1_000_000),
    duration: int('duration', values.duration, values.quick ? 3 : 10, 600),
    connections: int('connections', values.connections, 50, 10_000),
    db,
    postgresUrl,
    keep: values.keep,
  };
}

type Options = ReturnType<typeof options>;

/** GET with no compression asked for, as wrk sends it; bounded by a timeout. */
async function get(url: string) {
  const res = await fetch(url, { headers: { 'accept-encoding': 'identity' }, signal: AbortSignal.timeout(10_000) });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  return { body, contentType: res.headers.get('content-type') ?? 'text/html; charset=utf-8' };
}

/** The first article link on the home page and the first section in the navigation. */
async function pickPaths(base: string): Promise<Record<Page, string>> {
  const html = (await get(base)).body.toString();
  const article = /href="(\/[a-z0-9-]+\/\d{4}\/\d{2}\/\d{2}\/[a-z0-9-]+)"/.exec(html)?.[1];
  const nav = /<nav\b[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
  const section = /href="(\/[a-z0-9][a-z0-9-]*)"/.exec(nav)?.[1];
  if (!article || !section) throw new Error('could not find an article link and a section link on the home page');
  // A search for the longest word of the article's slug (its headline): found, ranked, highlighted, never in the
  // page cache (its answer is in the search service's own cache after the first request).
  const word = article
    .split('/')
    .at(-1)!
    .split('-')
    .reduce((a, b) => (b.length > a.length ? b : a), '');
  return {
    article,
    home: '/',
    section,
    search: `/search?q=${encodeURIComponent(word)}`,
    feed: '/feed.xml',
    sitemap: '/sitemaps/articles-1.xml',
    news: '/news-sitemap.xml',
  };
}

interface Context {
  opts: Options;
  tmp: string;
  env: NodeJS.ProcessEnv;
  bare?: { child: Child; url: string };
}

async function measurePhase(ctx: Context, pageCache: boolean): Promise<Phase> {
  const port = await freePort();
  const server = await startDateline(port, { ...ctx.env, PAGE_CACHE: pageCache ? 'on' : 'off' });
  const pid = server.child.process.pid as number;
  try {
    log(`[${pageCache ? 'cached' : 'uncached'}] first response after ${server.firstResponseMs.toFixed(0)} ms`);
    const paths = await pickPaths(server.url);
    const base = `http://127.0.0.1:${port}`;
    const measured = (pageCache ? PAGES : READER_PAGES).filter((page) => ctx.opts.pages.has(page));
    const bodies = {} as Record<Page, Awaited<ReturnType<typeof get>>>;
    for (const page of measured) bodies[page] = await get(base + paths[page]);
    if (!ctx.bare) {
      // The ceiling serves the article page, measured or not.
      const article = bodies.article ?? (await get(base + paths.article));
      const file = join(ctx.tmp, 'article.html');
      writeFileSync(file, article.body);
      const barePort = await freePort();
      ctx.bare = {
        child: await startBare(barePort, file, article.contentType),
        url: `http://127.0.0.1:${barePort}/`,
      };
    }
    const bareUrl = ctx.bare.url;
    const gzip = new Set<string>(DOCUMENTS.map((page) => base + paths[page]));
    const wrk = (url: string, seconds = ctx.opts.duration) =>
      runWrk(url, {
        connections: ctx.opts.connections,
        durationSeconds: seconds,
        ...(gzip.has(url) ? { headers: { 'accept-encoding': 'gzip' } } : {}),
      });
    const warmSeconds = Math.max(1, Math.round(ctx.opts.duration / 5));
    for (const url of [bareUrl, ...measured.map((page) => base + paths[page])]) await wrk(url, warmSeconds);

    // Interleaved so that noise from the shared machine falls on every page alike.
    const bareRuns: WrkResult[] = [await wrk(bareUrl)];
    const results = {} as Record<Page, WrkResult>;
    for (const page of measured) {
      log(`  wrk ${paths[page]}`);
      results[page] = await wrk(base + paths[page]);
      bareRuns.push(await wrk(bareUrl));
    }
    const ceiling = ceilingOf(bareRuns);
    const pages: Phase['pages'] = {};
    for (const page of measured) {
      const r = results[page];
      const { rps, p50, p99, non2xx, socketErrors } = r;
      pages[page] = {
        rps,
        p50,
        p99,
        non2xx,
        socketErrors,
        fraction: rps / ceiling.rps,
        url: paths[page],
        bytes: bodies[page].body.length,
      };
    }
    return { ceiling, pages, peakRssMb: peakRssMb(pid), firstResponseMs: server.firstResponseMs };
  } finally {
    await stop(server.child.process);
  }
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(what);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/**
 * The article page with and without the weather widget: three servers on the
 * same database (no widget; a local Open-Meteo answering after 300 ms; the
 * provider's port closed), loaded in turn, `WEATHER_ROUNDS` rounds, each
 * round in a rotated order so that no variant always follows the same one.
 * Figures are medians over the rounds: a noisy neighbour's burst moves a mean.
 */
const WEATHER_ROUNDS = 5;

async function measureWeather(ctx: Context, pageCache: boolean): Promise<WeatherPhase> {
  const label = pageCache ? 'cached' : 'uncached';
  const upstream = await startFixtureServer({ delayMs: 300 });
  // Nothing listens there: every call is refused at once.
  const refused = `http://127.0.0.1:${await freePort()}`;
  const provider = (url: string) => ({
    WEATHER_PROVIDER: 'open-meteo',
    OPEN_METEO_URL: url,
    OPEN_METEO_GEOCODING_URL: url,
  });
  const envs: Record<WeatherVariant, NodeJS.ProcessEnv> = {
    none: { WEATHER_PROVIDER: 'none' },
    slow: provider(upstream.url),
    down: provider(refused),
  };
  const servers: Partial<Record<WeatherVariant, Child>> = {};
  try {
    const bases = {} as Record<WeatherVariant, string>;
    for (const variant of WEATHER_VARIANTS) {
      const port = await freePort();
      const server = await startDateline(port, { ...ctx.env, PAGE_CACHE: pageCache ? 'on' : 'off', ...envs[variant] });
      servers[variant] = server.child;
      bases[variant] = `http://127.0.0.1:${port}`;
    }
    const { article } = await pickPaths(bases.none);
    const url = (variant: WeatherVariant) => bases[variant] + article;
    await until(
      async () => (await get(url('slow'))).body.includes('weather-now'),
      15_000,
      'the widget never appeared with the 300 ms provider',
    );
    const bodies = {} as Record<WeatherVariant, Buffer>;
    for (const variant of WEATHER_VARIANTS) bodies[variant] = (await get(url(variant))).body;
    const wrk = (target: string, seconds = ctx.opts.duration) =>
      runWrk(target, { connections: ctx.opts.connections, durationSeconds: seconds });
    for (const variant of WEATHER_VARIANTS) await wrk(url(variant), Math.max(1, Math.round(ctx.opts.duration / 5)));
    const runs: Record<WeatherVariant, WrkResult[]> = { none: [], slow: [], down: [] };
    for (let round = 0; round < WEATHER_ROUNDS; round++) {
      const order = WEATHER_VARIANTS.map((_, i) => WEATHER_VARIANTS[(i + round) % WEATHER_VARIANTS.length]!);
      for (const variant of order) {
        log(`  [weather ${label}] ${variant} round ${round + 1}`);
        runs[variant].push(await wrk(url(variant)));
      }
    }
    const variants = {} as Record<WeatherVariant, WeatherFigures>;
    for (const variant of WEATHER_VARIANTS) {
      const r = runs[variant];
      variants[variant] = {
        rps: median(r.map((x) => x.rps)),
        p50: median(r.map((x) => x.p50)),
        p99: median(r.map((x) => x.p99)),
        runs: r.map((x) => Math.round(x.rps)),
        bytes: bodies[variant].length,
        widget: bodies[variant].includes('weather-now'),
        non2xx: r.reduce((n, x) => n + x.non2xx, 0),
        socketErrors: r.reduce((n, x) => n + x.socketErrors, 0),
      };
    }
    return { pageCache, url: article, variants, upstreamCalls: upstream.calls.forecast };
  } finally {
    for (const child of Object.values(servers)) if (child) await stop(child.process);
    await upstream.close();
  }
}

async function importArticles(ctx: Context) {
  const file = join(ctx.tmp, 'articles.jsonl');
  const { count, bySource } = await writeSelection(file, ctx.opts.articles, new Date());
  if (count < ctx.opts.articles) log(`Only ${count} full-text articles are available; using them all.`);
  log(`Importing ${count} articles (${[...bySource].map(([s, n]) => `${n} ${s}`).join(', ')})…`);
  const result = await runImport(file, ctx.env, 30 * 60_000);
  const summary = parseImportSummary(result.output);
  if (!summary || (result.code !== 0 && result.code !== 3)) {
    throw new Error(`import failed (exit ${result.code}):\n${result.output.slice(-4000)}`);
  }
  log(`  ${summary.line}`);
  if (summary.failed > 0) log(`  ${summary.failed} lines failed:\n${result.output.slice(-4000)}`);
  return { ...summary, wallSeconds: result.seconds };
}

async function main(opts: Options, tmp: string): Promise<void> {
  const databaseUrl = opts.postgresUrl && opts.db === 'postgres' ? opts.postgresUrl : `sqlite:${join(tmp, 'bench.db')}`;
  mkdirSync(join(tmp, 'media'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    MEDIA_DIR: join(tmp, 'media'),
    DEMO_CONTENT: 'off',
    LOG_LEVEL: 'warn',
    LOG_REQUESTS: 'off',
    SITE_URL: '',
    // The weather phases turn the widget on themselves, against local servers only.
    WEATHER_PROVIDER: 'none',
    // On PostgreSQL the job queue (pg-boss) would create its schema in the shared database; pages do not need it.
    ...(databaseUrl.startsWith('postgres') ? { JOBS: 'off' } : {}),
  };
  const ctx: Context = { opts, tmp, env };
  const imported = await importArticles(ctx);
  const cached = await measurePhase(ctx, true);
  const uncached = await measurePhase(ctx, false);
  const weather = opts.weather ? [await measureWeather(ctx, true), await measureWeather(ctx, false)] : [];
  const run: Run = {
    articles: imported.imported,
    db: opts.db,
    durationSeconds: opts.duration,
    connections: opts.connections,
    importPerSec: imported.perSec,
    importWallPerSec: imported.imported / imported.wallSeconds,
    importWallSeconds: imported.wallSeconds,
    ...(imported.relatedSeconds === undefined ? {} : { importRelatedSeconds: imported.relatedSeconds }),
    cached,
    uncached,
    weather,
  };
  out(`\n${table(run)}\n`);
  out(`${jsonLine(run)}\n`);
}

let opts: Options;
try {
  opts = options(process.argv.slice(2));
} catch (err) {
  log(`bench:pages: ${(err as Error).message}`);
  process.exit(2);
}
const tmp = mkdtempSync(join(tmpdir(), 'dateline-bench-'));
const cleanup = async () => {
  await stopAll();
  if (opts.keep) log(`Kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
};
await runWithCleanup('bench:pages', () => main(opts, tmp), cleanup, log);
