/**
 * The database side of `bench/explain.ts`: a throw-away database (SQLite temp
 * file or PostgreSQL schema), the fast fill, a Kysely instance whose query log
 * records what the repositories run, and EXPLAIN for one recorded statement.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, type QueryLogEvent, SqliteDialect } from 'kysely';
import pg from 'pg';
import { type Dialect, withStatementCache } from '../../src/db/connect.js';
import type { Schema } from '../../src/db/schema.js';
import type { Step } from './explain-fill.js';

export interface Target {
  dialect: Dialect;
  /** What `connect()` takes. */
  url: string;
  /** The SQLite file, or the PostgreSQL schema. */
  where: string;
  drop(): Promise<void>;
}

export function sqliteTarget(): Target {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-explain-'));
  const file = join(dir, 'bench.db');
  return {
    dialect: 'sqlite',
    url: `sqlite:${file}`,
    where: file,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function postgresTarget(baseUrl: string): Promise<Target> {
  const schema = `explain_${process.pid}_${Date.now().toString(36)}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  // Kysely's Migrator, unless given `migrationTableSchema`, looks for its bookkeeping tables in every schema: if
  // another schema has them, it skips creating ours and then fails. Create them here, as Kysely would (harmless
  // when migrate() names the schema).
  await admin(`create schema ${schema};
    create table ${schema}.kysely_migration (name varchar(255) not null primary key, timestamp varchar(255) not null);
    create table ${schema}.kysely_migration_lock (id varchar(255) not null primary key, is_locked integer not null default 0)`);
  // Our connections carry the schema's name, so that an interrupted run can end them (a fill holds its locks).
  const query = `options=-c%20search_path%3D${schema}&application_name=${schema}`;
  const url = `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}${query}`;
  const drop = () =>
    admin(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = '${schema}';
      drop schema if exists ${schema} cascade`);
  return { dialect: 'postgres', url, where: schema, drop };
}

export type Progress = (text: string) => void;

/** Lets pending I/O and signal handlers run: SQLite work completes in microtasks and would starve them. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs the fill statements and the statistics pass; returns the seconds each took. */
export async function fill(target: Target, steps: Step[], progress: Progress): Promise<Record<string, number>> {
  const seconds: Record<string, number> = {};
  const timed = async (label: string, run: () => unknown) => {
    const t0 = performance.now();
    await run();
    seconds[label] = (performance.now() - t0) / 1000;
    await yieldToEventLoop(); // SQLite's steps block it: let a Ctrl-C be handled between them
    progress(`  ${label}: ${seconds[label].toFixed(1)} s`);
  };
  if (target.dialect === 'sqlite') {
    const sqlite = new SQLite(target.where);
    try {
      // A bulk load into a private file: no WAL, no fsync, a large page cache; back to WAL afterwards.
      sqlite.pragma('journal_mode = DELETE');
      sqlite.pragma('synchronous = OFF');
      sqlite.pragma('cache_size = -1000000');
      sqlite.pragma('temp_store = MEMORY');
      sqlite.exec('begin');
      for (const step of steps) await timed(step.label, () => sqlite.exec(step.sql));
      await timed('commit', () => sqlite.exec('commit'));
      await timed('ANALYZE', () => sqlite.exec('analyze'));
      sqlite.pragma('journal_mode = WAL');
    } finally {
      sqlite.close();
    }
    return seconds;
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    // The rows are consistent by construction: skip foreign-key triggers (superuser only) and commit without waiting.
    await client.query('set synchronous_commit = off');
    await client
      .query('set session_replication_role = replica')
      .catch(() => progress('  (not a superuser: foreign keys are checked during the fill, which is slower)'));
    await client.query(`set maintenance_work_mem = '256MB'`);
    await client.query('begin');
    for (const step of steps) await timed(step.label, () => client.query(step.sql));
    await timed('commit', () => client.query('commit'));
    // What autovacuum would have done by the time a site has a million articles: statistics and visibility map.
    await timed('VACUUM ANALYZE', () => client.query('vacuum analyze'));
  } finally {
    await client.end();
  }
  return seconds;
}

export interface BenchDb {
  db: Kysely<Schema>;
  /** Statements run while `events` is set are appended to it, with their duration. */
  recorder: { events: QueryLogEvent[] | undefined };
  /** The plan of one statement, one line per plan row (PostgreSQL: EXPLAIN ANALYZE, so it runs the statement). */
  explain(sql: string, parameters: readonly unknown[]): Promise<string[]>;
  close(): Promise<void>;
}

/** A Kysely instance set up like the site's reader connection, with a query log that times each statement. */
export function openBench(target: Target): BenchDb {
  const recorder: BenchDb['recorder'] = { events: undefined };
  const log = (event: { level: string }) => {
    if (event.level === 'query') recorder.events?.push(event as QueryLogEvent);
  };
  let db: Kysely<Schema>;
  if (target.dialect === 'sqlite') {
    const sqlite = new SQLite(target.where, { readonly: true });
    sqlite.pragma('cache_size = -16000'); // as `connect()` opens the reader, with its statement cache
    db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), log });
  } else {
    const pool = new pg.Pool({ connectionString: target.url, max: 1 });
    db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }), log });
  }
  const raw = async <R>(sql: string, parameters: readonly unknown[]) =>
    (await db.executeQuery<R>(CompiledQuery.raw(sql, [...parameters]))).rows;
  async function explain(sql: string, parameters: readonly unknown[]): Promise<string[]> {
    if (target.dialect === 'postgres') {
      const rows = await raw<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`, parameters);
      return rows.map((r) => r['QUERY PLAN']);
    }
    const rows = await raw<{ id: number; parent: number; detail: string }>(`explain query plan ${sql}`, parameters);
    const depth = new Map<number, number>([[0, 0]]);
    return rows.map((r) => {
      const d = (depth.get(r.parent) ?? 0) + 1;
      depth.set(r.id, d);
      return `${'  '.repeat(d - 1)}${r.detail}`;
    });
  }
  return { db, recorder, explain, close: () => db.destroy() };
}
