/**
 * Login attempts in the database, so that every instance counts the same
 * failures. An attempt is written before its password is checked (then
 * forgotten if it succeeds): concurrent guesses on several instances see each
 * other, and no more than the limit get through.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import { toDate } from '../lib/time.js';

type Db = Kysely<Schema>;
export type AttemptScope = 'account' | 'address';

/** Records an attempt under one key; returns its id. */
export async function insertAttempt(db: Db, scope: AttemptScope, key: string, now: Date): Promise<number> {
  const { id } = await db
    .insertInto('login_attempts')
    .values({ scope, key, attempted_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

/**
 * The times of the key's most recent attempts since `since`, newest first,
 * at most `limit`, leaving out `except` (the attempt asking).
 */
export async function recentAttempts(
  db: Db,
  scope: AttemptScope,
  key: string,
  since: Date,
  limit: number,
  except?: number,
): Promise<Date[]> {
  let query = db
    .selectFrom('login_attempts')
    .select('attempted_at')
    .where('scope', '=', scope)
    .where('key', '=', key)
    .where('attempted_at', '>', since.toISOString());
  if (except !== undefined) query = query.where('id', '<>', except);
  const rows = await query.orderBy('attempted_at', 'desc').limit(limit).execute();
  return rows.map((r) => toDate(r.attempted_at));
}

export async function deleteAttempts(db: Db, ids: number[]): Promise<void> {
  if (ids.length) await db.deleteFrom('login_attempts').where('id', 'in', ids).execute();
}

/** Forgets every failure of one key (a successful login clears its account's count). */
export async function clearAttempts(db: Db, scope: AttemptScope, key: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('scope', '=', scope).where('key', '=', key).execute();
}

/** Deletes attempts from before `before`; returns how many. */
export async function pruneAttempts(db: Db, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('login_attempts')
    .where('attempted_at', '<', before.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
