/**
 * The invalidation log of a SQLite site (`src/instances/sqlite.transport.ts`):
 * every cache invalidation is a row here, and every process on the same file
 * (`dateline serve` with `dateline worker` beside it, or a `dateline import`)
 * reads the rows it has not seen. Ids only grow (AUTOINCREMENT), so a reader's
 * cursor never misses a row written after it; rows are kept a few minutes.
 * SQLite only: on PostgreSQL the processes use LISTEN/NOTIFY (or Redis).
 * Migrations never change once merged: add a new file instead.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    if (dialect === 'postgres') return;
    await db.schema
      .createTable('cache_invalidations')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      // The invalidator's message as JSON text: the sending process and the tags.
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  };
}
