/**
 * Sessions in the database, so that any instance serves any session. Rows
 * hold the SHA-256 of the cookie's token, never the token.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import { toDate, toDateOrUndefined } from '../lib/time.js';
import type { Role } from './account.js';

type Db = Kysely<Schema>;

export interface NewSession {
  tokenHash: string;
  userId: number;
  csrfSecret: string;
  expiresAt: Date;
}

export async function insertSession(db: Db, session: NewSession, now: Date): Promise<number> {
  const { id } = await db
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      csrf_secret: session.csrfSecret,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: session.expiresAt.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

export interface SessionRecord {
  id: number;
  userId: number;
  csrfSecret: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  user: {
    email: string;
    name: string;
    role: Role;
    createdAt: Date;
    lastLoginAt?: Date | undefined;
    deactivatedAt?: Date | undefined;
  };
}

/** The session with this token hash and its user, in one query. */
export async function findSession(db: Db, tokenHash: string): Promise<SessionRecord | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id',
      's.user_id',
      's.csrf_secret',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      'u.email',
      'u.name',
      'u.role',
      'u.created_at as user_created_at',
      'u.last_login_at',
      'u.deactivated_at',
    ])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    csrfSecret: row.csrf_secret,
    createdAt: toDate(row.created_at),
    lastSeenAt: toDate(row.last_seen_at),
    expiresAt: toDate(row.expires_at),
    user: {
      email: row.email,
      name: row.name,
      role: row.role as Role,
      createdAt: toDate(row.user_created_at),
      lastLoginAt: toDateOrUndefined(row.last_login_at),
      deactivatedAt: toDateOrUndefined(row.deactivated_at),
    },
  };
}

/** Moves the session's last use forward (never back: two instances may touch it at once). */
export async function touchSession(db: Db, id: number, now: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now.toISOString() })
    .where('id', '=', id)
    .where('last_seen_at', '<', now.toISOString())
    .execute();
}

export async function deleteSession(db: Db, id: number): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Deletes the session with this token hash; returns its user's id, or undefined when there was none. */
export async function deleteSessionByToken(db: Db, tokenHash: string): Promise<number | undefined> {
  const row = await db
    .deleteFrom('sessions')
    .where('token_hash', '=', tokenHash)
    .returning('user_id')
    .executeTakeFirst();
  return row ? Number(row.user_id) : undefined;
}

/** Ends every session of a user, except `keep` (the one changing its password); returns how many ended. */
export async function deleteUserSessions(db: Db, userId: number, keep?: number): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep !== undefined) query = query.where('id', '<>', keep);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes sessions past their absolute expiry or idle since `idleBefore`; returns how many. */
export async function deleteExpiredSessions(db: Db, now: Date, idleBefore: Date): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([eb('expires_at', '<=', now.toISOString()), eb('last_seen_at', '<=', idleBefore.toISOString())]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
