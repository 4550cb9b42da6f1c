/**
 * Reader search on an archive of N articles (100,000 by default):
 *
 *   npm run bench:search [-- --articles 100000 --queries 100]
 *   BENCH_DATABASE_URL=postgres://… npm run bench:search -- --db postgres --articles 1000000
 *   npm run bench:search -- --articles 100000 --keep        # leaves the database, prints its URL
 *   npm run bench:search -- --reuse sqlite:/tmp/…/bench.db  # measures a kept database again (no import)
 *
 * 1. Writes N articles recombined from the shared corpora (as bench:related
 *    --scale and bench:newsroom) and imports them through the normal import
 *    path, without the related pass; planner statistics refreshed.
 * 2. **Speed**: the search service (what the /search page and the API call:
 *    match, rank, read the page, highlight; without its answer cache)
 *    over a fixed set of queries drawn from the archive: whole headlines,
 *    single words, two-word phrases and rare words (seen once in a sample
 *    of bodies); each query is run once to warm, then timed --rounds times.
 *    p50/p99 per kind and overall, beside a primary-key article read
 *    measured in the same run.
 * 3. **Relevance**: 200 articles' own headlines as queries: the share that
 *    find their article in the top 3 (target ≥ 95%); beside it, how many
 *    misses are headlines more than 3 articles carry word for word (no top 3
 *    can name one of them) and the share without those (not the target's figure).
 * Progress on stderr; a table, then one line of JSON, on stdout.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { findArticleById } from '../src/articles/article.repository.js';
import { loadConfig } from '../src/config.js';
import { refreshStatistics } from '../src/db/maintenance.js';
import { importFile } from '../src/ingest/import.service.js';
import { createSearchService, type SearchService } from '../src/search/search.service.js';
import { buildServices, type Services } from '../src/services.js';
import { seeded } from './lib/related-corpus.js';
import { loadPool, writeCorpus } from './lib/related-scale-corpus.js';
import { measuredDb, runInWorkspace } from './lib/workspace.js';

const out = (text: string) => process.stdout.write(text);
const log = (text: string) => process.stderr.write(`${text}\n`);
const TARGET_P99_MS = 100;
const TARGET_TOP3 = 95;
const RELEVANCE_QUERIES = 200;

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      articles: { type: 'string', default: '100000' },
      queries: { type: 'string', default: '100' },
      rounds: { type: 'string', default: '3' },
      db: { type: 'string', default: 'sqlite' },
      keep: { type: 'boolean', default: false },
      reuse: { type: 'string' },
    },
  });
  const int = (name: string, value: string, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be an integer from 1 to ${max}`);
    return n;
  };
  if (values.db !== 'sqlite' && values.db !== 'postgres') throw new Error('--db must be sqlite or postgres');
  if (values.db === 'postgres' && !process.env.BENCH_DATABASE_URL && !values.reuse)
    throw new Error('--db postgres needs BENCH_DATABASE_URL=postgres://… (the benchmark works in a schema of its own)');
  return {
    articles: int('articles', values.articles, 2_000_000),
    queries: int('queries', values.queries, 10_000),
    rounds: int('rounds', values.rounds, 100),
    db: measuredDb(values.db, values.reuse),
    keep: values.keep,
    reuse: values.reuse,
  };
}

interface Stats {
  p50: number;
  p99: number;
  n: number;
}

function stats(ms: number[]): Stats {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: Math.round(at(0.5) * 100) / 100, p99: Math.round(at(0.99) * 100) / 100, n: sorted.length };
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await run();
  return [value, performance.now() - started];
}

const KINDS = ['headline', 'word', 'phrase', 'rare'] as const;
type Kind = (typeof KINDS)[number];
const WORD = /^\p{L}{4,}$/u;
const COMMON = new Set(['that', 'this', 'with', 'from', 'have', 'were', 'will', 'said', 'they', 'their', 'been']);

/** The fixed query set: `count` of each kind, drawn deterministically from a sample of the imported articles. */
async function querySet(services: Services, count: number): Promise<{ kind: Kind; q: string }[]> {
  const { db } = services.database;
  const max = Number(
    (
      await db
        .selectFrom('articles')
        .select((eb) => eb.fn.max('id').as('m'))
        .executeTakeFirstOrThrow()
    ).m,
  );
  const random = seeded(7);
  const ids = Array.from({ length: count * 4 }, () => 1 + Math.floor(random() * max));
  const rows = await db.selectFrom('articles').select(['headline', 'body']).where('id', 'in', ids).execute();
  const headlineWords = rows.flatMap((r) => r.headline.split(/\s+/).filter((w) => WORD.test(w)));
  const pairs = rows.flatMap((r) => {
    const words = r.headline.split(/\s+/);
    return words.slice(1).flatMap((w, i) => (WORD.test(w) && WORD.test(words[i]!) ? [`"${words[i]} ${w}"`] : []));
  });
  // Rare: long words seen once in the sample's bodies.
  const seen = new Map<string, number>();
  for (const r of rows)
    for (const w of r.body.toLowerCase().match(/\p{L}{8,}/gu) ?? []) seen.set(w, (seen.get(w) ?? 0) + 1);
  const rare = [...seen].filter(([, n]) => n === 1).map(([w]) => w);
  const take = (items: string[]) => Array.from({ length: count }, () => items[Math.floor(random() * items.length)]!);
  return [
    ...take(rows.map((r) => r.headline)).map((q) => ({ kind: 'headline' as const, q })),
    ...take(headlineWords.filter((w) => !COMMON.has(w.toLowerCase()))).map((q) => ({ kind: 'word' as const, q })),
    ...take(pairs).map((q) => ({ kind: 'phrase' as const, q })),
    ...take(rare).map((q) => ({ kind: 'rare' as const, q })),
  ];
}

async function measureSpeed(
  services: Services,
  search: SearchService,
  queries: { kind: Kind; q: string }[],
  rounds: number,
) {
  const per = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
  const found = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
  for (const { q } of queries) await search.search({ q }); // warm
  for (let r = 0; r < rounds; r++) {
    for (const { kind, q } of queries) {
      const [result, ms] = await timed(() => search.search({ q }));
      per.get(kind)!.push(ms);
      if (r === 0) found.get(kind)!.push(result.total);
    }
  }
  // The reference: a primary-key read of a whole article, as the article page does.
  const { db } = services.database;
  const reference: number[] = [];
  for (let i = 0; i < queries.length * rounds; i++) {
    const [, ms] = await timed(() => findArticleById(db, 1 + ((i * 7919) % 1000)));
    reference.push(ms);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  return {
    overall: stats([...per.values()].flat()),
    byKind: Object.fromEntries(
      [...per].map(([kind, ms]) => [kind, { ...stats(ms), medianTotal: median(found.get(kind)!) }]),
    ) as Record<Kind, Stats & { medianTotal: number }>,
    reference: stats(reference),
  };
}

/** For 200 articles, their own headline as the query: is the article in the top 3? */
async function measureRelevance(services: Services, search: SearchService) {
  const { db } = services.database;
  const max = Number(
    (
      await db
        .selectFrom('articles')
        .select((eb) => eb.fn.max('id').as('m'))
        .executeTakeFirstOrThrow()
    ).m,
  );
  const random = seeded(11);
  const ids = [...new Set(Array.from({ length: RELEVANCE_QUERIES * 2 }, () => 1 + Math.floor(random() * max)))];
  const rows = await db.selectFrom('articles').select(['id', 'headline']).where('id', 'in', ids).execute();
  let top3 = 0;
  let asked = 0;
  /** Missed headlines that more than 3 published articles carry word for word: no top 3 can name one of them. */
  let shared = 0;
  const misses: string[] = [];
  for (const row of rows.slice(0, RELEVANCE_QUERIES)) {
    asked++;
    const { hits } = await search.search({ q: row.headline, perPage: 3 });
    if (hits.some((h) => h.id === row.id)) {
      top3++;
      continue;
    }
    const same = await db
      .selectFrom('articles')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('headline', '=', row.headline)
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow();
    if (Number(same.n) > 3) shared++;
    if (misses.length < 5) misses.push(row.headline);
  }
  const percent = (n: number, of: number) => Math.round((n / Math.max(1, of)) * 1000) / 10;
  return {
    asked,
    top3,
    percent: percent(top3, asked),
    shared,
    /** The same share among the headlines that name one article at most three do. */
    distinctPercent: percent(top3, asked - shared),
    misses,
  };
}

async function main(opts: ReturnType<typeof options>, dir: string, url: string) {
  // The kept schema of a PostgreSQL run, whose jobs schema sits beside it.
  const schema = /search_path%3D(\w+)|search_path=(\w+)/.exec(url)?.slice(1).find(Boolean);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    DEMO_CONTENT: 'off',
    WEATHER_PROVIDER: 'none',
    MEDIA_DIR: join(dir, 'media'),
    ...(schema ? { JOBS_SCHEMA: `${schema}_jobs`, CACHE_CHANNEL: schema } : {}),
  };
  const config = loadConfig(env as Record<string, string>);
  const services = await buildServices(config, { log: pino({ level: 'silent' }) });
  try {
    let importSeconds: number | undefined;
    if (!opts.reuse) {
      const corpus = join(dir, 'corpus.jsonl');
      log(`Writing ${opts.articles} articles…`);
      await writeCorpus(corpus, opts.articles, await loadPool(), 42, Date.now());
      log('Importing…');
      const [imported, importMs] = await timed(() => importFile(services, corpus, { related: false }));
      importSeconds = Math.round(importMs / 1000);
      log(`  ${imported.created} articles in ${importSeconds} s`);
      rmSync(corpus, { force: true });
    }
    await refreshStatistics(services.database);
    const articles = Number(
      (
        await services.database.db
          .selectFrom('articles')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const queries = await querySet(services, opts.queries);
    log(`Timing ${queries.length} queries × ${opts.rounds}…`);
    // The search itself, without the service's answer cache (`search-cache.ts`): every round would be a hit.
    const search = createSearchService({ database: services.database });
    const speed = await measureSpeed(services, search, queries, opts.rounds);
    log(`Relevance: ${RELEVANCE_QUERIES} headlines…`);
    const relevance = await measureRelevance(services, search);
    const result = {
      bench: 'search',
      db: opts.db,
      articles,
      ...(importSeconds !== undefined ? { importSeconds } : {}),
      speed,
      relevance: {
        asked: relevance.asked,
        top3: relevance.top3,
        percent: relevance.percent,
        sharedHeadlineMisses: relevance.shared,
        distinctPercent: relevance.distinctPercent,
      },
    };
    if (opts.keep) log(`Kept: ${url}`);
    const row = (name: string, s: Stats, extra = '') =>
      `${name.padEnd(28)} ${String(s.p50).padStart(9)} ${String(s.p99).padStart(9)} ${String(s.n).padStart(6)}${extra}`;
    out(
      [
        '',
        `Search, ${opts.db}, ${articles} articles`,
        `${''.padEnd(28)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'n'.padStart(6)}  median matches`,
        row('search, every kind', speed.overall),
        ...KINDS.map((k) => row(`  ${k}`, speed.byKind[k], `  ${speed.byKind[k].medianTotal}`)),
        row('reference: article by id', speed.reference),
        `Relevance: ${relevance.top3} of ${relevance.asked} headlines find their article in the top 3 (${relevance.percent}%).`,
        `  of the misses, ${relevance.shared} are headlines more than 3 articles carry word for word; without them ${relevance.distinctPercent}%.`,
        ...(relevance.misses.length
          ? [`  missed, e.g.: ${relevance.misses.map((m) => JSON.stringify(m)).join('; ')}`]
          : []),
        `Targets: p99 ≤ ${TARGET_P99_MS} ms ${speed.overall.p99 <= TARGET_P99_MS ? 'met' : 'MISSED'}; top 3 ≥ ${TARGET_TOP3}% ${relevance.percent >= TARGET_TOP3 ? 'met' : 'MISSED'}.`,
        '',
        JSON.stringify(result),
        '',
      ].join('\n'),
    );
  } finally {
    await services.close();
  }
}

let opts: ReturnType<typeof options>;
try {
  opts = options(process.argv.slice(2));
} catch (err) {
  log(`bench:search: ${(err as Error).message}`);
  process.exit(2);
}
await runInWorkspace(
  { name: 'search', db: opts.db, keep: opts.keep, ...(opts.reuse ? { reuse: opts.reuse } : {}) },
  log,
  ({ dir, url }) => main(opts, dir, url),
);
