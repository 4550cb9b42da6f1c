/**
 * Do the hot read queries stay cheap at a million articles? Fills a fresh
 * database with synthetic rows generated in SQL, then prints, for each hot
 * query, its SQL (as the repository compiles it), its plan and its median and
 * p99 time over varied parameters. Ends with one line of JSON.
 *
 *   npx tsx bench/explain.ts [--rows 1000000] [--db sqlite|postgres] [--runs 200] [--no-fts] [--keep]
 *
 * --db postgres uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) and works in a
 * schema of its own, dropped at the end unless --keep; SQLite works in a temp dir, removed likewise.
 * See docs/DATABASE.md for the results and how to read them.
 */
import { parseArgs } from 'node:util';
import { connect } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import {
  type BenchDb,
  fill,
  openBench,
  postgresTarget,
  sqliteTarget,
  type Target,
  yieldToEventLoop,
} from './lib/explain-db.js';
import { fillSteps, headlineWords, shapeFor } from './lib/explain-fill.js';
import { type PlanReading, readPlan, type Timing, timing } from './lib/explain-plan.js';
import { type HotQuery, hotQueries } from './lib/explain-queries.js';

const out = (text: string) => process.stdout.write(text);
const progress = (text: string) => process.stderr.write(`${text}\n`);
const WARM_UP_RUNS = 10;

class UsageError extends Error {}
/** Set on Ctrl-C: the errors that follow (connections ended under a running query) are not worth reporting. */
let interrupted = false;

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string', default: '1000000' },
      db: { type: 'string', default: 'sqlite' },
      runs: { type: 'string', default: '200' },
      'no-fts': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const int = (name: string, value: string, min: number, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer, ${min}–${max}`);
    return n;
  };
  if (values.db !== 'sqlite' && values.db !== 'postgres') throw new UsageError('--db must be sqlite or postgres');
  return {
    rows: int('rows', values.rows, 1_000, 5_000_000),
    runs: int('runs', values.runs, 1, 10_000),
    db: values.db,
    fts: !values['no-fts'],
    keep: values.keep,
  } as const;
}

interface Result extends Timing {
  name: string;
  what: string;
  sql: string;
  parameters: readonly unknown[];
  plan: string[];
  reading: PlanReading;
}

/** The call's statements that belong to this query, with their durations as the query log measured them. */
async function record(bench: BenchDb, query: HotQuery, run: number) {
  bench.recorder.events = [];
  try {
    await query.call(bench.db, run);
    const events = bench.recorder.events.filter((e) => !query.marker || e.query.sql.includes(query.marker));
    if (events.length === 0) throw new Error(`${query.name}: no statement matched`);
    return events;
  } finally {
    bench.recorder.events = undefined;
  }
}

async function measure(bench: BenchDb, query: HotQuery, runs: number, dialect: Target['dialect']): Promise<Result> {
  const [first] = await record(bench, query, 0);
  const { sql, parameters } = first!.query;
  const plan = await bench.explain(sql, parameters);
  for (let w = 0; w < WARM_UP_RUNS; w++) await record(bench, query, runs + w);
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const events = await record(bench, query, run);
    samples.push(events.reduce((ms, e) => ms + e.queryDurationMillis, 0));
  }
  const reading = readPlan(dialect, plan, sql);
  return { name: query.name, what: query.what, sql, parameters, plan, reading, ...timing(samples) };
}

/** The search queries take words from `headlineWords`: it must build the headlines the SQL built. */
async function checkMirror(bench: BenchDb, rows: number): Promise<void> {
  for (const id of [1, Math.ceil(rows / 2), rows]) {
    const row = await bench.db.selectFrom('articles').select('headline').where('id', '=', id).executeTakeFirstOrThrow();
    const expected = headlineWords(id).join(' ');
    if (row.headline !== expected) throw new Error(`article ${id}: headline ${row.headline} ≠ ${expected}`);
  }
}

function report(result: Result): string {
  const flags = result.reading.flags.length ? result.reading.flags.map((f) => `FLAG: ${f}`).join('\n') : 'flags: none';
  return [
    `### ${result.name}: ${result.what}`,
    `median ${result.medianMs} ms, p99 ${result.p99Ms} ms (${result.runs} runs)`,
    '```sql',
    result.sql.trim().replace(/\n\s+/g, ' '),
    `-- parameters of run 0: ${JSON.stringify(result.parameters)}`,
    '```',
    '```',
    ...result.plan,
    '```',
    flags,
    '',
    '',
  ].join('\n');
}

function table(results: Result[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  const rows = results.map(
    (r) =>
      `${r.name.padEnd(width)}  ${r.medianMs.toFixed(3).padStart(9)}  ${r.p99Ms.toFixed(3).padStart(9)}  ` +
      `${r.reading.flags.length ? `${r.reading.flags.length} flag(s)` : 'ok'}`,
  );
  return [`${'query'.padEnd(width)}  median ms     p99 ms  plan`, ...rows, ''].join('\n');
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const baseUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const target = opts.db === 'sqlite' ? sqliteTarget() : await postgresTarget(baseUrl);
  const cleanup = async () => {
    if (opts.keep) progress(`kept: ${target.where}`);
    else await target.drop();
  };
  const onSignal = () => {
    interrupted = true;
    progress('interrupted: cleaning up');
    cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let bench: BenchDb | undefined;
  try {
    progress(`${opts.db}: ${target.where}`);
    const database = await connect(target.url, { poolSize: 1 });
    try {
      await migrate(database);
      // Kysely opens a driver on first use only, so close() leaves a never-used SQLite reader open: use it once.
      await database.reader.selectFrom('sections').select('id').limit(1).execute();
    } finally {
      await database.close();
    }
    const shape = shapeFor(opts.rows, Math.floor(Date.now() / 1000));
    progress(`filling ${opts.rows} articles${opts.fts ? ' (+ full-text index of headlines)' : ''}…`);
    const t0 = performance.now();
    const steps = await fill(target, fillSteps(target.dialect, shape, { fts: opts.fts }), progress);
    const fillSeconds = Math.round((performance.now() - t0) / 100) / 10;
    progress(`filled in ${fillSeconds} s`);

    bench = openBench(target);
    await checkMirror(bench, opts.rows);
    const results: Result[] = [];
    for (const query of hotQueries(shape, target.dialect, { fts: opts.fts })) {
      await yieldToEventLoop();
      const result = await measure(bench, query, query.runs ?? opts.runs, target.dialect);
      progress(`  ${query.name}: median ${result.medianMs} ms, p99 ${result.p99Ms} ms`);
      results.push(result);
    }

    out(`## ${opts.db}, ${opts.rows} articles: fill ${fillSeconds} s\n\n`);
    out(
      `fill steps (s): ${JSON.stringify(steps, (_, v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}\n\n`,
    );
    for (const result of results) out(report(result));
    out(table(results));
    const queries = Object.fromEntries(
      results.map((r) => [
        r.name,
        {
          medianMs: r.medianMs,
          p99Ms: r.p99Ms,
          plan: r.reading.summary + r.reading.flags.map((f) => ` | FLAG: ${f}`).join(''),
        },
      ]),
    );
    out(`${JSON.stringify({ bench: 'explain', db: opts.db, rows: opts.rows, fillSeconds, queries })}\n`);
  } finally {
    await bench?.close();
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main().catch((error: unknown) => {
  if (interrupted) return;
  progress(error instanceof UsageError ? `usage: ${error.message}` : `explain failed: ${String(error)}`);
  if (!(error instanceof UsageError) && error instanceof Error && error.stack) progress(error.stack);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
