/**
 * SQLite's invalidation log (`cache_invalidations`, migration 0029): plain
 * functions taking the database first. Ids only grow (AUTOINCREMENT), so
 * "after id N" never misses a row committed later.
 */
import { type Kysely, sql } from 'kysely';
import type { Schema } from '../db/schema.js';

type Db = Kysely<Schema>;

export interface LoggedInvalidation {
  id: number;
  message: string;
}

export async function appendInvalidation(db: Db, message: string, now: Date): Promise<void> {
  await db.insertInto('cache_invalidations').values({ message, created_at: now.toISOString() }).execute();
}

/** The last id ever given (rows may have been pruned since): where a new reader starts. */
export async function lastInvalidationId(db: Db): Promise<number> {
  const row = await sql<{ seq: number }>`select seq from sqlite_sequence where name = 'cache_invalidations'`
    .execute(db)
    .then((r) => r.rows[0]);
  return Number(row?.seq ?? 0);
}

/** The rows after `id`, oldest first. */
export function invalidationsAfter(db: Db, id: number, limit: number): Promise<LoggedInvalidation[]> {
  return db
    .selectFrom('cache_invalidations')
    .select(['id', 'message'])
    .where('id', '>', id)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function pruneInvalidations(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('cache_invalidations').where('created_at', '<', before.toISOString()).execute();
}
