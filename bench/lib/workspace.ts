/**
 * A benchmark's database and scratch folder: a temporary folder (its SQLite
 * file, media, corpus) and, with `--db postgres`, a schema of its own in
 * BENCH_DATABASE_URL; both removed afterwards (on success, failure or
 * Ctrl-C) unless kept, and children stopped.
 *
 * @example
 *   await runInWorkspace({ name: 'newsroom', db: opts.db, keep: opts.keep }, log, ({ dir, url, schema }) =>
 *     main(opts, dir, url, schema),
 *   );
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admin } from './pg-admin.js';
import { runWithCleanup, stopAll } from './processes.js';

export interface WorkspaceOptions {
  /** The benchmark's name: `bench:<name>`, `dateline-bench-<name>-…`, `bench_<name>_<pid>`. */
  name: string;
  /** `postgres` works in a schema of its own in BENCH_DATABASE_URL; anything else on a SQLite file. */
  db: string;
  /** Leave the database and the folder for a later look (EXPLAIN, `--reuse`). */
  keep?: boolean;
  /** A database kept by an earlier run: used as it is, never dropped. */
  reuse?: string;
}

export interface Workspace {
  dir: string;
  url: string;
  schema: string | undefined;
}

export async function runInWorkspace(
  o: WorkspaceOptions,
  log: (text: string) => void,
  body: (workspace: Workspace) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `dateline-bench-${o.name}-`));
  const base = process.env.BENCH_DATABASE_URL;
  const schema = o.db === 'postgres' && !o.reuse ? `bench_${o.name}_${process.pid}` : undefined;
  const cleanup = async () => {
    await stopAll();
    if (o.keep) return;
    if (schema && base)
      await admin(base, `drop schema if exists ${schema} cascade; drop schema if exists ${schema}_jobs cascade`).catch(
        (err: Error) => log(`could not drop schema ${schema}: ${err.message}`),
      );
    rmSync(dir, { recursive: true, force: true });
  };
  await runWithCleanup(
    `bench:${o.name}`,
    async () => {
      if (schema && base) await admin(base, `create schema ${schema}`);
      const url =
        o.reuse ??
        (schema && base
          ? `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`
          : `sqlite:${join(dir, 'bench.db')}`);
      await body({ dir, url, schema });
    },
    cleanup,
    log,
  );
}

/** The database a run measures: a reused database's own (its URL says), otherwise the one asked for. */
export function measuredDb(db: string, reuse: string | undefined): 'sqlite' | 'postgres' {
  if (reuse !== undefined) return /^postgres(ql)?:\/\//i.test(reuse) ? 'postgres' : 'sqlite';
  return db === 'postgres' ? 'postgres' : 'sqlite';
}

/**
 * The settings of a benchmark's child process that imports into a workspace: no demo, no page cache, jobs
 * queued and not run (as with `dateline import`: the server runs them), media and the job queue's schema its own.
 */
export function childEnv(job: {
  databaseUrl: string;
  dir: string;
  schema?: string | undefined;
}): Record<string, string> {
  return {
    DATABASE_URL: job.databaseUrl,
    SITE_URL: 'http://news.test',
    LOG_LEVEL: 'silent',
    DEMO_CONTENT: 'off',
    PAGE_CACHE: 'off',
    JOBS: 'off',
    MEDIA_DIR: join(job.dir, 'media'),
    ...(job.schema ? { CACHE_CHANNEL: job.schema, JOBS_SCHEMA: `${job.schema}_jobs` } : {}),
  };
}
