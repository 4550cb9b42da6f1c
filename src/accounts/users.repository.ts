/**
 * Users in the database. Plain functions taking the database (or a
 * transaction) first; `toUser` is the one place rows become users, and the
 * password hash never leaves this file except through `findCredentials`.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Schema, UsersTable } from '../db/schema.js';
import { toDate, toDateOrUndefined } from '../lib/time.js';
import type { Role, User } from './account.js';

type Db = Kysely<Schema>;
type UserRow = Selectable<UsersTable>;

const USER_COLUMNS = ['id', 'email', 'name', 'role', 'created_at', 'last_login_at', 'deactivated_at'] as const;

function toUser(row: Pick<UserRow, (typeof USER_COLUMNS)[number]>): User {
  const lastLoginAt = toDateOrUndefined(row.last_login_at);
  const deactivatedAt = toDateOrUndefined(row.deactivated_at);
  return {
    id: Number(row.id),
    email: row.email,
    name: row.name,
    role: row.role as Role,
    active: !deactivatedAt,
    createdAt: toDate(row.created_at),
    ...(lastLoginAt ? { lastLoginAt } : {}),
    ...(deactivatedAt ? { deactivatedAt } : {}),
  };
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  /** Marks the first admin (unique: a second one breaks the constraint). */
  firstAdmin?: boolean;
}

/** Inserts a user; a taken email (or a second first admin) breaks a unique constraint: see `uniqueViolation`. */
export async function insertUser(db: Db, user: NewUser, now: Date): Promise<User> {
  const at = now.toISOString();
  const row = await db
    .insertInto('users')
    .values({
      email: user.email,
      name: user.name,
      role: user.role,
      password_hash: user.passwordHash,
      first_admin: user.firstAdmin ? 1 : null,
      created_at: at,
      updated_at: at,
      password_changed_at: at,
    })
    .returning(USER_COLUMNS)
    .executeTakeFirstOrThrow();
  return toUser(row);
}

export async function hasAnyUser(db: Db): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
}

export async function findUserById(db: Db, id: number): Promise<User | undefined> {
  const row = await db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? toUser(row) : undefined;
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').select(USER_COLUMNS).where('email', '=', email).executeTakeFirst();
  return row ? toUser(row) : undefined;
}

/** The user and their password hash, for signing in. */
export async function findCredentials(
  db: Db,
  by: { email: string } | { id: number },
): Promise<{ user: User; passwordHash: string } | undefined> {
  let query = db.selectFrom('users').select([...USER_COLUMNS, 'password_hash']);
  query = 'email' in by ? query.where('email', '=', by.email) : query.where('id', '=', by.id);
  const row = await query.executeTakeFirst();
  return row ? { user: toUser(row), passwordHash: row.password_hash } : undefined;
}

/** Every user, by name. A newsroom has dozens, not millions: no paging. */
export async function listUsers(db: Db): Promise<User[]> {
  const rows = await db.selectFrom('users').select(USER_COLUMNS).orderBy('name').orderBy('id').execute();
  return rows.map(toUser);
}

export async function setPasswordHash(db: Db, id: number, passwordHash: string, now: Date): Promise<void> {
  const at = now.toISOString();
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: at, updated_at: at })
    .where('id', '=', id)
    .execute();
}

/** Replaces the hash only if it is still `previous` (a rehash at login must not undo a concurrent change). */
export async function replacePasswordHash(db: Db, id: number, previous: string, next: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: next })
    .where('id', '=', id)
    .where('password_hash', '=', previous)
    .execute();
}

export async function setRole(db: Db, id: number, role: Role, now: Date): Promise<void> {
  await db.updateTable('users').set({ role, updated_at: now.toISOString() }).where('id', '=', id).execute();
}

export async function setDeactivated(db: Db, id: number, deactivatedAt: Date | null, now: Date): Promise<void> {
  await db
    .updateTable('users')
    .set({ deactivated_at: deactivatedAt?.toISOString() ?? null, updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
}

export async function setLastLogin(db: Db, id: number, now: Date): Promise<void> {
  await db.updateTable('users').set({ last_login_at: now.toISOString() }).where('id', '=', id).execute();
}

/**
 * The ids of the active admins. On PostgreSQL their rows are locked until
 * the transaction ends, so that two admins demoting each other at once
 * cannot both pass the "another admin remains" check (SQLite's write
 * transactions run one at a time anyway).
 */
export async function lockActiveAdmins(db: Db, dialect: 'sqlite' | 'postgres'): Promise<number[]> {
  let query = db.selectFrom('users').select('id').where('role', '=', 'admin').where('deactivated_at', 'is', null);
  if (dialect === 'postgres') query = query.forUpdate();
  return (await query.execute()).map((r) => Number(r.id));
}

/**
 * The column whose unique constraint `err` broke (`email`, `first_admin`,
 * `token_hash`), on either database; undefined for any other error.
 */
export function uniqueViolation(err: unknown): string | undefined {
  const e = err as { code?: string; message?: string; detail?: string };
  if (e?.code === '23505') return /^Key \(([^)]+)\)/.exec(e.detail ?? '')?.[1];
  if (e?.code === 'SQLITE_CONSTRAINT_UNIQUE') return /UNIQUE constraint failed: \w+\.(\w+)/.exec(e.message ?? '')?.[1];
  return undefined;
}
