/**
 * Newsroom accounts without HTTP: users and roles, passwords (argon2id),
 * sessions in the database (any instance serves them), invitations and
 * password resets (single-use tokens, only their hashes stored), login
 * throttling across instances, CSRF tokens bound to sessions. Every change
 * is recorded in the audit log, in the change's own transaction.
 *
 * Commands that manage users take the actor first: a signed-in user (who
 * must be allowed `users.manage`, see `policy.ts`) or `'operator'` (the
 * command line). Reads (`listUsers`, `getUser`…) check nothing: the face
 * asks the policy before it shows them.
 *
 * Cookies are the web face's business (`SESSION_COOKIE` in
 * `src/web/page-response.ts`): this service hands out the token and takes
 * it back.
 *
 * @example
 *   const accounts = createAccountsService({ database, log });
 *   const admin = await accounts.createFirstAdmin({ email: 'ed@news.test', name: 'Ed', password });
 *   const { token, session } = await accounts.login({ email: 'ed@news.test', password, ip: '192.0.2.7' });
 *   const again = await accounts.session(token); // the session and its user, or undefined
 *   accounts.verifyCsrf(again!, accounts.csrfToken(again!)); // true
 *   const { token: invite } = await accounts.invite(admin, { email: 'amy@news.test', role: 'author' });
 *   await accounts.acceptInvitation(invite, { name: 'Amy', password: 'a long passphrase' });
 */
import type { Logger } from 'pino';
import { type AuditLog, createAuditLog } from '../audit/audit.service.js';
import type { Database } from '../db/connect.js';
import { INVITATION_MS, type Invitation, normalizeEmail, type Session, type User } from './account.js';
import type { AccountsDeps } from './accounts-deps.js';
import { csrfToken, verifyCsrf } from './csrf.js';
import { deleteLapsedInvitations, listPendingInvitations } from './invitations.repository.js';
import { pruneAttempts } from './login-attempts.repository.js';
import { dummyHash } from './passwords.js';
import { createSignIn, type LoginInput, type PasswordResetLink, type SignedIn } from './sign-in.js';
import { ATTEMPT_RETENTION_MS } from './throttle.js';
import { createUserAdmin, type InvitationSent, type NewAccount } from './user-admin.js';
import { findUserByEmail, findUserById, hasAnyUser, listUsers } from './users.repository.js';

export type { InvitationSent, LoginInput, NewAccount, PasswordResetLink, SignedIn };

type Admin = ReturnType<typeof createUserAdmin>;
type SignInPart = ReturnType<typeof createSignIn>;

export interface AccountsService {
  /** False until the first user exists: the newsroom then offers to create the first admin. */
  hasUsers(): Promise<boolean>;
  /** The first admin, only while no user exists (ACCOUNTS_ALREADY_SET_UP otherwise; two racing: one wins). */
  createFirstAdmin: Admin['createFirstAdmin'];
  /** A user made by an admin or the operator, with the password they chose (EMAIL_TAKEN, INVALID_ACCOUNT). */
  createUser: Admin['createUser'];
  /** A single-use invitation for an email and role, valid 7 days; the token goes into the link. */
  invite: Admin['invite'];
  /** The invitation behind a link (for the accept form): TOKEN_INVALID, TOKEN_USED or TOKEN_EXPIRED otherwise. */
  invitation: Admin['invitation'];
  /** Accepts an invitation once, with a name and a password: the new user. */
  acceptInvitation: Admin['acceptInvitation'];
  /** Withdraws a pending invitation; false when it was not pending. */
  revokeInvitation: Admin['revokeInvitation'];
  /** Invitations not accepted yet, expired ones included, newest first. */
  listInvitations(): Promise<Invitation[]>;
  /** Changes a user's role; LAST_ADMIN when it would leave no active admin. */
  changeRole: Admin['changeRole'];
  /** Deactivates a user and ends their sessions; LAST_ADMIN when it would leave no active admin. */
  deactivate: Admin['deactivate'];
  reactivate: Admin['reactivate'];
  getUser(id: number): Promise<User | undefined>;
  findUserByEmail(email: string): Promise<User | undefined>;
  /** Every user, by name. */
  listUsers(): Promise<User[]>;

  /** Signs in: a new session and its token (LOGIN_FAILED 401, LOGIN_THROTTLED 429 with `details.retryAfter`). */
  login(input: LoginInput): Promise<SignedIn>;
  /** The session of a token and its user, or undefined (unknown, expired, logged out, user deactivated). */
  session(token: unknown): Promise<Session | undefined>;
  /** Ends the session of this token (nothing happens for an unknown one). */
  logout: SignInPart['logout'];
  /** Ends every session of a user (the user themself, or an admin); returns how many. */
  logoutEverywhere: SignInPart['logoutEverywhere'];
  /** Changes the signed-in user's password (the current one is asked for, throttled); their other sessions end. */
  changePassword: SignInPart['changePassword'];
  /** A single-use reset token for a user, valid 1 h (admin or operator); earlier ones stop working. */
  createPasswordReset: SignInPart['createPasswordReset'];
  /** Sets a new password with a reset token; every session of the user ends and any lockout is lifted. */
  resetPasswordWithToken: SignInPart['resetPasswordWithToken'];
  /** This session's CSRF token, for forms and the editor's requests. */
  csrfToken(session: Session): string;
  /** Whether `token` is this session's CSRF token (constant-time). */
  verifyCsrf(session: Session, token: unknown): boolean;

  /** Deletes what can no longer matter: expired sessions, old login attempts and reset links, lapsed invitations. */
  prune(): Promise<PruneReport>;
  /** The audit log the service writes to. */
  readonly audit: AuditLog;
}

export interface PruneReport {
  sessions: number;
  loginAttempts: number;
  passwordResets: number;
  invitations: number;
}

export interface AccountsOptions {
  database: Database;
  log: Pick<Logger, 'info' | 'warn'>;
  /** The clock (tests move it to expire sessions and tokens). */
  now?: () => Date;
  /** The audit log; by default one on the same database and clock. */
  audit?: AuditLog;
}

export function createAccountsService(options: AccountsOptions): AccountsService {
  const now = options.now ?? (() => new Date());
  const audit = options.audit ?? createAuditLog({ database: options.database, now });
  const deps: AccountsDeps = { database: options.database, log: options.log, now, audit };
  const db = options.database.db;
  // Made now rather than at the first login for an unknown email, which would otherwise take twice as long, once.
  dummyHash().catch(() => {});
  const admin = createUserAdmin(deps);
  const { pruneSessions, ...signIn } = createSignIn(deps);
  return {
    ...admin,
    ...signIn,
    audit,
    hasUsers: () => hasAnyUser(db),
    listInvitations: () => listPendingInvitations(db),
    getUser: (id) => findUserById(db, id),
    findUserByEmail: (email) => findUserByEmail(db, normalizeEmail(email)),
    listUsers: () => listUsers(db),
    csrfToken: (session) => csrfToken(session),
    verifyCsrf: (session, token) => verifyCsrf(session, token),
    async prune() {
      const at = now().getTime();
      const { sessions, passwordResets } = await pruneSessions();
      const loginAttempts = await pruneAttempts(db, new Date(at - ATTEMPT_RETENTION_MS));
      // An invitation that lapsed a week ago is kept a little for the admin to see, then goes.
      const invitations = await deleteLapsedInvitations(db, new Date(at - INVITATION_MS));
      return { sessions, loginAttempts, passwordResets, invitations };
    },
  };
}
