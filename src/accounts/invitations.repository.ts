/**
 * Invitations and password resets: single-use tokens, stored as their
 * SHA-256. Using one is a guarded update (`… where accepted_at is null`), so
 * two requests racing with the same token cannot both succeed.
 */
import type { Kysely, Selectable } from 'kysely';
import type { InvitationsTable, Schema } from '../db/schema.js';
import { toDate, toDateOrUndefined } from '../lib/time.js';
import type { Invitation, Role } from './account.js';

type Db = Kysely<Schema>;

function toInvitation(row: Selectable<InvitationsTable>): Invitation {
  const acceptedAt = toDateOrUndefined(row.accepted_at);
  return {
    id: Number(row.id),
    email: row.email,
    role: row.role as Role,
    ...(row.invited_by !== null ? { invitedBy: Number(row.invited_by) } : {}),
    createdAt: toDate(row.created_at),
    expiresAt: toDate(row.expires_at),
    ...(acceptedAt ? { acceptedAt } : {}),
  };
}

export interface NewInvitation {
  email: string;
  role: Role;
  tokenHash: string;
  invitedBy: number | null;
  expiresAt: Date;
}

export async function insertInvitation(db: Db, invitation: NewInvitation, now: Date): Promise<Invitation> {
  const row = await db
    .insertInto('invitations')
    .values({
      email: invitation.email,
      role: invitation.role,
      token_hash: invitation.tokenHash,
      invited_by: invitation.invitedBy,
      created_at: now.toISOString(),
      expires_at: invitation.expiresAt.toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toInvitation(row);
}

export async function findInvitationByToken(db: Db, tokenHash: string): Promise<Invitation | undefined> {
  const row = await db.selectFrom('invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return row ? toInvitation(row) : undefined;
}

/** Invitations not yet accepted (expired ones included: the admin sees them lapse), newest first. */
export async function listPendingInvitations(db: Db): Promise<Invitation[]> {
  const rows = await db
    .selectFrom('invitations')
    .selectAll()
    .where('accepted_at', 'is', null)
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toInvitation);
}

/** Withdraws the pending invitations of an email (a new one replaces them); returns how many. */
export async function deletePendingInvitations(db: Db, email: string): Promise<number> {
  const result = await db
    .deleteFrom('invitations')
    .where('email', '=', email)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Withdraws one pending invitation; false when it was not pending. */
export async function deleteInvitation(db: Db, id: number): Promise<boolean> {
  const result = await db
    .deleteFrom('invitations')
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Marks the invitation accepted, if nobody did first; false when someone did.
 * On PostgreSQL a racing request waits here for the first one's transaction,
 * then finds the invitation taken.
 */
export async function claimInvitation(db: Db, id: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('invitations')
    .set({ accepted_at: now.toISOString() })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Links an accepted invitation to the account it became. */
export async function setInvitationUser(db: Db, id: number, userId: number): Promise<void> {
  await db.updateTable('invitations').set({ user_id: userId }).where('id', '=', id).execute();
}

/** Expired invitations nobody accepted, past `before`; returns how many were deleted. */
export async function deleteLapsedInvitations(db: Db, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('invitations')
    .where('accepted_at', 'is', null)
    .where('expires_at', '<', before.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface PasswordReset {
  id: number;
  userId: number;
  expiresAt: Date;
  usedAt?: Date;
}

/** A new reset for the user; earlier unused ones are withdrawn (only the latest link works). */
export async function replacePasswordReset(
  db: Db,
  reset: { userId: number; tokenHash: string; expiresAt: Date },
  now: Date,
): Promise<void> {
  await db.deleteFrom('password_resets').where('user_id', '=', reset.userId).where('used_at', 'is', null).execute();
  await db
    .insertInto('password_resets')
    .values({
      user_id: reset.userId,
      token_hash: reset.tokenHash,
      created_at: now.toISOString(),
      expires_at: reset.expiresAt.toISOString(),
    })
    .execute();
}

export async function findPasswordReset(db: Db, tokenHash: string): Promise<PasswordReset | undefined> {
  const row = await db
    .selectFrom('password_resets')
    .select(['id', 'user_id', 'expires_at', 'used_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const usedAt = toDateOrUndefined(row.used_at);
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    expiresAt: toDate(row.expires_at),
    ...(usedAt ? { usedAt } : {}),
  };
}

/** Marks the reset used, if it was not; false when another request used it first. */
export async function markPasswordResetUsed(db: Db, id: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('password_resets')
    .set({ used_at: now.toISOString() })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Resets used, or expired, before `before`; returns how many were deleted. */
export async function deleteOldPasswordResets(db: Db, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('password_resets')
    .where((eb) => eb.or([eb('expires_at', '<', before.toISOString()), eb('used_at', '<', before.toISOString())]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
