/**
 * Secret tokens for sessions, invitations and password resets: 32 random
 * bytes, base64url (43 characters). Only their SHA-256 is stored, so a copy
 * of the database opens no session and accepts no invitation.
 *
 * @example
 *   const token = newToken(); // goes to the browser or into a link
 *   const stored = hashToken(token); // goes to the database
 */
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** SHA-256, hex. A fast hash is enough: the token has 256 bits of entropy, nothing to guess. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Whether `value` could be one of our tokens: anything else is refused before the database is asked. */
export function isWellFormedToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_PATTERN.test(value);
}
