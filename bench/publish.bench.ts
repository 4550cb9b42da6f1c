/**
 * Publish latency on an archive: how long the call that publishes an article
 * takes now that related lists, stories and cache invalidation run from the
 * job queue, beside the same publish with those side effects run before the
 * call returns (the path before issue 17), measured in the same run.
 *
 *   npm run bench:publish [-- --archive 10000 --publishes 200]
 *   BENCH_DATABASE_URL=postgres://… npm run bench:publish -- --db postgres
 *
 * Imports the archive (BBC then Reuters full texts, dated over 60 days, as in
 * bench:pages) through the normal import path, without its related pass (the
 * index is what a publish reads; lists of the archive do not change its
 * cost). Then publishes new articles one at a time, alternating the two ways:
 * `queued` (create, published: returns at commit, jobs queued) and `inline`
 * (create, then `related.refreshAround` awaited, as the old event handler
 * did). Finally starts the job workers and times how long they take to run
 * everything the queued publishes left. A table, then one line of JSON.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import type { ArticleInput } from '../src/articles/article.js';
import { loadConfig } from '../src/config.js';
import { importFile } from '../src/ingest/import.service.js';
import { importRecordSchema, toArticleInput } from '../src/ingest/import-record.js';
import { buildServices, type Services } from '../src/services.js';
import { writeSelection } from './lib/corpus.js';
import { admin } from './lib/pg-admin.js';

const out = (text: string) => process.stdout.write(text);
const log = (text: string) => process.stderr.write(`${text}\n`);

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      archive: { type: 'string', default: '10000' },
      publishes: { type: 'string', default: '200' },
      db: { type: 'string', default: 'sqlite' },
    },
  });
  const int = (name: string, value: string, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be an integer from 1 to ${max}`);
    return n;
  };
  if (values.db !== 'sqlite' && values.db !== 'postgres') throw new Error('--db must be sqlite or postgres');
  if (values.db === 'postgres' && !process.env.BENCH_DATABASE_URL)
    throw new Error('--db postgres needs BENCH_DATABASE_URL=postgres://… (the benchmark works in a schema of its own)');
  return {
    archive: int('archive', values.archive, 15_000),
    publishes: int('publishes', values.publishes, 2_000),
    db: values.db,
  };
}

interface Stats {
  p50: number;
  p99: number;
  mean: number;
}

function stats(ms: number[]): Stats {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { p50: round(at(0.5)), p99: round(at(0.99)), mean: round(sorted.reduce((s, x) => s + x, 0) / sorted.length) };
}

/** The new articles: corpus records after the archive, as an editor's published article (no external id). */
function newArticles(file: string, skip: number, count: number): ArticleInput[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(skip, skip + count)
    .map((line) => {
      const { externalId: _none, ...input } = toArticleInput(importRecordSchema.parse(JSON.parse(line)));
      return { ...input, status: 'published' as const, publishedAt: new Date() };
    });
}

async function measure(services: Services, inputs: ArticleInput[]) {
  const queued: number[] = [];
  const inline: number[] = [];
  for (const [i, input] of inputs.entries()) {
    const started = performance.now();
    const saved = await services.articles.create({ ...input, publishedAt: new Date() });
    if (i % 2 === 0) {
      queued.push(performance.now() - started);
    } else {
      // What the old `article.published` handler did before the save returned.
      await services.related.refreshAround(saved.id);
      inline.push(performance.now() - started);
    }
    if ((i + 1) % 50 === 0) log(`  published ${i + 1}/${inputs.length}`);
  }
  return { queued, inline };
}

/** Starts the workers and waits until nothing due is left; returns seconds and how many jobs there were. */
async function drain(services: Services): Promise<{ jobs: number; seconds: number }> {
  const jobs = await services.jobs.pending();
  const started = performance.now();
  await services.jobs.start();
  services.jobs.wake();
  while ((await services.jobs.pending()) > 0) await new Promise((r) => setTimeout(r, 100));
  return { jobs, seconds: Math.round((performance.now() - started) / 100) / 10 };
}

async function main(opts: ReturnType<typeof options>, dir: string, databaseUrl: string, schema?: string) {
  const file = join(dir, 'corpus.jsonl');
  const { count } = await writeSelection(file, opts.archive + opts.publishes, new Date());
  if (count < opts.archive + opts.publishes) throw new Error(`only ${count} articles in the corpora`);
  const archiveFile = join(dir, 'archive.jsonl');
  writeFileSync(archiveFile, readFileSync(file, 'utf8').trim().split('\n').slice(0, opts.archive).join('\n'));

  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    WEATHER_PROVIDER: 'none',
    DEMO_CONTENT: 'off',
    MEDIA_DIR: join(dir, 'media'),
    ...(schema ? { JOBS_SCHEMA: `${schema}_jobs`, CACHE_CHANNEL: schema } : {}),
  });
  const services = await buildServices(config, { log: pino({ level: 'silent' }) });
  try {
    log(`Importing ${opts.archive} articles (${opts.db})…`);
    const imported = await importFile(services, archiveFile, { related: false });
    log(`  ${imported.created} in ${imported.seconds.toFixed(1)} s`);
    log(`Publishing ${opts.publishes} articles, alternating queued and inline side effects…`);
    const { queued, inline } = await measure(services, newArticles(file, opts.archive, opts.publishes));
    log('Running the queued side effects…');
    const drained = await drain(services);
    const result = {
      bench: 'publish',
      db: opts.db,
      archive: imported.created,
      publishes: opts.publishes,
      queuedMs: stats(queued),
      inlineMs: stats(inline),
      drain: drained,
    };
    const row = (name: string, s: Stats) =>
      `${name.padEnd(34)} ${String(s.p50).padStart(8)} ${String(s.p99).padStart(8)} ${String(s.mean).padStart(8)}`;
    out(
      [
        '',
        `Publish latency, ${opts.db}, archive of ${result.archive} articles (${opts.publishes / 2} publishes each way)`,
        `${'the publish call'.padEnd(34)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'mean ms'.padStart(8)}`,
        row('returns at commit (jobs queued)', result.queuedMs),
        row('side effects inline (before)', result.inlineMs),
        `The workers ran the ${drained.jobs} jobs the queued publishes left in ${drained.seconds} s.`,
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
  log(`bench:publish: ${(err as Error).message}`);
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'dateline-bench-publish-'));
const base = process.env.BENCH_DATABASE_URL;
const schema = opts.db === 'postgres' ? `bench_publish_${process.pid}` : undefined;
try {
  if (schema && base) await admin(base, `create schema ${schema}`);
  const url =
    schema && base
      ? `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`
      : `sqlite:${join(dir, 'bench.db')}`;
  await main(opts, dir, url, schema);
} catch (err) {
  log(`bench:publish failed: ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
} finally {
  if (schema && base)
    await admin(base, `drop schema if exists ${schema} cascade; drop schema if exists ${schema}_jobs cascade`).catch(
      (err: Error) => log(`could not drop schema ${schema}: ${err.message}`),
    );
  rmSync(dir, { recursive: true, force: true });
}
