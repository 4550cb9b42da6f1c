/**
 * One size of the scale benchmark, measured in a child process of its own
 * (so that its peak RSS is the app's alone): builds the app on a fresh
 * database, imports the corpus through `importFile` without the related pass,
 * refreshes planner statistics, then times, through the public services only,
 * the related list of newly saved articles (`related.refresh`), stored-list
 * reads (`related.read`) and, interleaved with both, a primary-key read of an
 * article row on the same handle as the reference. Sends raw timings back;
 * the parent summarises them.
 *
 * @example
 *   const figures = await measureSize(job, (msg) => process.stderr.write(`${msg}\n`));
 */
import { statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { pino } from 'pino';
import type { ArticleInput } from '../../src/articles/article.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/connect.js';
import { prepared } from '../../src/db/prepared.js';
import { importFile } from '../../src/ingest/import.service.js';
import { importRecordSchema, toArticleInput } from '../../src/ingest/import-record.js';
import { readLines } from '../../src/ingest/jsonl.js';
import { buildServices, type Services } from '../../src/services.js';
import { seeded } from './related-corpus.js';
import { childEnv } from './workspace.js';

/** Runs not counted: the first calls compile statements and warm caches. */
export const WARM_UP = { compute: 5, read: 50 };
const PROGRESS_EVERY = 50_000;

export interface SizeJob {
  articles: number;
  /** What `loadConfig` gets as DATABASE_URL. */
  databaseUrl: string;
  /** SQLite: the database file (its size and its WAL's are the database size). */
  sqliteFile?: string;
  /** PostgreSQL: the benchmark's schema, also the invalidation channel. */
  schema?: string;
  /** A kept database measured as it is: no import (`articles` is what it holds). */
  reuse?: boolean;
  dir: string;
  corpusFile: string;
  /** `WARM_UP.compute` + samples new articles. */
  samplesFile: string;
  samples: number;
  reads: number;
  seed: number;
}

/** Raw figures of one size; times in ms, sizes in bytes, memory in MB. */
export interface SizeMeasurement {
  articles: number;
  imported: number;
  failed: number;
  importSeconds: number;
  analyzeSeconds: number;
  saveMs: number[];
  computeMs: number[];
  readMs: number[];
  referenceMs: number[];
  /** How many of the timed reads found a non-empty list. */
  nonEmptyReads: number;
  dbBytes: number;
  tableBytes: Record<string, number>;
  rssStartMb: number;
  rssAfterImportMb: number;
  peakRssMb: number;
}

const rssMb = () => process.memoryUsage().rss / 2 ** 20;

/** A bare read of one article row by primary key, compiled once, like the site's own reads. */
const articleRow = prepared((db, id: number) =>
  db.selectFrom('articles').select(['id', 'slug', 'headline', 'published_at']).where('id', '=', id),
);

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await run();
  return [value, performance.now() - t0];
}

export async function measureSize(job: SizeJob, log: (msg: string) => void): Promise<SizeMeasurement> {
  const rssStartMb = rssMb();
  const services = await buildServices(
    // Jobs are queued (in a schema of the benchmark's own), not run: the benchmark computes lists itself.
    loadConfig(childEnv(job)),
    { log: pino({ level: 'silent' }) },
  );
  try {
    const report = job.reuse ? await kept(services, log) : await importCorpus(services, job, log);
    const rssAfterImportMb = rssMb();
    log(`  imported ${report.created} in ${report.seconds.toFixed(1)} s; refreshing planner statistics`);
    const [, analyzeMs] = await timed(() => analyze(services.database));

    // A primary-key read after every timed call: the reference, under the same load a moment later.
    const referenceMs: number[] = [];
    const reference = async (id: number) =>
      referenceMs.push((await timed(() => articleRow(services.database.reader, id)))[1]);

    log(`  computing the related lists of ${job.samples} new articles`);
    const computed = await computeNew(services, job, reference);
    const older = await olderArticles(services.database, job.reuse ? { ...job, articles: report.created } : job);
    log(`  computing ${older.length} older articles' lists (untimed), then ${job.reads} timed reads`);
    for (const id of older) await services.related.refresh(id);
    const reads = await readLists(services, job, [...computed.ids, ...older], reference);

    log('  measuring sizes');
    const tableBytes = await tableSizes(services.database);
    return {
      articles: job.reuse ? report.created : job.articles,
      imported: report.created + report.updated,
      failed: report.failed.length,
      importSeconds: report.seconds,
      analyzeSeconds: analyzeMs / 1000,
      saveMs: computed.saveMs,
      computeMs: computed.computeMs,
      readMs: reads.readMs,
      referenceMs,
      nonEmptyReads: reads.nonEmpty,
      dbBytes: job.sqliteFile ? fileBytes(job.sqliteFile) : Object.values(tableBytes).reduce((a, b) => a + b, 0),
      tableBytes,
      rssStartMb,
      rssAfterImportMb,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    await services.close();
  }
}

/** A kept database's articles, as an import report of no time. */
async function kept(services: Services, log: (msg: string) => void) {
  const { n } = await services.database.db
    .selectFrom('articles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  log(`  reusing ${Number(n)} articles`);
  return { created: Number(n), updated: 0, failed: [] as { line: number; reason: string }[], seconds: 0 };
}

/** The normal import path, without the end-of-import related pass. */
async function importCorpus(services: Services, job: SizeJob, log: (msg: string) => void) {
  let reported = 0;
  const report = await importFile(services, job.corpusFile, {
    related: false,
    onProgress: (r, _phase, done) => {
      if (done - reported < PROGRESS_EVERY) return;
      reported = done;
      log(`  imported ${done.toLocaleString('en-US')} (${Math.round(done / r.seconds)}/s)`);
    },
  });
  for (const f of report.failed.slice(0, 3)) log(`  import: line ${f.line} failed: ${f.reason}`);
  return report;
}

/** Saves each new article alone (bulk: the publish event leaves the list to us), then times its list. */
async function computeNew({ articles, related }: Services, job: SizeJob, reference: (id: number) => Promise<unknown>) {
  const out = { ids: [] as number[], saveMs: [] as number[], computeMs: [] as number[] };
  for (const [i, input] of (await readInputs(job.samplesFile)).entries()) {
    const [saved, save] = await timed(() => articles.saveMany([input], { bulk: true }));
    const id = saved[0]?.id as number;
    const [, compute] = await timed(() => related.refresh(id));
    if (i < WARM_UP.compute) continue;
    await reference(id);
    out.ids.push(id);
    out.saveMs.push(save);
    out.computeMs.push(compute);
  }
  return out;
}

/** Times `reads` reads of stored lists, each of an article drawn at random (seeded) from `ids`. */
async function readLists(
  { related }: Services,
  job: SizeJob,
  ids: number[],
  reference: (id: number) => Promise<unknown>,
) {
  const random = seeded(job.seed + 3);
  const out = { readMs: [] as number[], nonEmpty: 0 };
  for (let i = 0; i < WARM_UP.read + job.reads; i++) {
    const id = ids[Math.floor(random() * ids.length)] as number;
    const [list, read] = await timed(() => related.read(id));
    if (i < WARM_UP.read) continue;
    await reference(id);
    out.readMs.push(read);
    if (list.length > 0) out.nonEmpty++;
  }
  return out;
}

async function readInputs(file: string): Promise<ArticleInput[]> {
  const inputs: ArticleInput[] = [];
  for await (const { text } of readLines(file)) inputs.push(toArticleInput(importRecordSchema.parse(JSON.parse(text))));
  return inputs;
}

/** `samples` articles of the corpus, picked at random (seeded), as ids. */
async function olderArticles(database: Database, job: SizeJob): Promise<number[]> {
  const random = seeded(job.seed + 2);
  const keys = new Set<string>();
  while (keys.size < Math.min(job.samples, job.articles)) keys.add(`scale:${Math.floor(random() * job.articles)}`);
  const rows = await database.db
    .selectFrom('articles')
    .select('id')
    .where('external_id', 'in', [...keys])
    .execute();
  return rows.map((r) => r.id);
}

/** Planner statistics, as autovacuum (PostgreSQL) or the daily maintenance job would have them on a live site. */
async function analyze(database: Database): Promise<void> {
  if (database.dialect === 'sqlite') {
    await sql`analyze`.execute(database.db);
    return;
  }
  const tables = Object.keys(await tableSizes(database));
  await sql`vacuum (analyze) ${sql.join(tables.map((t) => sql.table(t)))}`.execute(database.db);
}

/** Bytes per table, its indexes included (SQLite: FTS5 shadow tables count as tables). */
async function tableSizes(database: Database): Promise<Record<string, number>> {
  const { rows } =
    database.dialect === 'sqlite'
      ? await sql<{ name: string; bytes: number }>`select m.tbl_name as name, sum(d.pgsize) as bytes
          from dbstat as d join sqlite_schema as m on m.name = d.name
          where d.aggregate = 1 group by m.tbl_name order by bytes desc`.execute(database.db)
      : await sql<{ name: string; bytes: string }>`select c.relname as name, pg_total_relation_size(c.oid) as bytes
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = current_schema() and c.relkind in ('r', 'p', 'm') order by bytes desc`.execute(database.db);
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.bytes)]));
}

function fileBytes(file: string): number {
  const size = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  return size(file) + size(`${file}-wal`);
}

// Run as a child by related-scale.ts: the job is argv[3]; the figures go back over IPC.
const isChild = process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url;
if (isChild && process.argv[2] === '--job' && process.send) {
  const job = JSON.parse(process.argv[3] ?? '{}') as SizeJob;
  measureSize(job, (msg) => process.stderr.write(`${msg}\n`)).then(
    (figures) => process.send?.(figures, () => process.exit(0)),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}

export const MEASURE_MODULE = fileURLToPath(import.meta.url);
