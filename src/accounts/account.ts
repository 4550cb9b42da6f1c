/**
 * Newsroom accounts: users, roles, sessions and invitations as the rest of
 * the code sees them, and the rules their input must follow. Pure types and
 * rules only; no I/O here.
 */

/** From most to least trusted; what each may do is decided in `policy.ts`. */
export const ROLES = ['admin', 'editor', 'author', 'contributor'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  /** Trimmed and lower-cased. */
  email: string;
  name: string;
  role: Role;
  /** False once an admin deactivated the account: it cannot sign in and has no sessions. */
  active: boolean;
  createdAt: Date;
  lastLoginAt?: Date;
  deactivatedAt?: Date;
}

/** A signed-in user's session, as `AccountsService.session(token)` finds it. */
export interface Session {
  /** The row's id: not secret (the cookie holds the token, which only the browser knows). */
  id: number;
  user: User;
  createdAt: Date;
  /** The session ends here if it is not used before. */
  idleExpiresAt: Date;
  /** The session ends here however much it is used. */
  expiresAt: Date;
  /** The key of this session's CSRF tokens (`csrf.ts`). Server-side only: never render or send it. */
  readonly csrfSecret: string;
}

export interface Invitation {
  id: number;
  email: string;
  role: Role;
  invitedBy?: number;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt?: Date;
}

/** Who asks: a signed-in user, or the operator at the command line (trusted: no permission check). */
export type Actor = User | 'operator';

/** Where a request came from, for the audit log and the per-address login limit. */
export interface RequestContext {
  /** The client's address as the web layer sees it (behind a proxy: the forwarded one it trusts). */
  ip?: string;
}

/** How long things last. */
export const SESSION_IDLE_MS = 12 * 3_600_000;
export const SESSION_ABSOLUTE_MS = 30 * 24 * 3_600_000;
/** A session's last use is written at most this often: a page view per second must not be a write per second. */
export const SESSION_TOUCH_MS = 60_000;
export const INVITATION_MS = 7 * 24 * 3_600_000;
export const PASSWORD_RESET_MS = 3_600_000;

/** Where the operator's reset link leads (the newsroom face serves it; `dateline user reset-password` prints it). */
export const RESET_PASSWORD_PATH = '/admin/reset-password';

/** No composition rules (NIST SP 800-63B): length only. The upper bound keeps argon2 from hashing megabytes. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 1000;
/** RFC 5321's limit on a forward path. */
export const EMAIL_MAX = 254;
export const NAME_MAX = 200;

export interface AccountProblem {
  field: 'email' | 'name' | 'role' | 'password';
  problem: string;
}

/**
 * The form an email is stored and compared in.
 *
 * @example
 *   normalizeEmail('  Ada@Example.COM '); // 'ada@example.com'
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Why a password cannot be used, or undefined. Length is counted in
 * characters as a person sees them (code points), not UTF-16 units.
 *
 * @example
 *   passwordProblem('hunter2'); // 'at least 10 characters'
 *   passwordProblem('correct horse battery staple'); // undefined
 */
export function passwordProblem(password: unknown): string | undefined {
  if (typeof password !== 'string') return 'a password is required';
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `at least ${PASSWORD_MIN} characters`;
  if (length > PASSWORD_MAX) return `at most ${PASSWORD_MAX} characters`;
  if (!password.trim()) return 'not only spaces';
  return undefined;
}

/**
 * The problems of a new account's fields (those given), by field; empty when
 * all is well.
 *
 * @example
 *   accountProblems({ email: 'ada@', name: '', role: 'owner' });
 *   // [{ field: 'email', … }, { field: 'name', … }, { field: 'role', … }]
 */
export function accountProblems(input: {
  email?: unknown;
  name?: unknown;
  role?: unknown;
  password?: unknown;
}): AccountProblem[] {
  const problems: AccountProblem[] = [];
  if ('email' in input) {
    const email = typeof input.email === 'string' ? normalizeEmail(input.email) : '';
    // Deliberately loose: the invitation or reset link proves the address; a strict pattern only refuses real ones.
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) problems.push({ field: 'email', problem: 'not an email address' });
    else if (email.length > EMAIL_MAX) problems.push({ field: 'email', problem: `at most ${EMAIL_MAX} characters` });
  }
  if ('name' in input) {
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!name) problems.push({ field: 'name', problem: 'a name is required' });
    else if (name.length > NAME_MAX) problems.push({ field: 'name', problem: `at most ${NAME_MAX} characters` });
  }
  if ('role' in input && !isRole(input.role)) {
    problems.push({ field: 'role', problem: `one of ${ROLES.join(', ')}` });
  }
  if ('password' in input) {
    const problem = passwordProblem(input.password);
    if (problem) problems.push({ field: 'password', problem });
  }
  return problems;
}
