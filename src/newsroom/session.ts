/**
 * Who is asking, on the newsroom face: the session cookie resolved through
 * the accounts service, and the CSRF token every state-changing request must
 * carry — the session's own token once signed in, and before that (the log-in
 * and set-up forms) a random token in a `SameSite=Strict` cookie that the form
 * must repeat (double submit).
 *
 * @example
 *   const signedIn = await sessionOf(request, accounts);
 *   if (!checkCsrf(request, accounts, signedIn)) throw new AppError('CSRF_INVALID', '…');
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Session } from '../accounts/account.js';
import { SESSION_ABSOLUTE_MS } from '../accounts/account.js';
import type { AccountsService } from '../accounts/accounts.service.js';
import { parseCookies, serializeCookie } from '../lib/cookies.js';
import { SESSION_COOKIE } from '../web/page-response.js';

/** The pre-session CSRF cookie: forms shown to people not signed in yet. */
export const FORM_COOKIE = 'dateline_form';

export async function sessionOf(request: FastifyRequest, accounts: AccountsService): Promise<Session | undefined> {
  const token = parseCookies(request.headers.cookie)[SESSION_COOKIE];
  return token ? accounts.session(token) : undefined;
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure on an https site, for the session's whole life. */
export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.header(
    'set-cookie',
    serializeCookie(SESSION_COOKIE, token, { maxAge: SESSION_ABSOLUTE_MS / 1000, httpOnly: true, secure }),
  );
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.header('set-cookie', serializeCookie(SESSION_COOKIE, '', { maxAge: 0, httpOnly: true, secure }));
}

/** The token a form shown now must carry: the session's, or a pre-session one (setting its cookie if needed). */
export function formToken(
  request: FastifyRequest,
  reply: FastifyReply,
  accounts: AccountsService,
  session: Session | undefined,
  secure: boolean,
): string {
  if (session) return accounts.csrfToken(session);
  const existing = parseCookies(request.headers.cookie)[FORM_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  // SameSite=Strict: another site's page can neither read nor send it.
  reply.header(
    'set-cookie',
    serializeCookie(FORM_COOKIE, token, { maxAge: 3600, httpOnly: true, secure, path: '/admin', sameSite: 'Strict' }),
  );
  return token;
}

/**
 * The token a request sent: the `x-csrf-token` header (scripts), the `_csrf`
 * form field, or — for a multipart upload, whose body is streamed, not read
 * before the check — `_csrf` in the form's action address.
 */
export function sentToken(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body as Record<string, unknown> | undefined;
  if (typeof body?._csrf === 'string') return body._csrf;
  const query = request.query as Record<string, unknown> | undefined;
  return request.isMultipart() && typeof query?._csrf === 'string' ? query._csrf : undefined;
}

/** Whether a state-changing request carries the right token for who sends it. */
export function checkCsrf(request: FastifyRequest, accounts: AccountsService, session: Session | undefined): boolean {
  const sent = sentToken(request);
  if (session) return accounts.verifyCsrf(session, sent);
  const expected = parseCookies(request.headers.cookie)[FORM_COOKIE];
  if (!sent || !expected || sent.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
}
