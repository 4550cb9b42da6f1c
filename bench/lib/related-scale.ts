/**
 * Related news at scale (issue 4), the `--scale` branch of bench:related:
 *
 *   npm run bench:related -- --scale 10000,100000 [--db sqlite|postgres] [--samples 200] [--reads 2000] [--seed 42]
 *   npm run bench:related -- --reuse URL   # the scale figures of a database a `bench:import … --keep` left (its size, no import)
 *
 * For each size, ascending, in a fresh database (a SQLite file in a temp dir,
 * or a schema of its own in BENCH_DATABASE_URL): writes the recombined corpus
 * (`related-scale-corpus.ts`), measures it in a child process
 * (`related-scale-measure.ts`), drops the database. Prints one table row per
 * size, the targets, then one line of JSON (always the last line). See
 * bench/README.md.
 *
 * @example
 *   await runScale(['--scale', '10000'], (t) => process.stdout.write(t), (t) => process.stderr.write(`${t}\n`));
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { admin } from './pg-admin.js';
import { runWithCleanup, stopAll, track } from './processes.js';
import { loadPool, type Pool, writeCorpus, writeSamples } from './related-scale-corpus.js';
import { MEASURE_MODULE, type SizeJob, type SizeMeasurement, WARM_UP } from './related-scale-measure.js';
import { jsonLine, type SizeFigures, summarize, table } from './related-scale-report.js';

export class UsageError extends Error {}

export interface ScaleOptions {
  sizes: number[];
  db: 'sqlite' | 'postgres';
  postgresUrl: string | undefined;
  samples: number;
  reads: number;
  seed: number;
  /** A kept database (`sqlite:…` or a `postgres://…` URL naming its schema in `search_path`): measured as it is. */
  reuse: string | undefined;
}

/** Whether the command line asks for the scale benchmark rather than the quality one. */
export const isScaleRun = (argv: string[]) =>
  argv.some((a) => a === '--scale' || a.startsWith('--scale=') || a === '--reuse' || a.startsWith('--reuse='));

export function scaleOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): ScaleOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string' },
      db: { type: 'string', default: 'sqlite' },
      samples: { type: 'string', default: '200' },
      reads: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '42' },
      reuse: { type: 'string' },
    },
  });
  const int = (name: string, value: string, min: number, max: number) => {
    const n = Number(value.trim().replaceAll('_', ''));
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max)
      throw new UsageError(`--${name} must be an integer from ${min} to ${max}, not ${JSON.stringify(value)}`);
    return n;
  };
  const reuse = values.reuse;
  // Reusing a database, its size is what it holds (counted by the measurement).
  const sizes = reuse ? [0] : (values.scale ?? '').split(',').map((s) => int('scale', s, 100, 5_000_000));
  const db = reuse ? (/^postgres(ql)?:\/\//i.test(reuse) ? 'postgres' : 'sqlite') : values.db;
  if (db !== 'sqlite' && db !== 'postgres') throw new UsageError('--db must be sqlite or postgres');
  const postgresUrl = env['BENCH_DATABASE_URL'];
  if (db === 'postgres' && !postgresUrl && !reuse)
    throw new UsageError(
      '--db postgres needs BENCH_DATABASE_URL=postgres://… (the benchmark works in a schema of its own)',
    );
  return {
    // Ascending: the curve reads top to bottom, and the largest (slowest) size comes last.
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    db,
    postgresUrl,
    samples: int('samples', values.samples, 10, 100_000),
    reads: int('reads', values.reads, 100, 1_000_000),
    seed: int('seed', values.seed, 0, 2 ** 31),
    reuse,
  };
}

// ------------------------------------------------------------------------------------------- the run

/** Undo steps for what exists right now (temp dirs, schemas), run on success, failure and Ctrl-C. */
const undo = new Map<string, () => Promise<void>>();

/** A fresh database for one size: a SQLite file in `dir`, or a new PostgreSQL schema. */
async function freshDatabase(options: ScaleOptions, size: number, dir: string) {
  if (options.reuse) {
    const schema = /search_path(?:=|%3D)(\w+)/i.exec(decodeURIComponent(options.reuse))?.[1];
    const file = options.reuse.startsWith('sqlite:') ? options.reuse.slice('sqlite:'.length) : undefined;
    return {
      databaseUrl: options.reuse,
      reuse: true,
      ...(schema ? { schema } : {}),
      ...(file ? { sqliteFile: file } : {}),
    };
  }
  if (options.db === 'sqlite') {
    const file = join(dir, 'bench.db');
    return { databaseUrl: `sqlite:${file}`, sqliteFile: file };
  }
  const base = options.postgresUrl as string;
  const schema = `bench_scale_${process.pid}_${size}`;
  await admin(base, `create schema ${schema}`);
  // Connections carry the schema's name, so that an interrupted run can end them before dropping it.
  undo.set(schema, () =>
    admin(
      base,
      `select pg_terminate_backend(pid) from pg_stat_activity where application_name = '${schema}';
       drop schema if exists ${schema} cascade; drop schema if exists ${schema}_jobs cascade`,
    ),
  );
  const query = `options=-c%20search_path%3D${schema}&application_name=${schema}`;
  return { databaseUrl: `${base}${base.includes('?') ? '&' : '?'}${query}`, schema };
}

async function dropAll(): Promise<void> {
  for (const [key, step] of [...undo].reverse()) {
    undo.delete(key);
    await step().catch((err: Error) => process.stderr.write(`could not remove ${key}: ${err.message}\n`));
  }
}

/** Runs the measurement child; resolves with its figures. Its stdout goes to our stderr: stdout is the report's. */
async function measureInChild(job: SizeJob): Promise<SizeMeasurement> {
  const child = track(fork(MEASURE_MODULE, ['--job', JSON.stringify(job)], { stdio: ['ignore', 2, 2, 'ipc'] }));
  let figures: SizeMeasurement | undefined;
  child.on('message', (m) => {
    figures = m as SizeMeasurement;
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  if (!figures)
    throw new Error(`the measurement of ${job.articles} articles ended (${code ?? signal}) without figures`);
  return figures;
}

async function measure(options: ScaleOptions, pool: Pool, size: number, log: (t: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), `dateline-bench-scale-${size}-`));
  undo.set(dir, async () => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'media'));
  const database = await freshDatabase(options, size, dir);
  const corpusFile = join(dir, 'corpus.jsonl');
  const samplesFile = join(dir, 'samples.jsonl');
  const t0 = performance.now();
  const bytes = options.reuse ? 0 : await writeCorpus(corpusFile, size, pool, options.seed, Date.now());
  await writeSamples(samplesFile, WARM_UP.compute + options.samples, pool, options.seed);
  log(`  corpus: ${Math.round(bytes / 2 ** 20)} MB written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const figures = summarize(
    await measureInChild({
      articles: size,
      ...database,
      dir,
      corpusFile,
      samplesFile,
      samples: options.samples,
      reads: options.reads,
      seed: options.seed,
    }),
  );
  await dropAll();
  return figures;
}

/** The `--scale` branch of bench:related: exit 0 done, 1 failed, 2 bad usage, 130 interrupted. */
export async function runScale(argv: string[], out: (t: string) => void, log: (t: string) => void): Promise<void> {
  let options: ScaleOptions;
  try {
    options = scaleOptions(argv);
  } catch (err) {
    log(`bench:related: ${(err as Error).message}`);
    process.exitCode = 2;
    return;
  }
  // Once, however many of success, failure and Ctrl-C ask for it: they all wait for the same clean-up.
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await stopAll();
      await dropAll();
    })());
  await runWithCleanup(
    'bench:related --scale',
    async () => {
      log('reading the real corpora to recombine');
      const pool = await loadPool();
      const sizes: SizeFigures[] = [];
      for (const size of options.sizes) {
        log(options.reuse ? `[${options.reuse}]` : `[${size.toLocaleString('en-US')} articles on ${options.db}]`);
        const figures = await measure(options, pool, size, log);
        log(
          `  compute p99 ${figures.compute_ms.p99} ms, read p99 ${figures.read_ms.p99} ms, peak RSS ${figures.peak_rss_mb} MB`,
        );
        sizes.push(figures);
      }
      out(`\n${table(options.db, sizes)}\n`);
      out(`${jsonLine(options, sizes)}\n`);
    },
    cleanup,
    log,
  );
}
