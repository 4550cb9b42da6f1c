/**
 * Two Dateline instances behind the repository's nginx config, on one machine.
 *
 *   npm run bench:cluster [-- --articles 10000 --duration 10 --quick]
 *
 * Imports N real articles through the CLI into a fresh PostgreSQL schema,
 * starts two `dateline serve` sharing it (Redis invalidation on a private
 * channel) and nginx in front, then loads the article and home pages with wrk:
 * through nginx's proxy cache, through nginx with `proxy_cache off` (balanced
 * over the instances' own page caches) and on one instance directly,
 * interleaved with a bare node:http ceiling. Then times how long an article
 * published by the CLI takes to show on instance 2. A table, then one line of
 * JSON. See bench/README.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { writeSelection } from './lib/corpus.js';
import { parseImportSummary } from './lib/import-summary.js';
import { httpGet, nginxConf, PAGES, type Page, type Run, report, SETUPS, type Setup, startNginx } from './lib/nginx.js';
import {
  cpuSeconds,
  freePort,
  peakRssMb,
  runImport,
  runWithCleanup,
  startBare,
  startDateline,
  stopAll,
} from './lib/processes.js';
import { runWrk } from './lib/wrk.js';

const out = (text: string) => process.stdout.write(text);
const log = (text: string) => process.stderr.write(`${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DATABASE = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = 'redis://127.0.0.1:6379';

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { articles: { type: 'string' }, duration: { type: 'string' }, quick: { type: 'boolean', default: false } },
  });
  const int = (name: string, value: string | undefined, fallback: number, max: number) => {
    const n = Number(value ?? fallback);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be an integer from 1 to ${max}`);
    return n;
  };
  return {
    articles: int('articles', values.articles, values.quick ? 2000 : 10_000, 1_000_000),
    duration: int('duration', values.duration, values.quick ? 3 : 10, 600),
  };
}

async function sql(statement: string, params: unknown[] = [], url = DATABASE) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, statement_timeout: 60_000 });
  await client.connect();
  try {
    return await client.query(statement, params);
  } finally {
    await client.end();
  }
}

async function importFile(file: string, env: NodeJS.ProcessEnv) {
  const result = await runImport(file, env, 30 * 60_000);
  const summary = parseImportSummary(result.output);
  if (!summary || result.code !== 0)
    throw new Error(`import failed (exit ${result.code}):\n${result.output.slice(-4000)}`);
  return { ...summary, wallSeconds: result.seconds };
}

/** From the CLI's publishing an article to its headline on each instance's home page (fetched directly every 10 ms). */
async function freshness(tmp: string, env: NodeJS.ProcessEnv, homes: string[]) {
  const token = `probe${Date.now().toString(36)}`;
  const id = `bench-cluster:${token}`;
  const file = join(tmp, 'probe.jsonl');
  const probe = { id, title: `Cluster freshness ${token}`, body: 'A freshness probe.', published: new Date() };
  writeFileSync(file, `${JSON.stringify({ ...probe, category: 'news' })}\n`);
  for (const home of homes)
    if ((await httpGet(home)).body.includes(token)) throw new Error('probe shown before import');
  const spawned = performance.now();
  const deadline = spawned + 60_000;
  let failed: Error | undefined;
  const importing = importFile(file, env).catch((err: Error) => {
    failed = err;
  });
  const client = new pg.Client({ connectionString: env['DATABASE_URL'] });
  await client.connect();
  const committed = (async () => {
    try {
      while (performance.now() < deadline && !failed) {
        if ((await client.query('select 1 from articles where external_id = $1', [id])).rowCount)
          return performance.now();
        await sleep(10);
      }
      return undefined;
    } finally {
      await client.end();
    }
  })();
  const shown = homes.map(async (home) => {
    while (performance.now() < deadline && !failed) {
      if ((await httpGet(home)).body.includes(token)) return performance.now();
      await sleep(10);
    }
    return undefined;
  });
  const [commitAt, ...shownAt] = await Promise.all([committed, ...shown]);
  await importing;
  if (failed) throw failed;
  if (commitAt === undefined) throw new Error('the probe article never reached the database');
  return {
    fromCommit: shownAt.map((t) => (t === undefined ? null : Math.max(0, t - commitAt))),
    fromSpawn: shownAt.map((t) => (t === undefined ? null : t - spawned)),
    commitFromSpawn: commitAt - spawned,
  };
}

async function main(opts: ReturnType<typeof options>, tmp: string, schema: string) {
  const databaseUrl = `${DATABASE}${DATABASE.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}`;
  mkdirSync(join(tmp, 'media'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // JOBS off: pg-boss would create its schema in the shared test database; pages do not need it.
    ...{
      DATABASE_URL: databaseUrl,
      REDIS_URL: REDIS,
      CACHE_CHANNEL: schema,
      TRUST_PROXY: 'on',
      DEMO_CONTENT: 'off',
      JOBS: 'off',
    },
    ...{ LOG_LEVEL: 'warn', LOG_REQUESTS: 'off', MEDIA_DIR: join(tmp, 'media'), SITE_URL: '' },
  };
  const corpus = join(tmp, 'articles.jsonl');
  const { count } = await writeSelection(corpus, opts.articles, new Date());
  log(`Importing ${count} articles into schema ${schema}…`);
  const imported = await importFile(corpus, env);
  log(`  ${imported.line}`);

  const instances = [];
  for (let i = 0; i < 2; i++) instances.push(await startDateline(await freePort(), env));
  const pids = instances.map((s) => s.child.process.pid as number);
  const direct = instances[0]!.url.replace(/\/$/, '');
  const home = (await httpGet(`${direct}/`)).body.toString();
  const article = /href="(\/[a-z0-9-]+\/\d{4}\/\d{2}\/\d{2}\/[a-z0-9-]+)"/.exec(home)?.[1];
  if (!article) throw new Error('no article link on the home page');
  const paths: Record<Page, string> = { article, home: '/' };
  const bytes = {} as Record<Page, number>;
  for (const page of PAGES) bytes[page] = (await httpGet(direct + paths[page])).body.length;
  const page = await httpGet(direct + article);
  writeFileSync(join(tmp, 'article.html'), page.body);
  const barePort = await freePort();
  await startBare(barePort, join(tmp, 'article.html'), String(page.headers['content-type']));
  const bare = `http://127.0.0.1:${barePort}/`;

  const upstreams = instances.map((s) => Number(new URL(s.url).port));
  const bases = { direct } as Record<Setup, string>;
  for (const setup of ['nginxCached', 'nginxUncached'] as const) {
    const dir = join(tmp, setup);
    mkdirSync(dir);
    bases[setup] = (
      await startNginx(dir, nginxConf(dir, await freePort(), upstreams, { cache: setup === 'nginxCached' }))
    ).url;
  }
  const status = async (url: string) => String((await httpGet(url)).headers['x-cache-status'] ?? '-');
  if ((await status(`${bases.nginxCached}/`)) === '-' || (await status(`${bases.nginxUncached}/`)) !== '-') {
    throw new Error('nginx variants: expected X-Cache-Status only from the cached one');
  }

  const wrk = (url: string, seconds = opts.duration) => runWrk(url, { connections: 50, durationSeconds: seconds });
  const targets = (Object.keys(SETUPS) as Setup[]).flatMap((setup) => PAGES.map((page) => ({ setup, page })));
  const warm = Math.max(1, Math.round(opts.duration / 5));
  for (const url of [bare, ...targets.map((t) => bases[t.setup] + paths[t.page])]) await wrk(url, warm);
  const bareRuns = [await wrk(bare)];
  const runs: Run['runs'] = [];
  for (const { setup, page } of targets) {
    const url = bases[setup] + paths[page];
    const cacheStatus = setup === 'direct' ? '' : await status(url);
    log(`  wrk ${SETUPS[setup]} ${paths[page]} ${cacheStatus}`);
    const cpu0 = pids.map(cpuSeconds);
    const result = await wrk(url);
    runs.push({ setup, page, ...result, cacheStatus, cpu: pids.map((pid, i) => cpuSeconds(pid) - cpu0[i]!) });
    bareRuns.push(await wrk(bare));
  }
  const rss = pids.map(peakRssMb);
  log('Publishing a probe article through the CLI (instance 1’s settings)…');
  const fresh = await freshness(tmp, env, [instances[0]!.url, instances[1]!.url]);
  const { line: importLine, imported: articles } = imported;
  const { table, json } = report({
    duration: opts.duration,
    importLine,
    articles,
    bareRuns,
    runs,
    bytes,
    rss,
    fresh,
    article,
  });
  out(`\n${table}\n${json}\n`);
}

let opts: ReturnType<typeof options>;
try {
  opts = options(process.argv.slice(2));
} catch (err) {
  log(`bench:cluster: ${(err as Error).message}`);
  process.exit(2);
}
const tmp = mkdtempSync(join(tmpdir(), 'dateline-bench-cluster-'));
const schema = `bench_cluster_${process.pid}_${Date.now().toString(36)}`;
let schemaCreated = false;
let cleaning: Promise<void> | undefined;
const cleanup = () =>
  (cleaning ??= (async () => {
    await stopAll();
    if (schemaCreated) {
      await sql(`drop schema if exists ${schema} cascade`).catch((err: Error) =>
        log(`could not drop schema ${schema}: ${err.message}`),
      );
    }
    rmSync(tmp, { recursive: true, force: true });
  })());
await runWithCleanup(
  'bench:cluster',
  async () => {
    await sql(`create schema ${schema}`);
    schemaCreated = true;
    await main(opts, tmp, schema);
  },
  cleanup,
  log,
);
