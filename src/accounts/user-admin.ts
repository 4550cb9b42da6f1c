/**
 * Managing users: the first admin, accounts made by an admin or the
 * operator, invitations, roles, deactivation. Every change is one
 * transaction with its audit entry. Part of the accounts service
 * (`accounts.service.ts`), which is its door.
 */
import { AppError } from '../lib/errors.js';
import {
  type Actor,
  accountProblems,
  INVITATION_MS,
  type Invitation,
  isRole,
  normalizeEmail,
  type RequestContext,
  type Role,
  type User,
} from './account.js';
import { type AccountsDeps, auditActor, requireManager, withDetail } from './accounts-deps.js';
import {
  claimInvitation,
  deleteInvitation,
  deletePendingInvitations,
  findInvitationByToken,
  insertInvitation,
  setInvitationUser,
} from './invitations.repository.js';
import { hashPassword } from './passwords.js';
import { deleteUserSessions } from './sessions.repository.js';
import { hashToken, isWellFormedToken, newToken } from './tokens.js';
import {
  findUserByEmail,
  findUserById,
  hasAnyUser,
  insertUser,
  lockActiveAdmins,
  setDeactivated,
  setRole,
  uniqueViolation,
} from './users.repository.js';

export interface NewAccount {
  email: string;
  name: string;
  password: string;
}

export interface InvitationSent {
  invitation: Invitation;
  /** Goes into the invitation link, once; only its hash is kept. */
  token: string;
}

function invalid(input: Parameters<typeof accountProblems>[0]): void {
  const problems = accountProblems(input);
  if (problems.length)
    throw new AppError('INVALID_ACCOUNT', problems.map((p) => `${p.field}: ${p.problem}`).join('; '), { problems });
}

const emailTaken = () => new AppError('EMAIL_TAKEN', 'A user with this email exists');

export function createUserAdmin({ database, log, now, audit }: AccountsDeps) {
  const db = database.db;

  /** The invitation a token stands for, if it can still be accepted; otherwise the stable reason why not. */
  async function pendingInvitation(token: unknown): Promise<Invitation> {
    const found = isWellFormedToken(token) ? await findInvitationByToken(db, hashToken(token)) : undefined;
    if (!found) throw new AppError('TOKEN_INVALID', 'This invitation is not valid');
    if (found.acceptedAt) throw new AppError('TOKEN_USED', 'This invitation has been accepted already');
    if (now() >= found.expiresAt) throw new AppError('TOKEN_EXPIRED', 'This invitation has expired');
    return found;
  }

  /** Refuses (LAST_ADMIN) to take the last active admin away; locks the admins' rows on PostgreSQL. */
  async function keepAnAdmin(trx: typeof db, user: User): Promise<void> {
    if (user.role !== 'admin' || !user.active) return;
    const admins = await lockActiveAdmins(trx, database.dialect);
    if (admins.filter((id) => id !== user.id).length === 0) {
      throw new AppError('LAST_ADMIN', 'The site needs at least one active admin');
    }
  }

  async function existing(trx: typeof db, userId: number): Promise<User> {
    const user = await findUserById(trx, userId);
    if (!user) throw new AppError('USER_NOT_FOUND', 'No such user');
    return user;
  }

  return {
    async createFirstAdmin(input: NewAccount, context: RequestContext = {}): Promise<User> {
      invalid({ email: input.email, name: input.name, password: input.password });
      const alreadySetUp = () => new AppError('ACCOUNTS_ALREADY_SET_UP', 'This site has users: sign in instead');
      // Checked before hashing (argon2 is the slow part), and again inside the transaction.
      if (await hasAnyUser(db)) throw alreadySetUp();
      const passwordHash = await hashPassword(input.password);
      try {
        const user = await db.transaction().execute(async (trx) => {
          if (await hasAnyUser(trx)) throw alreadySetUp();
          const created = await insertUser(
            trx,
            {
              email: normalizeEmail(input.email),
              name: input.name.trim(),
              role: 'admin',
              passwordHash,
              firstAdmin: true,
            },
            now(),
          );
          await audit.record(trx, {
            ...auditActor(created, context),
            action: 'user.created',
            subject: `user:${created.id}`,
            detail: { role: 'admin', firstAdmin: true },
          });
          return created;
        });
        log.info({ userId: user.id }, 'first admin created');
        return user;
      } catch (err) {
        // Another instance created the first admin between our check and our insert: its transaction won.
        if (uniqueViolation(err)) throw alreadySetUp();
        throw err;
      }
    },

    async createUser(actor: Actor, input: NewAccount & { role: Role }, context: RequestContext = {}): Promise<User> {
      requireManager(actor);
      invalid({ email: input.email, name: input.name, role: input.role, password: input.password });
      const passwordHash = await hashPassword(input.password);
      try {
        const user = await db.transaction().execute(async (trx) => {
          const created = await insertUser(
            trx,
            { email: normalizeEmail(input.email), name: input.name.trim(), role: input.role, passwordHash },
            now(),
          );
          const entry = withDetail(auditActor(actor, context), { role: input.role });
          await audit.record(trx, { ...entry, action: 'user.created', subject: `user:${created.id}` });
          return created;
        });
        log.info({ userId: user.id, role: user.role }, 'user created');
        return user;
      } catch (err) {
        if (uniqueViolation(err) === 'email') throw emailTaken();
        throw err;
      }
    },

    async invite(
      actor: Actor,
      input: { email: string; role: Role },
      context: RequestContext = {},
    ): Promise<InvitationSent> {
      requireManager(actor);
      invalid({ email: input.email, role: input.role });
      const email = normalizeEmail(input.email);
      if (await findUserByEmail(db, email)) throw emailTaken();
      const token = newToken();
      const expiresAt = new Date(now().getTime() + INVITATION_MS);
      const invitation = await db.transaction().execute(async (trx) => {
        // A new invitation replaces the ones still pending for this email: only the latest link works.
        await deletePendingInvitations(trx, email);
        const invitedBy = actor === 'operator' ? null : actor.id;
        const sent = await insertInvitation(
          trx,
          { email, role: input.role, tokenHash: hashToken(token), invitedBy, expiresAt },
          now(),
        );
        const entry = withDetail(auditActor(actor, context), { email, role: input.role });
        await audit.record(trx, { ...entry, action: 'user.invited', subject: `invitation:${sent.id}` });
        return sent;
      });
      return { invitation, token };
    },

    /** The invitation behind a link, for the accept form; TOKEN_INVALID, TOKEN_USED or TOKEN_EXPIRED otherwise. */
    invitation: pendingInvitation,

    async acceptInvitation(
      token: unknown,
      input: { name: string; password: string },
      context: RequestContext = {},
    ): Promise<User> {
      invalid({ name: input.name, password: input.password });
      const invitation = await pendingInvitation(token);
      const passwordHash = await hashPassword(input.password);
      try {
        const user = await db.transaction().execute(async (trx) => {
          // Claimed first, by a guarded update: of two requests racing with one link, one goes on, the other stops.
          if (!(await claimInvitation(trx, invitation.id, now()))) {
            throw new AppError('TOKEN_USED', 'This invitation has been accepted already');
          }
          const created = await insertUser(
            trx,
            { email: invitation.email, name: input.name.trim(), role: invitation.role, passwordHash },
            now(),
          );
          await setInvitationUser(trx, invitation.id, created.id);
          await audit.record(trx, {
            ...auditActor(created, context),
            action: 'user.created',
            subject: `user:${created.id}`,
            detail: { role: invitation.role, invitation: invitation.id, invitedBy: invitation.invitedBy ?? null },
          });
          return created;
        });
        log.info({ userId: user.id, role: user.role }, 'invitation accepted');
        return user;
      } catch (err) {
        // The account exists already (created directly since the invitation was sent).
        if (uniqueViolation(err) === 'email') throw emailTaken();
        throw err;
      }
    },

    async revokeInvitation(actor: Actor, invitationId: number, context: RequestContext = {}): Promise<boolean> {
      requireManager(actor);
      return db.transaction().execute(async (trx) => {
        const revoked = await deleteInvitation(trx, invitationId);
        if (revoked) {
          await audit.record(trx, {
            ...auditActor(actor, context),
            action: 'invitation.revoked',
            subject: `invitation:${invitationId}`,
          });
        }
        return revoked;
      });
    },

    async changeRole(actor: Actor, userId: number, role: Role, context: RequestContext = {}): Promise<User> {
      requireManager(actor);
      if (!isRole(role)) invalid({ role });
      return db.transaction().execute(async (trx) => {
        const user = await existing(trx, userId);
        if (user.role === role) return user;
        await keepAnAdmin(trx, user);
        await setRole(trx, userId, role, now());
        const entry = withDetail(auditActor(actor, context), { from: user.role, to: role });
        await audit.record(trx, { ...entry, action: 'user.roleChanged', subject: `user:${userId}` });
        // Sessions read the role afresh on every request: the change applies at once, nobody is signed out.
        return { ...user, role };
      });
    },

    /** Deactivates an account and ends its sessions; it keeps its articles and its place in the audit log. */
    async deactivate(actor: Actor, userId: number, context: RequestContext = {}): Promise<User> {
      requireManager(actor);
      const user = await db.transaction().execute(async (trx) => {
        const found = await existing(trx, userId);
        if (!found.active) return found;
        await keepAnAdmin(trx, found);
        const at = now();
        await setDeactivated(trx, userId, at, at);
        const ended = await deleteUserSessions(trx, userId);
        const entry = withDetail(auditActor(actor, context), { sessionsEnded: ended });
        await audit.record(trx, { ...entry, action: 'user.deactivated', subject: `user:${userId}` });
        return { ...found, active: false, deactivatedAt: at };
      });
      log.info({ userId }, 'user deactivated');
      return user;
    },

    async reactivate(actor: Actor, userId: number, context: RequestContext = {}): Promise<User> {
      requireManager(actor);
      return db.transaction().execute(async (trx) => {
        const found = await existing(trx, userId);
        if (found.active) return found;
        await setDeactivated(trx, userId, null, now());
        await audit.record(trx, {
          ...auditActor(actor, context),
          action: 'user.reactivated',
          subject: `user:${userId}`,
        });
        const { deactivatedAt: _, ...rest } = found;
        return { ...rest, active: true };
      });
    },
  };
}

export type UserAdmin = ReturnType<typeof createUserAdmin>;
