/**
 * CSRF tokens bound to a session: HMAC-SHA256 of the session's id under the
 * session's own secret (stored with the session, never sent). The newsroom
 * face puts the token in its forms and its editor's requests and verifies it
 * on every state-changing request; another site can neither read nor forge
 * it, and a token of one session is worthless in another.
 *
 * @example
 *   const token = csrfToken(session); // into <input type="hidden" name="csrf">
 *   if (!verifyCsrf(session, request.body.csrf)) throw new AppError('CSRF_INVALID', 'Reload the page and try again');
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Session } from './account.js';

type CsrfSession = Pick<Session, 'id' | 'csrfSecret'>;

function mac(session: CsrfSession): Buffer {
  return createHmac('sha256', session.csrfSecret).update(`session:${session.id}`).digest();
}

export function csrfToken(session: CsrfSession): string {
  return mac(session).toString('base64url');
}

/** Whether `token` is this session's CSRF token, compared in constant time. */
export function verifyCsrf(session: CsrfSession, token: unknown): boolean {
  if (typeof token !== 'string' || token.length !== 43) return false;
  const given = Buffer.from(token, 'base64url');
  const expected = mac(session);
  // Decoding is lenient (it skips stray characters): the length check keeps timingSafeEqual's inputs equal-sized.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
