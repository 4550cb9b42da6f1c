/**
 * The newsroom under load, on an archive of N articles (100,000 by default):
 *
 *   npm run bench:newsroom [-- --articles 100000 --saves 200 --lists 300 --duration 10]
 *   BENCH_DATABASE_URL=postgres://… npm run bench:newsroom -- --db postgres --articles 1000000
 *   npm run bench:newsroom -- --articles 100000 --keep   # leaves the database for EXPLAIN, or a later run
 *   npm run bench:newsroom -- --reuse sqlite:/tmp/dateline-bench-newsroom-…/bench.db   # measures a kept one again
 *   npm run bench:newsroom -- --setup worker   # the reader with JOBS=off and `dateline worker` beside it
 *
 * 1. Writes N articles recombined from the shared corpora (as bench:related
 *    --scale) and imports them through the normal import path, without the
 *    related pass.
 * 2. **Save**: an editor's save of an article with a 1,500-word body, through
 *    the article service's `update` (the editor's autosave and its Save
 *    button), on a draft and on a published article (which also writes the
 *    search and related indexes and queues its side effects); p50/p99.
 * 3. **Desk list**: the newsroom's article list with each filter (none, a
 *    state, a section, a byline, headline words common and rare, words and a
 *    state, the second page), in rotation; p50/p99 per filter and overall.
 * 4. **Reader pages while editing**: `dateline serve` on the same database;
 *    wrk on a cached article page for `--duration` seconds idle, then again
 *    while this process saves a published article every second (its jobs run
 *    in the server), then idle again; the figure is the share of the mean
 *    idle req/s kept while saving.
 * Progress on stderr; a table, then one line of JSON, on stdout.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import type { ArticleInput, Block } from '../src/articles/article.js';
import { countArticles } from '../src/articles/article.repository.js';
import { type DeskFilter, listDesk } from '../src/articles/article-desk.repository.js';
import { loadConfig } from '../src/config.js';
import { refreshStatistics } from '../src/db/maintenance.js';
import { importFile } from '../src/ingest/import.service.js';
import { buildServices, type Services } from '../src/services.js';
import { freePort, startDateline, startWorker } from './lib/processes.js';
import { loadPool, writeCorpus } from './lib/related-scale-corpus.js';
import { measuredDb, runInWorkspace } from './lib/workspace.js';
import { runWrk } from './lib/wrk.js';

const out = (text: string) => process.stdout.write(text);
const log = (text: string) => process.stderr.write(`${text}\n`);

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      articles: { type: 'string', default: '100000' },
      saves: { type: 'string', default: '200' },
      lists: { type: 'string', default: '300' },
      duration: { type: 'string', default: '10' },
      db: { type: 'string', default: 'sqlite' },
      keep: { type: 'boolean', default: false },
      reuse: { type: 'string' },
      setup: { type: 'string', default: 'single' },
    },
  });
  const int = (name: string, value: string, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be an integer from 1 to ${max}`);
    return n;
  };
  if (values.db !== 'sqlite' && values.db !== 'postgres') throw new Error('--db must be sqlite or postgres');
  if (values.setup !== 'single' && values.setup !== 'worker') throw new Error('--setup must be single or worker');
  if (values.db === 'postgres' && !process.env.BENCH_DATABASE_URL)
    throw new Error('--db postgres needs BENCH_DATABASE_URL=postgres://… (the benchmark works in a schema of its own)');
  return {
    articles: int('articles', values.articles, 2_000_000),
    saves: int('saves', values.saves, 10_000),
    lists: int('lists', values.lists, 100_000),
    duration: int('duration', values.duration, 600),
    db: measuredDb(values.db, values.reuse),
    keep: values.keep,
    /** A database a `--keep` run left: no import, the measurements again (on a quieter machine, say). */
    reuse: values.reuse,
    /** `worker`: the server with JOBS=off and `dateline worker` beside it (docs/DEPLOY.md); `single`: one process. */
    setup: values.setup,
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

/** A 1,500-word body: paragraphs of the archive's own text, a crosshead, a quote and a list among them. */
function longBody(file: string): Block[] {
  const paragraphs: string[] = [];
  // The first few megabytes are plenty: at a million articles the whole file is larger than a string can be.
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(8 * 1024 * 1024);
  const read = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  for (const line of head.subarray(0, read).toString('utf8').split('\n', 400)) {
    if (!line) continue;
    const body = (JSON.parse(line) as { body?: string }).body ?? '';
    paragraphs.push(...body.split('\n\n').filter((p) => p.length > 200));
    if (paragraphs.join(' ').split(/\s+/).length > 1500) break;
  }
  const words = (blocks: Block[]) =>
    blocks
      .map((b) => (b.type === 'paragraph' ? b.html : ''))
      .join(' ')
      .split(/\s+/).length;
  const blocks: Block[] = [];
  for (const [i, text] of paragraphs.entries()) {
    blocks.push({ type: 'paragraph', html: text });
    if (i === 3) blocks.push({ type: 'crosshead', text: 'What happens next' });
    if (i === 6) blocks.push({ type: 'quote', text: 'We will keep going.', attribution: 'A spokeswoman' });
    if (i === 9) blocks.push({ type: 'list', style: 'bulleted', items: ['First point', 'Second point'] });
    if (words(blocks) >= 1500) break;
  }
  return blocks;
}

async function measureSaves(services: Services, body: Block[], count: number) {
  const input = (headline: string, status: ArticleInput['status']): ArticleInput => ({
    headline,
    standfirst: 'A long article the newsroom keeps editing.',
    body,
    authors: [{ name: 'Bench Writer' }],
    section: { name: 'News' },
    tags: [{ name: 'Bench' }],
    status,
  });
  const results: Record<'draft' | 'published', number[]> = { draft: [], published: [] };
  for (const status of ['draft', 'published'] as const) {
    let { id, version } = await services.articles.create(input(`Bench ${status} article`, status));
    for (let i = 0; i < count; i++) {
      const [saved, ms] = await timed(() =>
        services.articles.update(id, input(`Bench ${status} article, take ${i}`, status), { expectedVersion: version }),
      );
      ({ id, version } = saved);
      if (i >= 5) results[status].push(ms); // the first few warm the caches
    }
  }
  return { draft: stats(results.draft), published: stats(results.published) };
}

/** The desk's filters, each a realistic question; words picked from the archive (common and rare). */
async function deskFilters(services: Services): Promise<[string, DeskFilter][]> {
  const db = services.database.db;
  const section = await db.selectFrom('sections').select('id').orderBy('id').executeTakeFirstOrThrow();
  const author = await db.selectFrom('article_authors').select('author_id').limit(1).executeTakeFirst();
  return [
    ['all', {}],
    ['published', { state: 'published' }],
    ['in review', { state: 'in_review' }],
    ['section', { sectionId: section.id }],
    ...(author ? ([['byline', { authorId: author.author_id }]] as [string, DeskFilter][]) : []),
    ['words: common', { text: 'government' }],
    ['words: rare', { text: 'volcano eruption' }],
    ['words: prefix', { text: 'minist' }],
    ['words + state', { text: 'bank', state: 'published' }],
  ];
}

async function measureDesk(services: Services, count: number) {
  const { db } = services.database;
  const { dialect } = services.database;
  const filters = await deskFilters(services);
  const per = new Map<string, number[]>(filters.map(([name]) => [name, []]));
  const second: number[] = [];
  for (let i = 0; i < count + filters.length; i++) {
    const [name, filter] = filters[i % filters.length]!;
    const [page, ms] = await timed(() => listDesk(db, dialect, filter, { limit: 50 }));
    if (i >= filters.length) per.get(name)!.push(ms);
    if (page.next && i % 3 === 0) {
      const [, next] = await timed(() => listDesk(db, dialect, filter, { limit: 50, after: page.next! }));
      second.push(next);
    }
  }
  const all = [...per.values()].flat();
  return {
    overall: stats(all),
    secondPage: stats(second),
    byFilter: Object.fromEntries([...per].map(([name, ms]) => [name, stats(ms)])),
  };
}

async function readerWhileEditing(services: Services, env: NodeJS.ProcessEnv, seconds: number, setup: string) {
  const port = await freePort();
  const single = setup === 'single';
  const { child, url } = await startDateline(port, single ? env : { ...env, JOBS: 'off' }, 120_000);
  const worker = single ? undefined : await startWorker(env);
  try {
    const home = await (await fetch(url)).text();
    const path = /href="(\/[a-z0-9-]+\/\d{4}\/\d{2}\/\d{2}\/[^"]+)"/.exec(home)?.[1];
    if (!path) throw new Error('no article link on the home page');
    const page = `${url.replace(/\/$/, '')}${path}`;
    // The saves measured above queued their side effects: the server runs them first, or "idle" is not idle.
    const backlog = { jobs: await services.jobs.pending(), seconds: 0 };
    const drainStarted = performance.now();
    while ((await services.jobs.pending()) > 0) await new Promise((r) => setTimeout(r, 500));
    backlog.seconds = Math.round((performance.now() - drainStarted) / 100) / 10;
    await runWrk(page, { connections: 50, durationSeconds: 3 });
    const run = () => runWrk(page, { connections: 50, durationSeconds: seconds });
    const idleBefore = await run();
    const edited = await services.articles.create({
      headline: 'Live story updated every second',
      standfirst: 'An editor keeps changing it.',
      body: [{ type: 'paragraph', html: 'First version.' }],
      authors: [],
      section: { name: 'News' },
      tags: [],
      status: 'published',
    });
    let version = edited.version;
    let saves = 0;
    let editing = true;
    const editor = (async () => {
      while (editing) {
        const at = performance.now();
        const saved = await services.articles.update(
          edited.id,
          {
            headline: `Live story updated every second (${saves})`,
            standfirst: 'An editor keeps changing it.',
            body: [{ type: 'paragraph', html: `Version ${saves}.` }],
            authors: [],
            section: { name: 'News' },
            tags: [],
            status: 'published',
          },
          { expectedVersion: version },
        );
        version = saved.version;
        saves++;
        await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - at))));
      }
    })();
    const whileEditing = await run();
    editing = false;
    await editor;
    const idleAfter = await run();
    const idle = (idleBefore.rps + idleAfter.rps) / 2;
    return {
      path,
      backlog,
      idleBefore: Math.round(idleBefore.rps),
      whileEditing: Math.round(whileEditing.rps),
      idleAfter: Math.round(idleAfter.rps),
      share: Math.round((whileEditing.rps / idle) * 1000) / 10,
      saves,
      p99Ms: { idle: idleBefore.p99, editing: whileEditing.p99 },
    };
  } finally {
    child.process.kill('SIGTERM');
    worker?.process.kill('SIGTERM');
  }
}

async function main(opts: ReturnType<typeof options>, dir: string, url: string, ownSchema: string | undefined) {
  // A reused PostgreSQL database is a kept run's schema, named in its URL's search_path.
  const schema = ownSchema ?? /search_path(?:=|%3D)(\w+)/i.exec(decodeURIComponent(url))?.[1];
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
  const corpus = join(dir, 'corpus.jsonl');
  // Reusing a database, the corpus is written only for the long article's text (record n is the same at every size).
  log(`Writing ${opts.reuse ? 400 : opts.articles} articles…`);
  await writeCorpus(corpus, opts.reuse ? 400 : opts.articles, await loadPool(), 42, Date.now());
  const services = await buildServices(config, { log: pino({ level: 'silent' }) });
  try {
    let articles: number;
    if (opts.reuse) {
      articles = await countArticles(services.database.db);
      log(`Reusing ${articles} articles`);
    } else {
      log('Importing…');
      const [imported, importMs] = await timed(() => importFile(services, corpus, { related: false }));
      articles = imported.created;
      log(`  ${imported.created} articles in ${(importMs / 1000).toFixed(0)} s`);
    }
    // `dateline import` ends with its related pass, which refreshes the planner's statistics (PostgreSQL); so here.
    await refreshStatistics(services.database);
    log(`Saving a 1,500-word article ${opts.saves} times, as a draft and published…`);
    const saves = await measureSaves(services, longBody(corpus), opts.saves);
    log(`Listing the desk ${opts.lists} times…`);
    const desk = await measureDesk(services, opts.lists);
    log('Reader pages idle and while an editor saves every second…');
    const reader = await readerWhileEditing(services, env, opts.duration, opts.setup);
    const result = { bench: 'newsroom', db: opts.db, setup: opts.setup, articles, saves, desk, reader };
    if (opts.keep) log(`Kept: ${url}`);
    const row = (name: string, s: Stats) =>
      `${name.padEnd(28)} ${String(s.p50).padStart(9)} ${String(s.p99).padStart(9)} ${String(s.n).padStart(6)}`;
    out(
      [
        '',
        `Newsroom, ${opts.db}, ${result.articles} articles`,
        `${''.padEnd(28)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'n'.padStart(6)}`,
        row('save, draft (1,500 words)', saves.draft),
        row('save, published', saves.published),
        row('desk list, every filter', desk.overall),
        ...Object.entries(desk.byFilter).map(([name, s]) => row(`  ${name}`, s)),
        row('  next page', desk.secondPage),
        `The server ran the ${reader.backlog.jobs} jobs the saves above queued in ${reader.backlog.seconds} s before the reader was measured.`,
        `Cached article page (${opts.setup === 'single' ? 'one dateline serve running the jobs' : 'dateline serve with JOBS=off and dateline worker'}): ${reader.idleBefore} req/s idle, ${reader.whileEditing} while saving every second (${reader.saves} saves), ${reader.idleAfter} idle again: ${reader.share}% kept.`,
        `Targets: save p99 ≤ 50 ms ${Math.max(saves.draft.p99, saves.published.p99) <= 50 ? 'met' : 'MISSED'}; list p99 ≤ 50 ms ${desk.overall.p99 <= 50 ? 'met' : 'MISSED'}; reader within 10% ${reader.share >= 90 ? 'met' : 'MISSED'}.`,
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
  log(`bench:newsroom: ${(err as Error).message}`);
  process.exit(2);
}
await runInWorkspace(
  { name: 'newsroom', db: opts.db, keep: opts.keep, ...(opts.reuse ? { reuse: opts.reuse } : {}) },
  log,
  ({ dir, url, schema }) => main(opts, dir, url, schema),
);
