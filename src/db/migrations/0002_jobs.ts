/**
 * The `jobs` table of the SQLite job runner (`src/jobs/sqlite.queue.ts`).
 * SQLite only: on PostgreSQL, pg-boss keeps its jobs in a schema of its own
 * (`pgboss` by default), so this migration does nothing there.
 * Migrations never change once merged: add a new file instead.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    if (dialect === 'postgres') return;
    await db.schema
      .createTable('jobs')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('name', 'text', (c) => c.notNull())
      // JSON text.
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('queued', 'active', 'completed', 'failed')`))
      .addColumn('singleton_key', 'text')
      .addColumn('run_at', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_attempts', 'integer', (c) => c.notNull())
      .addColumn('last_error', 'text')
      // The lease of an active job: past it, the worker is presumed dead and the job is claimed again.
      .addColumn('locked_until', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .execute();
    // The poller's question: the next due job.
    await db.schema.createIndex('jobs_state_run_at').on('jobs').columns(['state', 'run_at', 'id']).execute();
    await db.schema.createIndex('jobs_state_finished').on('jobs').columns(['state', 'finished_at']).execute();
    // At most one waiting or running job per name and key (the runner checks first; this makes it a guarantee).
    await sql`create unique index jobs_singleton on jobs (name, singleton_key)
      where singleton_key is not null and state in ('queued', 'active')`.execute(db);
  };
}
