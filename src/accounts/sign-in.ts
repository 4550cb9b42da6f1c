/**
 * Signing in and staying signed in: login (throttled per account and per
 * address, across instances), sessions kept in the database with idle and
 * absolute expiry, logout, "log out everywhere", password change and reset.
 * Part of the accounts service (`accounts.service.ts`), which is its door.
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../lib/errors.js';
import {
  type Actor,
  accountProblems,
  EMAIL_MAX,
  normalizeEmail,
  PASSWORD_MAX,
  PASSWORD_RESET_MS,
  type RequestContext,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  SESSION_TOUCH_MS,
  type Session,
  type User,
} from './account.js';
import { type AccountsDeps, auditActor, requireManager, withDetail } from './accounts-deps.js';
import {
  deleteOldPasswordResets,
  findPasswordReset,
  markPasswordResetUsed,
  replacePasswordReset,
} from './invitations.repository.js';
import { clearAttempts } from './login-attempts.repository.js';
import { type Attempt, attemptFailed, attemptSucceeded, beginAttempt } from './login-guard.js';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './passwords.js';
import {
  deleteExpiredSessions,
  deleteSession,
  deleteSessionByToken,
  deleteUserSessions,
  findSession,
  insertSession,
  type SessionRecord,
  touchSession,
} from './sessions.repository.js';
import { addressKey } from './throttle.js';
import { hashToken, isWellFormedToken, newToken } from './tokens.js';
import {
  findCredentials,
  findUserByEmail,
  findUserById,
  replacePasswordHash,
  setLastLogin,
  setPasswordHash,
} from './users.repository.js';

export interface LoginInput extends RequestContext {
  email: string;
  password: string;
}

export interface SignedIn {
  /** For the session cookie; known only to the browser from here on (the database keeps its hash). */
  token: string;
  session: Session;
}

export interface PasswordResetLink {
  /** Goes into the link, once; only its hash is kept. */
  token: string;
  expiresAt: Date;
  user: User;
}

const loginFailed = () => new AppError('LOGIN_FAILED', 'Wrong email or password');

export function createSignIn({ database, log, now, audit }: AccountsDeps) {
  const db = database.db;

  /**
   * The password check under the throttle: the attempt when the password is
   * right and the account usable; otherwise undefined, the failure counted
   * and recorded (and the lockout it caused, if it did). The audit entry's
   * actor is the signed-in user changing a password, never the account a
   * stranger typed at the login form (that is its subject).
   */
  async function checkPassword(
    keys: { account: string; ip?: string | undefined },
    found: { user: User; passwordHash: string } | undefined,
    password: string,
    failure: { action: string; actorId?: number },
  ): Promise<Attempt | undefined> {
    const attempt = await beginAttempt(db, { account: keys.account, address: addressKey(keys.ip) }, now());
    // An unknown email costs the same argon2 work as a wrong password: timing does not tell which it was. A
    // deactivated account is checked too, and refused with the same answer whatever the password.
    const matches = await verifyPassword(found?.passwordHash ?? (await dummyHash()), password);
    if (matches && found?.user.active) return attempt;
    const lockedMs = await attemptFailed(db, attempt, now());
    const user = found?.user;
    const at = {
      ...(failure.actorId !== undefined ? { actorId: failure.actorId } : {}),
      ...(user ? { subject: `user:${user.id}` } : {}),
      ...(keys.ip ? { ip: keys.ip } : {}),
      detail: { email: keys.account, ...(user && !user.active ? { deactivated: true } : {}) },
    };
    await audit.record(db, { ...at, action: failure.action });
    log.info({ userId: user?.id }, failure.action);
    if (lockedMs > 0) {
      await audit.record(db, { ...at, action: 'login.lockout', detail: { ...at.detail, seconds: lockedMs / 1000 } });
      log.warn({ userId: user?.id, seconds: lockedMs / 1000 }, 'account locked after failed sign-ins');
    }
    return undefined;
  }

  async function startSession(user: User, context: RequestContext): Promise<SignedIn> {
    const token = newToken();
    const csrfSecret = randomBytes(32).toString('base64url');
    const at = now();
    const expiresAt = new Date(at.getTime() + SESSION_ABSOLUTE_MS);
    const id = await db.transaction().execute(async (trx) => {
      const sessionId = await insertSession(
        trx,
        { tokenHash: hashToken(token), userId: user.id, csrfSecret, expiresAt },
        at,
      );
      await setLastLogin(trx, user.id, at);
      await audit.record(trx, { ...auditActor(user, context), action: 'login', subject: `user:${user.id}` });
      return sessionId;
    });
    log.info({ userId: user.id, sessionId: id }, 'signed in');
    const idleExpiresAt = new Date(Math.min(at.getTime() + SESSION_IDLE_MS, expiresAt.getTime()));
    return {
      token,
      session: { id, user: { ...user, lastLoginAt: at }, createdAt: at, idleExpiresAt, expiresAt, csrfSecret },
    };
  }

  return {
    async login(input: LoginInput): Promise<SignedIn> {
      const email = typeof input.email === 'string' ? normalizeEmail(input.email) : '';
      const password = input.password;
      // Nonsense is refused before any work: no argon2 on megabytes, no attempt row for a 10 KB "email".
      if (!email || email.length > EMAIL_MAX || typeof password !== 'string' || password.length > PASSWORD_MAX * 2) {
        throw loginFailed();
      }
      const found = await findCredentials(db, { email });
      const attempt = await checkPassword({ account: email, ip: input.ip }, found, password, {
        action: 'login.failed',
      });
      if (!attempt || !found) throw loginFailed();
      await attemptSucceeded(db, attempt);
      if (needsRehash(found.passwordHash)) {
        await replacePasswordHash(db, found.user.id, found.passwordHash, await hashPassword(password));
      }
      return startSession(found.user, input);
    },

    async session(token: unknown): Promise<Session | undefined> {
      if (!isWellFormedToken(token)) return undefined;
      // The reader: a session check never waits behind a long write (an import) on SQLite.
      const record = await findSession(database.reader, hashToken(token));
      if (!record) return undefined;
      const at = now();
      const idleEnds = record.lastSeenAt.getTime() + SESSION_IDLE_MS;
      if (record.user.deactivatedAt || at >= record.expiresAt || at.getTime() >= idleEnds) {
        await deleteSession(db, record.id);
        return undefined;
      }
      let lastSeen = record.lastSeenAt;
      if (at.getTime() - lastSeen.getTime() >= SESSION_TOUCH_MS) {
        await touchSession(db, record.id, at);
        lastSeen = at;
      }
      return toSession(record, lastSeen);
    },

    async logout(token: unknown, context: RequestContext = {}): Promise<void> {
      if (!isWellFormedToken(token)) return;
      const userId = await deleteSessionByToken(db, hashToken(token));
      if (userId === undefined) return;
      const at = { ...(context.ip ? { ip: context.ip } : {}) };
      await audit.record(db, { ...at, actorId: userId, action: 'logout', subject: `user:${userId}` });
    },

    async logoutEverywhere(actor: Actor, userId: number, context: RequestContext = {}): Promise<number> {
      if (actor === 'operator' || actor.id !== userId) requireManager(actor);
      return db.transaction().execute(async (trx) => {
        const ended = await deleteUserSessions(trx, userId);
        const entry = withDetail(auditActor(actor, context), { sessions: ended });
        await audit.record(trx, { ...entry, action: 'logout.everywhere', subject: `user:${userId}` });
        return ended;
      });
    },

    async changePassword(
      session: Session,
      currentPassword: string,
      newPassword: string,
      context: RequestContext = {},
    ): Promise<void> {
      const problems = accountProblems({ password: newPassword });
      if (problems.length) throw new AppError('INVALID_ACCOUNT', 'The new password cannot be used', { problems });
      const found = await findCredentials(db, { id: session.user.id });
      if (!found?.user.active) throw new AppError('UNAUTHENTICATED', 'Sign in first');
      const current = typeof currentPassword === 'string' ? currentPassword : '';
      // Throttled like a login: a stolen session must not become a way to guess the password.
      const attempt = await checkPassword({ account: found.user.email, ip: context.ip }, found, current, {
        action: 'password.changeFailed',
        actorId: found.user.id,
      });
      if (!attempt) throw new AppError('WRONG_PASSWORD', 'The current password is wrong');
      await attemptSucceeded(db, attempt);
      const hash = await hashPassword(newPassword);
      await db.transaction().execute(async (trx) => {
        await setPasswordHash(trx, found.user.id, hash, now());
        // Whoever else holds a session (a lost laptop, the thief who learnt the old password) is signed out.
        const ended = await deleteUserSessions(trx, found.user.id, session.id);
        const entry = withDetail(auditActor(found.user, context), { otherSessionsEnded: ended });
        await audit.record(trx, { ...entry, action: 'password.changed', subject: `user:${found.user.id}` });
      });
      log.info({ userId: found.user.id }, 'password changed');
    },

    async createPasswordReset(actor: Actor, email: string, context: RequestContext = {}): Promise<PasswordResetLink> {
      requireManager(actor);
      const user = await findUserByEmail(db, normalizeEmail(String(email)));
      if (!user) throw new AppError('USER_NOT_FOUND', 'No user has this email');
      const token = newToken();
      const expiresAt = new Date(now().getTime() + PASSWORD_RESET_MS);
      await db.transaction().execute(async (trx) => {
        await replacePasswordReset(trx, { userId: user.id, tokenHash: hashToken(token), expiresAt }, now());
        await audit.record(trx, {
          ...auditActor(actor, context),
          action: 'password.resetIssued',
          subject: `user:${user.id}`,
        });
      });
      return { token, expiresAt, user };
    },

    async resetPasswordWithToken(token: unknown, newPassword: string, context: RequestContext = {}): Promise<User> {
      if (!isWellFormedToken(token)) throw new AppError('TOKEN_INVALID', 'This reset link is not valid');
      // A password that cannot be used does not spend the link.
      const problems = accountProblems({ password: newPassword });
      if (problems.length) throw new AppError('INVALID_ACCOUNT', 'The new password cannot be used', { problems });
      const reset = await findPasswordReset(db, hashToken(token));
      if (!reset) throw new AppError('TOKEN_INVALID', 'This reset link is not valid');
      if (reset.usedAt) throw new AppError('TOKEN_USED', 'This reset link has been used already');
      if (now() >= reset.expiresAt) throw new AppError('TOKEN_EXPIRED', 'This reset link has expired');
      const hash = await hashPassword(newPassword);
      const user = await db.transaction().execute(async (trx) => {
        if (!(await markPasswordResetUsed(trx, reset.id, now()))) {
          throw new AppError('TOKEN_USED', 'This reset link has been used already');
        }
        const found = await findUserById(trx, reset.userId);
        if (!found) throw new AppError('TOKEN_INVALID', 'This reset link is not valid');
        await setPasswordHash(trx, found.id, hash, now());
        const ended = await deleteUserSessions(trx, found.id);
        const entry = withDetail(
          { actorId: found.id, ...(context.ip ? { ip: context.ip } : {}) },
          { sessionsEnded: ended },
        );
        await audit.record(trx, { ...entry, action: 'password.reset', subject: `user:${found.id}` });
        return found;
      });
      // Whoever holds the link controls the mailbox or the operator's trust: a lockout ends with the reset.
      await clearAttempts(db, 'account', user.email);
      log.info({ userId: user.id }, 'password reset');
      return user;
    },

    /** Deletes expired sessions and used or expired reset links. */
    async pruneSessions(): Promise<{ sessions: number; passwordResets: number }> {
      const at = now();
      const sessions = await deleteExpiredSessions(db, at, new Date(at.getTime() - SESSION_IDLE_MS));
      const passwordResets = await deleteOldPasswordResets(db, new Date(at.getTime() - PASSWORD_RESET_MS));
      return { sessions, passwordResets };
    },
  };
}

function toSession(record: SessionRecord, lastSeen: Date): Session {
  const { lastLoginAt } = record.user;
  const user: User = {
    id: record.userId,
    email: record.user.email,
    name: record.user.name,
    role: record.user.role,
    active: true,
    createdAt: record.user.createdAt,
    ...(lastLoginAt ? { lastLoginAt } : {}),
  };
  return {
    id: record.id,
    user,
    createdAt: record.createdAt,
    idleExpiresAt: new Date(Math.min(lastSeen.getTime() + SESSION_IDLE_MS, record.expiresAt.getTime())),
    expiresAt: record.expiresAt,
    csrfSecret: record.csrfSecret,
  };
}

export type SignIn = ReturnType<typeof createSignIn>;
